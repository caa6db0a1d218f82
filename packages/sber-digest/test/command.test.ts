import { inspect } from 'node:util';
import { gostEngineOrSkip, openssl, opensslOk, scratchDir } from '@internal/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandSigner } from '../src/command.js';
import { SberDigestCommandError, SberDigestError } from '../src/errors.js';
import { signDigest } from '../src/sign.js';
import { SEED_DIGEST, UUID_A } from './fixtures.js';

const ok = gostEngineOrSkip();
const PASSWORD = 'Pa55-word-never-in-errors';

describe('commandSigner: process handling', () => {
  it('starts the program without a shell: shell syntax reaches it as plain arguments', async () => {
    // With a shell, `$(…)` / `;` would run; here node just receives them as argv and echoes them back.
    const signer = commandSigner({
      command: process.execPath,
      args: ['-e', 'process.stdout.write(process.argv.slice(1).join(" "))', '$(echo hacked);', '|x'],
      certificateUuid: UUID_A,
    });
    const sig = await signer.sign(new TextEncoder().encode('x'));
    expect(Buffer.from(sig).toString()).toBe('$(echo hacked); |x');
  });

  it('feeds the digest UTF-8 bytes on stdin and returns stdout', async () => {
    const echo = commandSigner({
      command: process.execPath,
      args: ['-e', 'process.stdin.pipe(process.stdout)'],
      certificateUuid: UUID_A,
      signType: 'UKEP_UL',
    });
    const result = await signDigest(SEED_DIGEST, echo);
    expect(Buffer.from(result.base64Encoded, 'base64').toString('utf8')).toBe(SEED_DIGEST);
    expect(result).toMatchObject({ certificateUuid: UUID_A, signType: 'UKEP_UL' });
  });

  it("output 'base64' ignores whitespace and PEM armour, and refuses text that is not Base64", async () => {
    const print = (text: string) =>
      commandSigner({
        command: process.execPath,
        args: ['-e', `process.stdout.write(${JSON.stringify(text)})`],
        certificateUuid: UUID_A,
        output: 'base64',
      });
    expect(Buffer.from(await print('-----BEGIN CMS-----\nAQID\nBA==\n-----END CMS-----\n').sign(new Uint8Array([1]))).toString('hex')).toBe(
      '01020304',
    );
    await expect(print('not base64!').sign(new Uint8Array([1]))).rejects.toMatchObject({ code: 'COMMAND_OUTPUT' });
    await expect(print('').sign(new Uint8Array([1]))).rejects.toMatchObject({ code: 'COMMAND_OUTPUT' });
  });

  it('kills a program that runs past timeoutMs', async () => {
    const slow = commandSigner({
      command: process.execPath,
      args: ['-e', 'setTimeout(() => {}, 60000)'],
      certificateUuid: UUID_A,
      timeoutMs: 300,
    });
    const err = await slow.sign(new Uint8Array([1])).catch((e: unknown) => e);
    expect(SberDigestCommandError.isInstance(err)).toBe(true);
    expect(err).toMatchObject({ code: 'COMMAND_TIMEOUT', signal: 'SIGKILL' });
  });

  it('stops on abort', async () => {
    const slow = commandSigner({ command: process.execPath, args: ['-e', 'setTimeout(() => {}, 60000)'], certificateUuid: UUID_A });
    const controller = new AbortController();
    const pending = signDigest('a=b', slow, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('user cancelled')), 50);
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED' });
    await expect(signDigest('a=b', slow, { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'ABORTED' });
  });

  it('names a missing program COMMAND_NOT_FOUND', async () => {
    const missing = commandSigner({ command: '/nonexistent/cryptcp', certificateUuid: UUID_A });
    await expect(missing.sign(new Uint8Array([1]))).rejects.toMatchObject({ code: 'COMMAND_NOT_FOUND', name: 'SberDigestCommandError' });
  });

  it('captures stderr of a failure with the secrets blanked, and never shows the arguments', async () => {
    const script =
      'process.stderr.write("bad PIN " + process.argv[2] + " for " + process.argv[4] + " extra TOPSECRET\\n"); process.exit(3)';
    const failing = commandSigner({
      command: process.execPath,
      args: ['-e', script, '--', '--pin', '123456', '-passin', `pass:${PASSWORD}`],
      certificateUuid: UUID_A,
      secrets: ['TOPSECRET'],
    });
    const err = (await failing.sign(new Uint8Array([1])).catch((e: unknown) => e)) as SberDigestCommandError;
    expect(err).toMatchObject({ code: 'COMMAND_FAILED', exitCode: 3 });
    expect(err.stderr).toContain('bad PIN [REDACTED] for [REDACTED] extra [REDACTED]');
    const surfaces = [err.message, err.stack ?? '', err.stderr, JSON.stringify(err), inspect(err, { depth: 5 }), String(err)];
    for (const s of surfaces) for (const secret of ['123456', PASSWORD, 'TOPSECRET']) expect(s).not.toContain(secret);
  });

  it('refuses bad options before running anything', () => {
    expect(() => commandSigner({ command: '', certificateUuid: UUID_A })).toThrow(SberDigestError);
    expect(() => commandSigner({ command: 'openssl', certificateUuid: 'nope' })).toThrow(/certificateUuid/);
    expect(() => commandSigner({ command: 'openssl', certificateUuid: UUID_A, timeoutMs: 0 })).toThrow(/timeoutMs/);
  });
});

