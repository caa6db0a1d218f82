import { existsSync, watch } from 'node:fs';
import { caseTable, expectNoSecret, failureOf, scratchDir, surfacesOf } from '@internal/testkit';
import { createCertificate, exportPrivateKeyPem, type GostPrivateKey, generateKeyPair, getPublicKey, privateKeyFromRaw } from 'gost2012';
import { afterAll, describe, expect, it, vi } from 'vitest';
import {
  cmsGostSigner,
  commandSigner,
  type DigestSigner,
  rawGostSigner,
  SberDigestCommandError,
  SberDigestError,
  type SberDigestErrorCode,
  signDebtRegistry,
  signDigest,
} from '../src/index.js';
import { SEED_DIGEST, SEED_DIGEST_REGISTRY, UUID_A } from './fixtures.js';

// Fixed, recognisable secrets: a GOST scalar, the external signer's key password and its token PIN.
const SCALAR = Buffer.from('3c5a7e9f1b2d4f6a8c0e2b4d6f8a0c2e4a6c8e0f2b4d6f8a1c3e5a7c9e1b3d05', 'hex');
const KEY = privateKeyFromRaw('cryptopro-a', SCALAR);
const PASSWORD = 'Kp9#vQ2!xL7mW4zR8tY1nB6cF3hJ5gD0';
const PIN = 'pin-7Hq2Lx9Vb4Nc8Mz1Kd6Fs3';
const FLAG_PASSWORD = 'flag-Zx8Cv7Bn6Mq5Wl4Er3Ty2Ui1';
const SECRETS = {
  scalar: SCALAR,
  scalarBE: Buffer.from(SCALAR).reverse(),
  pem: exportPrivateKeyPem(KEY)
    .replace(/-----[A-Z ]+-----|\s/g, '')
    .slice(-44, -1),
  PASSWORD,
  PIN,
  FLAG_PASSWORD,
};

const CERT = createCertificate({ publicKey: getPublicKey(KEY), signingKey: KEY, subject: { commonName: 'secrets test' } });
const OTHER = generateKeyPair('cryptopro-a');
const raw = rawGostSigner({ privateKey: KEY, certificateUuid: UUID_A });
const forged = { type: 'private', paramSet: 'cryptopro-a', size: 256, scalar: SCALAR } as unknown as GostPrivateKey;

/**
 * A stand-in for cryptcp / openssl: echoes its arguments, the PIN from its environment and the password on
 * stderr (as real tools do in their usage and error texts), then fails in the way `mode` says.
 */
const FAKE_SIGNER = `
const [mode, ...args] = process.argv.slice(1);
const echo = 'signer: cannot open the key (args: ' + args.join(' ') + ', PIN ' + process.env.SIGNER_PIN + ')\\n';
const err = (s) => process.stderr.write(s);
if (mode === 'fail') { err(echo); process.exitCode = 3; }
else if (mode === 'cut') { err('x'.repeat(8192 - 5 - 20) + 'pass:' + args[args.length - 1].slice(5) + '\\n'); process.exitCode = 2; }
else if (mode === 'chunks') { err('y'.repeat(8192 - 20) + args[args.length - 1].slice(0, 20)); setTimeout(() => { err(args[args.length - 1].slice(20) + '\\n'); process.exitCode = 2; }, 30); }
else if (mode === 'hang') { err(echo); if (process.env.READY_FILE) require('fs').writeFileSync(process.env.READY_FILE, 'stderr written'); setInterval(() => {}, 1000); }
else if (mode === 'silent') { err(echo); }
else if (mode === 'junk') { err(echo); process.stdout.write('!!! not base64 ' + args.join(' ')); }
else if (mode === 'flood') { err(echo); process.stdout.write(Buffer.alloc(64 * 1024, 0x41)); }
else if (mode === 'kill') { err(echo); setTimeout(() => process.kill(process.pid, 'SIGKILL'), 20); }
`;
const tool = (
  mode: string,
  o: { timeoutMs?: number; output?: 'der' | 'base64'; maxOutputBytes?: number; readyFile?: string } = {},
): DigestSigner =>
  commandSigner({
    command: process.execPath,
    args: ['-e', FAKE_SIGNER, '--', mode, '--password', FLAG_PASSWORD, `--pin=${PIN}`, '-passin', `pass:${PASSWORD}`],
    certificateUuid: UUID_A,
    env: { ...process.env, SIGNER_PIN: PIN, ...(o.readyFile ? { READY_FILE: o.readyFile } : {}) },
    secrets: [PIN],
    ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
    ...(o.output !== undefined ? { output: o.output } : {}),
    ...(o.maxOutputBytes !== undefined ? { maxOutputBytes: o.maxOutputBytes } : {}),
  });
const aborted = (): AbortSignal => AbortSignal.abort(new Error('user cancelled'));

const scratch = scratchDir('sber-digest-secrets-');
afterAll(() => scratch.cleanup());

