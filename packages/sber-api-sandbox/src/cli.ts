#!/usr/bin/env node
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startSberSandbox } from './index.js';
import { DEFAULT_CLIENT } from './server.js';

const USAGE = `Usage: sber-api-sandbox [options]

Starts a local SberBusiness fintech server (mutual TLS) and writes the CA and client certificate files.

  --host <ip>              listen address (default 127.0.0.1)
  --port <n>               API port (default: a free port)
  --login-port <n>         login host port (authorize without a client certificate; default: a free port)
  --out <dir>              where to write ca.pem, client-cert.pem, client-key.pem, client.p12, sandbox.json
                           (default: a new temporary folder)
  --cert <uuid>=<file>     register a GOST signing certificate (PEM or DER); repeatable
  --require-jws            answer 415 JWS_EXCEPTED to application/json creates
  --polls-per-status <n>   polls answered per status (default 1)
  --version                the package's version
  --help                   this text
`;

/** Replaced by the package's version at build time (tsup.base.ts); absent when the source runs directly. */
declare const PACKAGE_VERSION: string | undefined;

/** Bad flags get one line and exit code 2 (usage error), never a stack trace. */
class UsageError extends Error {}

async function main(): Promise<void> {
  const { values } = parseCommandLine();
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (values.version) {
    process.stdout.write(`${typeof PACKAGE_VERSION === 'string' ? PACKAGE_VERSION : 'unknown'}\n`);
    return;
  }
  const integer = (name: string, value: string | undefined): number | undefined => {
    if (value === undefined) return undefined;
    if (!/^\d+$/.test(value)) throw new UsageError(`--${name} must be a whole number`);
    return Number(value);
  };
  const certificates = (values.cert ?? []).map((spec) => {
    const at = spec.indexOf('=');
    if (at < 1) throw new UsageError('--cert must be <uuid>=<file>');
    return { uuid: spec.slice(0, at), certificate: new Uint8Array(readFileSync(spec.slice(at + 1))) };
  });
  const sandbox = await startSberSandbox({
    host: values.host,
    port: integer('port', values.port),
    loginPort: integer('login-port', values['login-port']),
    requireJws: values['require-jws'],
    pollsPerStatus: integer('polls-per-status', values['polls-per-status']),
    certificates: certificates.map((c) => ({
      uuid: c.uuid,
      certificate: isPem(c.certificate) ? Buffer.from(c.certificate).toString('utf8') : c.certificate,
    })),
  });

  const out = values.out ? resolve(values.out) : mkdtempSync(join(tmpdir(), 'sber-api-sandbox-'));
  mkdirSync(out, { recursive: true });
  const files = {
    ca: join(out, 'ca.pem'),
    cert: join(out, 'client-cert.pem'),
    key: join(out, 'client-key.pem'),
    pfx: join(out, 'client.p12'),
    info: join(out, 'sandbox.json'),
  };
  writeFileSync(files.ca, sandbox.ca);
  writeFileSync(files.cert, sandbox.clientTls.cert);
  writeFileSync(files.key, sandbox.clientTls.key, { mode: 0o600 });
  writeFileSync(files.pfx, sandbox.clientTls.pfx, { mode: 0o600 });
  const info = {
    url: sandbox.url,
    loginUrl: sandbox.loginUrl,
    clientId: DEFAULT_CLIENT.clientId,
    clientSecret: DEFAULT_CLIENT.clientSecret,
    redirectUri: DEFAULT_CLIENT.redirectUri,
    scopes: DEFAULT_CLIENT.scopes,
    pfxPassphrase: sandbox.clientTls.passphrase,
    files: { ca: files.ca, cert: files.cert, key: files.key, pfx: files.pfx },
  };
  writeFileSync(files.info, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });

  process.stdout.write(
    [
      `sber-api-sandbox listening on ${sandbox.url} (mutual TLS)`,
      `login host (authorize, no client certificate): ${sandbox.loginUrl}`,
      `demo client_id: ${DEFAULT_CLIENT.clientId}, redirect_uri: ${DEFAULT_CLIENT.redirectUri}`,
      `CA certificate:      ${files.ca}`,
      `client certificate:  ${files.cert}`,
      `client key:          ${files.key}`,
      `client PKCS#12:      ${files.pfx}`,
      `client secret, PKCS#12 passphrase and all of the above: ${files.info}`,
      'Ctrl+C stops it.',
      '',
    ].join('\n'),
  );
  const stop = () => {
    void sandbox.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function parseCommandLine() {
  try {
    return parseArgs({
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        'login-port': { type: 'string' },
        out: { type: 'string' },
        cert: { type: 'string', multiple: true },
        'require-jws': { type: 'boolean' },
        'polls-per-status': { type: 'string' },
        help: { type: 'boolean' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message.split('. ')[0] : String(error));
  }
}

function isPem(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.subarray(0, 64)).toString('latin1').includes('-----BEGIN');
}

main().catch((error: unknown) => {
  const usage = error instanceof UsageError;
  process.stderr.write(
    `sber-api-sandbox: ${error instanceof Error ? error.message : String(error)}${usage ? '. See sber-api-sandbox --help.' : ''}\n`,
  );
  process.exit(usage ? 2 : 1);
});
