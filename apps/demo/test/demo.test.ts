import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { redisUrlOrSkip } from '@internal/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import type { JournalFile } from '../src/journal.js';
import { LIVE_VARIABLES } from '../src/live-config.js';
import type { DemoResult, SberFlowResult, SunatFlowResult } from '../src/result.js';
import { SANDBOX_SECRETS } from '../src/sandboxes.js';
import type { WorkersResult } from '../src/workers-mode.js';

const CLI = resolve(import.meta.dirname, '../dist/cli.js');
const dir = mkdtempSync(join(tmpdir(), 'edocs-demo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built demo as a user would: a child process, its own environment, stdout a pipe (not a TTY). */
function demo(args: string[], o: { env?: Record<string, string>; onSpawn?: (kill: () => void) => void } = {}): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', ...o.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
    o.onSpawn?.(() => child.kill('SIGKILL'));
  });
}

const readJournal = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as JournalFile;

/** An onSpawn that kills the demo as soon as its journal holds a first submission. */
function killOnceJournaled(journal: string): (kill: () => void) => void {
  return (kill) => {
    const watch = setInterval(() => {
      try {
        if (existsSync(journal) && readJournal(journal).entries.length >= 1) {
          clearInterval(watch);
          kill();
        }
      } catch {
        // the journal is replaced by rename: a read never sees half a file, but it may not exist yet
      }
    }, 5);
  };
}

/** No secret of the sandboxes' configuration, no key and no token in anything the demo printed. */
function expectNoSecrets(run: Run) {
  const all = run.stdout + run.stderr;
  for (const secret of SANDBOX_SECRETS) expect(all).not.toContain(secret);
  expect(all).not.toMatch(/PRIVATE KEY/);
  expect(all).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./); // a JWT (SUNAT's access tokens)
  expect(all).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-\d+/); // Sber's access token shape
}