describe.skipIf(!ok)('commandSigner with the real `openssl cms` (GOST engine)', () => {
  const dir = scratchDir('sber-digest-cmd-');
  let key: string;
  let encryptedKey: string;
  let cert: string;

  beforeAll(() => {
    key = dir.path('k.pem');
    cert = dir.path('cert.pem');
    encryptedKey = dir.path('k-enc.pem');
    openssl(['genpkey', '-engine', 'gost', '-algorithm', 'gost2012_256', '-pkeyopt', 'paramset:A', '-out', key]);
    openssl(['req', '-engine', 'gost', '-new', '-x509', '-key', key, '-subj', '/CN=Digest signer', '-days', '30', '-out', cert]);
    openssl(['pkey', '-engine', 'gost', '-in', key, '-out', encryptedKey, '-aes-256-cbc', '-passout', `pass:${PASSWORD}`]);
  });
  afterAll(() => dir.cleanup());

  const cmsArgs = (k: string, extra: string[] = [], outform = 'DER') => [
    'cms',
    '-sign',
    '-engine',
    'gost',
    '-binary',
    '-signer',
    cert,
    '-inkey',
    k,
    '-md',
    'md_gost12_256',
    '-nosmimecap',
    '-outform',
    outform,
    ...extra,
  ];

  it('signs the seed digest; `openssl cms -verify` accepts it against the digest text', async () => {
    const signer = commandSigner({ command: 'openssl', args: cmsArgs(key), certificateUuid: UUID_A });
    const { base64Encoded } = await signDigest(SEED_DIGEST, signer);
    const content = dir.write('digest.txt', SEED_DIGEST);
    const sig = dir.write('sig.der', Buffer.from(base64Encoded, 'base64'));
    openssl([
      'cms',
      '-verify',
      '-engine',
      'gost',
      '-binary',
      '-inform',
      'DER',
      '-in',
      sig,
      '-content',
      content,
      '-CAfile',
      cert,
      '-out',
      dir.path('out.txt'),
    ]);
    expect(dir.read('out.txt').toString('utf8')).toBe(SEED_DIGEST);
    const other = dir.write('other.txt', SEED_DIGEST.replace('recordNum=2', 'recordNum=3'));
    expect(
      opensslOk(['cms', '-verify', '-engine', 'gost', '-binary', '-inform', 'DER', '-in', sig, '-content', other, '-CAfile', cert]),
    ).toBe(false);
  });

  it('reads PEM output with output: base64, with an encrypted key and -passin', async () => {
    const signer = commandSigner({
      command: 'openssl',
      args: cmsArgs(encryptedKey, ['-passin', `pass:${PASSWORD}`], 'PEM'),
      certificateUuid: UUID_A,
      output: 'base64',
    });
    const { base64Encoded } = await signDigest(SEED_DIGEST, signer);
    const content = dir.write('digest2.txt', SEED_DIGEST);
    const sig = dir.write('sig2.der', Buffer.from(base64Encoded, 'base64'));
    expect(
      opensslOk(['cms', '-verify', '-engine', 'gost', '-binary', '-inform', 'DER', '-in', sig, '-content', content, '-CAfile', cert]),
    ).toBe(true);
  });

  it('a wrong key password fails with OpenSSL’s stderr, without the password', async () => {
    const wrong = `wrong-${PASSWORD}`;
    const signer = commandSigner({
      command: 'openssl',
      args: cmsArgs(encryptedKey, ['-passin', `pass:${wrong}`]),
      certificateUuid: UUID_A,
    });
    const err = (await signDigest(SEED_DIGEST, signer).catch((e: unknown) => e)) as SberDigestCommandError;
    expect(err.code).toBe('COMMAND_FAILED');
    expect(err.stderr.length).toBeGreaterThan(0);
    for (const s of [err.message, err.stderr, JSON.stringify(err), inspect(err)]) {
      expect(s).not.toContain(wrong);
      expect(s).not.toContain(PASSWORD);
    }
  });
});
