import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import { scratchDir } from '@internal/testkit';
import { Agent } from 'undici';
import { expect, it } from 'vitest';
import { startSberSandbox } from '../src/index.js';
import { call } from './helpers.js';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

// `pnpm test` builds first (turbo: test dependsOn build), so a missing CLI is a broken build: fail, never skip.
it('the CLI starts the sandbox and writes the CA and client certificate files', async () => {
  expect(existsSync(cli), `${cli} is missing: run \`pnpm turbo run build --filter=sber-api-sandbox\` before this test`).toBe(true);
  const out = scratchDir('sber-cli-');
  const child = spawn(process.execPath, [cli, '--out', out.dir, '--polls-per-status', '2'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const stdout = await new Promise<string>((resolve, reject) => {
      let text = '';
      child.stdout.on('data', (c: Buffer) => {
        text += c.toString();
        if (text.includes('Ctrl+C')) resolve(text);
      });
      child.once('exit', (code) => reject(new Error(`CLI exited ${code}: ${text}`)));
    });
    const url = /listening on (https:\/\/\S+)/.exec(stdout)![1]!;
    expect(stdout).toContain(out.path('ca.pem'));
    expect(stdout).toContain(out.path('client.p12'));
    const info = JSON.parse(out.read('sandbox.json').toString());
    expect(stdout).not.toContain(info.clientSecret);
    expect(stdout).not.toContain(info.pfxPassphrase);
    const agent = new Agent({ connect: { ca: out.read('ca.pem'), cert: out.read('client-cert.pem'), key: out.read('client-key.pem') } });
    const r = await call(agent, `${url}/fintech/api/v1/crypto`);
    expect(r.status).toBe(401);
    await agent.close();
    const viaPfx = new Agent({ connect: { ca: out.read('ca.pem'), pfx: out.read('client.p12'), passphrase: info.pfxPassphrase } });
    expect((await call(viaPfx, `${url}/fintech/api/v1/crypto`)).json.cause).toBe('UNAUTHORIZED');
    await viaPfx.close();
  } finally {
    child.kill('SIGTERM');
    out.cleanup();
  }
});

it('keeps keys and the passphrase out of inspect and JSON', async () => {
  const sandbox = await startSberSandbox();
  try {
    const shown = inspect(sandbox, { depth: 5 }) + JSON.stringify(sandbox);
    expect(shown).toContain(sandbox.url);
    expect(shown).not.toContain('PRIVATE KEY');
    expect(shown).not.toContain(sandbox.clientTls.passphrase);
  } finally {
    await sandbox.close();
  }
});