describe('the demo, run as a child process against the in-process sandboxes', () => {
  it('--json: three SUNAT outcomes and the Sber registry IMPLEMENTED, exit 0, no secret printed', async () => {
    const journal = join(dir, 'full.json');
    const run = await demo(['--json', '--journal', journal]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as DemoResult;
    expect(result).toMatchObject({ ok: true, command: 'run', mode: 'sandbox', journal });

    const sunat = result.flows.find((f) => f.flow === 'sunat') as SunatFlowResult;
    expect(sunat.guides.map((g) => [g.expected, g.state, g.ok])).toEqual([
      ['accepted', 'accepted', true],
      ['observed', 'accepted', true],
      ['rejected', 'rejected', true],
    ]);
    const [accepted, observed, rejected] = sunat.guides;
    expect(accepted!.cdr).toMatchObject({ responseCode: '0', notes: [] });
    expect(accepted!.cdr!.documentUrl).toMatch(/^https:\/\//);
    expect(observed!.cdr!.notes.map((n) => n.code)).toEqual(['4391']);
    expect(rejected!.error).toMatchObject({ code: '2573', message: expect.stringContaining('licencia del conductor') });
    expect(sunat.guides.map((g) => g.fileName)).toEqual(
      ['20000000001-09-T001-1', '20000000001-09-T001-2', '20000000001-09-T001-3'].map((f) => `${f}.zip`),
    );

    const sber = result.flows.find((f) => f.flow === 'sber') as SberFlowResult;
    expect(sber).toMatchObject({ ok: true, bankStatus: 'IMPLEMENTED', statuses: ['CREATED', 'SIGNED', 'DELIVERED', 'IMPLEMENTED'] });

    const file = readJournal(journal);
    expect(file.entries.map((e) => [e.flow, e.final?.state])).toEqual([
      ['sunat', 'accepted'],
      ['sunat', 'accepted'],
      ['sunat', 'rejected'],
      ['sber', 'IMPLEMENTED'],
    ]);
    expectNoSecrets(run);
    expect(JSON.stringify(file)).not.toContain(SANDBOX_SECRETS[0]);
  });

  it('without --json and without a TTY: a plain summary, no spinner escape codes', async () => {
    const run = await demo(['--only', 'sber', '--journal', join(dir, 'plain.json')]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Every flow ended as expected.');
    expect(run.stdout).toMatch(/CREATED → SIGNED → DELIVERED → IMPLEMENTED/);
    expect(run.stdout).not.toMatch(/\u001b\[/);
    expectNoSecrets(run);
  });

  it('killed after the first ticket is journaled, `demo resume` finishes it; a new run refuses to overwrite the journal', async () => {
    const journal = join(dir, 'killed.json');
    const run = await demo(['--json', '--journal', journal], {
      onSpawn: killOnceJournaled(journal),
    });
    expect(run.code).toBe(null); // killed
    const before = readJournal(journal);
    const pending = before.entries.filter((e) => !e.final);
    expect(pending.length).toBeGreaterThanOrEqual(1);
    expect(before.entries[0]!.flow).toBe('sunat');

    const again = await demo(['--journal', journal]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/still holds \d+ submission\(s\) waiting.*demo resume/);

    const resumed = await demo(['resume', '--json', '--journal', journal]);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    const result = JSON.parse(resumed.stdout) as DemoResult;
    expect(result).toMatchObject({ ok: true, command: 'resume', mode: 'sandbox' });
    const finished = result.flows.flatMap((f) => ('guides' in f ? f.guides.map((g) => g.ticket) : []));
    expect(finished).toEqual(pending.filter((e) => e.flow === 'sunat').map((e) => e.id));
    expect(readJournal(journal).entries.every((e) => e.final)).toBe(true);
    expect(readJournal(journal).entries[0]!.final?.state).toBe('accepted');
    expectNoSecrets(resumed);

    const nothing = await demo(['resume', '--journal', journal]);
    expect(nothing.code).toBe(0);
    expect(nothing.stdout).toContain('Nothing to resume');
  });

  it('killed after the Sber registry is journaled, `demo resume` polls it to IMPLEMENTED', async () => {
    const journal = join(dir, 'killed-sber.json');
    await demo(['--only', 'sber', '--json', '--journal', journal], {
      onSpawn: killOnceJournaled(journal),
    });
    const [entry] = readJournal(journal).entries;
    expect(entry).toMatchObject({ flow: 'sber', expected: 'IMPLEMENTED' });
    expect(entry!.final).toBeUndefined();
    const resumed = await demo(['resume', '--json', '--journal', journal]);
    expect(resumed.code).toBe(0);
    const [flow] = (JSON.parse(resumed.stdout) as DemoResult).flows as SberFlowResult[];
    expect(flow).toMatchObject({ ok: true, externalId: entry!.id, bankStatus: 'IMPLEMENTED' });
    expect(readJournal(journal).entries[0]!.final?.state).toBe('IMPLEMENTED');
    expectNoSecrets(resumed);
  });

  it('--live without configuration names every missing variable, exits 2 and prints no secret it was given', async () => {
    const given = { SUNAT_CLIENT_SECRET: 'live-secret-value-123', SUNAT_SOL_PASSWORD: 'live-sol-password-456', SUNAT_ENV: 'nubefact' };
    const run = await demo(['--live', '--only', 'sunat', '--dotenv', join(dir, 'absent.env'), '--journal', join(dir, 'live.json')], {
      env: given,
    });
    expect(run.code).toBe(2);
    const missing = LIVE_VARIABLES.sunat.map((v) => v.name).filter((n) => !(n in given));
    for (const name of missing) expect(run.stderr).toContain(`  - ${name} — `);
    expect(run.stderr).not.toContain('  - SUNAT_CLIENT_SECRET');
    expect(run.stdout + run.stderr).not.toContain(given.SUNAT_CLIENT_SECRET);
    expect(run.stdout + run.stderr).not.toContain(given.SUNAT_SOL_PASSWORD);
    expect(existsSync(join(dir, 'live.json'))).toBe(false);
  });

  it('a bad command line is a usage error (exit 2)', async () => {
    const run = await demo(['--only', 'bank']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--only must be 'sunat' or 'sber'");
  });
});

const REDIS_URL = redisUrlOrSkip("the demo's --workers tests");

describe.skipIf(!REDIS_URL)('--workers 3: the SUNAT flow through sunat-gre-queue, three worker processes, Redis', () => {
  it('--json: the three verdicts, one token request for all workers, every worker ready, workers closed, no secret printed', async () => {
    const run = await demo(['--workers', '3', '--json'], { env: { REDIS_URL: REDIS_URL! } });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as WorkersResult;
    expect(result.ok).toBe(true);
    const [sunat] = result.flows as SunatFlowResult[];
    expect(sunat!.guides.map((g) => [g.expected, g.state, g.ok])).toEqual([
      ['accepted', 'accepted', true],
      ['observed', 'accepted', true],
      ['rejected', 'rejected', true],
    ]);
    expect(sunat!.guides[1]!.cdr!.notes.map((n) => n.code)).toEqual(['4391']);
    expect(sunat!.guides[2]!.error?.code).toBe('2573');
    expect(result.workers.tokenRequests).toBe(1);
    // Which worker takes which guide is up to BullMQ: every worker was ready, together they decided all three.
    expect(result.workers.count).toBe(3);
    expect(result.workers.workers.map((w) => [w.worker, w.ready, w.exitCode])).toEqual([
      [1, true, 0],
      [2, true, 0],
      [3, true, 0],
    ]);
    expect(result.workers.workers.reduce((n, w) => n + w.verdicts, 0)).toBe(3);
    expectNoSecrets(run);
  });

  it('without --json and without a TTY: a plain line per worker event, no spinner escape codes', async () => {
    const run = await demo(['--workers', '3'], { env: { REDIS_URL: REDIS_URL! } });
    expect(run.code).toBe(0);
    for (const w of [1, 2, 3]) expect(run.stdout).toContain(`worker ${w} ready\n`);
    expect(run.stdout.match(/^worker \d: verdict for 20000000001-09-T001-[123]$/gm)).toHaveLength(3);
    expect(run.stdout).toContain('SUNAT token requests: 1');
    expect(run.stdout).not.toMatch(/\u001b\[/);
    expectNoSecrets(run);
  });
});

describe('--workers without Redis or with a bad count', () => {
  it('names REDIS_URL in one line and exits 2', async () => {
    const run = await demo(['--workers', '3']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('--workers needs Redis: set REDIS_URL (for example redis://127.0.0.1:6379)\n');
    expect(run.stdout).toBe('');
  });

  it('refuses a count that is not 1-16', async () => {
    const run = await demo(['--workers', '0'], { env: { REDIS_URL: 'redis://127.0.0.1:1' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--workers must be a whole number from 1 to 16');
  });
});

describe('the README', () => {
  it('lists every variable live mode reads', () => {
    const readme = readFileSync(resolve(import.meta.dirname, '../README.md'), 'utf8');
    for (const v of Object.values(LIVE_VARIABLES).flat()) expect(readme).toContain(`| \`${v.name}\` |`);
  });
});