/** Resolves once `path` exists: an fs event, no timer, so it works under fake timers. */
function fileAppears(path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const watcher = watch(scratch.dir, () => {
      if (existsSync(path)) {
        watcher.close();
        resolve();
      }
    });
    watcher.on('error', reject);
    if (existsSync(path)) {
      watcher.close();
      resolve();
    }
  });
}

/**
 * The signer's 300 ms deadline, moved by hand once the program has written its stderr (it then creates a
 * file): on a loaded machine a real 300 ms can pass before `node` has even started, and the kill would find
 * nothing written to redact. Only the signer's timer is faked; the child process is real.
 */
async function signPastTimeout(): Promise<unknown> {
  const readyFile = scratch.path(`ready-${process.hrtime.bigint()}`);
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  try {
    const pending = signDigest(SEED_DIGEST, tool('hang', { timeoutMs: 300, readyFile }));
    pending.catch(() => {}); // awaited below; until then its rejection is expected, not unhandled
    await fileAppears(readyFile);
    vi.advanceTimersByTime(299);
    expect(existsSync(readyFile), 'the deadline must not fire early').toBe(true);
    vi.advanceTimersByTime(1);
    return await pending;
  } finally {
    vi.useRealTimers();
  }
}
type Case = [name: string, code: SberDigestErrorCode, run: () => unknown];
const CASES: Case[] = [
  // signers holding the private key
  ['signDigest: empty digest', 'VALIDATION', () => signDigest('', raw)],
  ['signDigest: lone surrogate', 'VALIDATION', () => signDigest('orgName=\ud800', raw)],
  ['signDigest: not a signer', 'BAD_OPTIONS', () => signDigest(SEED_DIGEST, { privateKey: KEY, scalar: SCALAR } as never)],
  ['signDigest: signal already aborted', 'ABORTED', () => signDigest(SEED_DIGEST, raw, { signal: aborted() })],
  [
    'signDigest: a custom signer throws',
    'SIGN_FAILED',
    () => signDigest(SEED_DIGEST, { certificateUuid: UUID_A, sign: async () => Promise.reject(new Error('HSM busy')) }),
  ],
  [
    'signDigest: a custom signer returns nothing',
    'SIGN_FAILED',
    () => signDigest(SEED_DIGEST, { certificateUuid: UUID_A, sign: async () => new Uint8Array() }),
  ],
  [
    'rawGostSigner: raw scalar bytes as the key',
    'BAD_OPTIONS',
    () => rawGostSigner({ privateKey: SCALAR as never, certificateUuid: UUID_A }),
  ],
  [
    'rawGostSigner: certificateUuid not a UUID',
    'VALIDATION',
    () => rawGostSigner({ privateKey: KEY, certificateUuid: SCALAR.toString('hex') }),
  ],
  ['rawGostSigner: empty signType', 'VALIDATION', () => rawGostSigner({ privateKey: KEY, certificateUuid: UUID_A, signType: '' })],
  [
    'rawGostSigner: bad layout, at signing',
    'SIGN_FAILED',
    () => signDigest(SEED_DIGEST, rawGostSigner({ privateKey: KEY, certificateUuid: UUID_A, layout: 'xx' as never })),
  ],
  [
    'rawGostSigner: forged key object, at signing',
    'SIGN_FAILED',
    () => signDigest(SEED_DIGEST, rawGostSigner({ privateKey: forged, certificateUuid: UUID_A })),
  ],
  [
    'cmsGostSigner: certificate of another key',
    'BAD_OPTIONS',
    () =>
      cmsGostSigner({ privateKey: OTHER.privateKey, certificate: CERT, certificateUuid: UUID_A }) &&
      cmsGostSigner({
        privateKey: KEY,
        certificate: createCertificate({ publicKey: OTHER.publicKey, signingKey: OTHER.privateKey, subject: { commonName: 'o' } }),
        certificateUuid: UUID_A,
      }),
  ],
  [
    'cmsGostSigner: the private key PEM as the certificate',
    'BAD_OPTIONS',
    () => cmsGostSigner({ privateKey: KEY, certificate: exportPrivateKeyPem(KEY), certificateUuid: UUID_A }),
  ],
  [
    'cmsGostSigner: raw scalar as the key',
    'BAD_OPTIONS',
    () => cmsGostSigner({ privateKey: SCALAR as never, certificate: CERT, certificateUuid: UUID_A }),
  ],
  [
    'cmsGostSigner: bad certificateUuid',
    'VALIDATION',
    () => cmsGostSigner({ privateKey: KEY, certificate: CERT, certificateUuid: 'cert-1' }),
  ],
  ['signDebtRegistry: bad INN', 'VALIDATION', () => signDebtRegistry({ ...SEED_DIGEST_REGISTRY, orgTaxNumber: '7707012346' }, raw)],
  [
    'signDebtRegistry: digest-forging line break',
    'VALIDATION',
    () => signDebtRegistry({ ...SEED_DIGEST_REGISTRY, orgName: 'A\nfileId=x' }, raw),
  ],
  [
    'signDebtRegistry: aborted',
    'ABORTED',
    () =>
      signDebtRegistry(
        { ...SEED_DIGEST_REGISTRY, orgTaxNumber: '7707083893' },
        cmsGostSigner({ privateKey: KEY, certificate: CERT, certificateUuid: UUID_A }),
        { signal: aborted() },
      ),
  ],
  // the external signer, with the password, PIN and flag password on its command line / environment
  [
    'commandSigner: certificateUuid not a UUID',
    'VALIDATION',
    () => commandSigner({ command: 'openssl', args: ['-passin', `pass:${PASSWORD}`], certificateUuid: PASSWORD }),
  ],
  [
    'commandSigner: empty command',
    'BAD_OPTIONS',
    () => commandSigner({ command: '', args: ['-passin', `pass:${PASSWORD}`], certificateUuid: UUID_A }),
  ],
  [
    'commandSigner: a non-string argument',
    'BAD_OPTIONS',
    () => commandSigner({ command: 'openssl', args: ['-passin', Buffer.from(PASSWORD) as never], certificateUuid: UUID_A }),
  ],
  [
    'commandSigner: timeoutMs 0',
    'BAD_OPTIONS',
    () => commandSigner({ command: 'openssl', args: ['-passin', `pass:${PASSWORD}`], certificateUuid: UUID_A, timeoutMs: 0 }),
  ],
  [
    'commandSigner: unknown output',
    'BAD_OPTIONS',
    () => commandSigner({ command: 'openssl', args: ['-passin', `pass:${PASSWORD}`], certificateUuid: UUID_A, output: 'pem' as never }),
  ],
  [
    'commandSigner: program not found',
    'COMMAND_NOT_FOUND',
    () =>
      signDigest(
        SEED_DIGEST,
        commandSigner({ command: '/nonexistent/cryptcp', args: ['-passin', `pass:${PASSWORD}`, '--pin', PIN], certificateUuid: UUID_A }),
      ),
  ],
  ['commandSigner: exits 3 echoing its arguments', 'COMMAND_FAILED', () => signDigest(SEED_DIGEST, tool('fail'))],
  ['commandSigner: password cut by the 8 KiB stderr limit', 'COMMAND_FAILED', () => signDigest(SEED_DIGEST, tool('cut'))],
  ['commandSigner: password split across stderr chunks at the limit', 'COMMAND_FAILED', () => signDigest(SEED_DIGEST, tool('chunks'))],
  ['commandSigner: killed by a signal', 'COMMAND_FAILED', () => signDigest(SEED_DIGEST, tool('kill'))],
  ['commandSigner: runs past timeoutMs', 'COMMAND_TIMEOUT', signPastTimeout],
  ['commandSigner: exits 0 printing nothing', 'COMMAND_OUTPUT', () => signDigest(SEED_DIGEST, tool('silent'))],
  ['commandSigner: prints junk for base64', 'COMMAND_OUTPUT', () => signDigest(SEED_DIGEST, tool('junk', { output: 'base64' }))],
  ['commandSigner: prints too much', 'COMMAND_OUTPUT', () => signDigest(SEED_DIGEST, tool('flood', { maxOutputBytes: 1024 }))],
  ['commandSigner: aborted while running', 'ABORTED', () => signDigest(SEED_DIGEST, tool('hang'), { signal: AbortSignal.timeout(150) })],
  ['commandSigner: aborted before starting', 'ABORTED', () => signDigest(SEED_DIGEST, tool('fail'), { signal: aborted() })],
];

describe('no error of sber-digest shows the private key, the key password or the PIN', () => {
  const table = caseTable(CASES, async ([name, code, run]) => {
    const error = await failureOf(run);
    expect(SberDigestError.isInstance(error), String(error)).toBe(true);
    expect((error as SberDigestError).code, (error as Error).message).toBe(code);
    if (SberDigestCommandError.isInstance(error) && code !== 'COMMAND_NOT_FOUND') expect(error.stderr).toContain('[REDACTED]');
    expectNoSecret(surfacesOf(error), SECRETS, name);
    return (error as SberDigestError).code;
  });
  for (const c of CASES) it(c[0], async () => void (await table.outcome(c)));

  it('ran every case of the table, and every error code', async () => {
    const codes = await table.all();
    expect(codes).toHaveLength(CASES.length);
    const all: SberDigestErrorCode[] = [
      'VALIDATION',
      'BAD_OPTIONS',
      'SIGN_FAILED',
      'ABORTED',
      'COMMAND_FAILED',
      'COMMAND_TIMEOUT',
      'COMMAND_NOT_FOUND',
      'COMMAND_OUTPUT',
    ];
    expect([...new Set(codes)].sort()).toEqual([...all].sort());
  });
});
