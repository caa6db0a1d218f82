import { spawn } from 'node:child_process';
import { basename } from 'node:path';
import { decodeBase64Strict } from './base64.js';
import { SberDigestCommandError, SberDigestError } from './errors.js';
import { abortError, checkSignerIdentity, type DigestSigner } from './sign.js';

/** Options of {@link commandSigner}. */
export interface CommandSignerOptions {
  /** The program, started without a shell (e.g. 'openssl', '/opt/cprocsp/bin/amd64/cryptcp'). */
  command: string;
  /** Its arguments; the digest arrives on stdin, the signature is read from stdout. */
  args?: string[];
  /** UUID of the signer's certificate as Sber knows it (`GET /v1/crypto`); copied into the {@link DigestSignature}. */
  certificateUuid: string;
  /** Sber's signature type (e.g. `'UKEP_UL'`), copied into the {@link DigestSignature} when given. */
  signType?: string;
  /** Kill the program (SIGKILL) after this long. Default 30 000 ms. */
  timeoutMs?: number;
  /** What the program prints: DER bytes (default) or Base64 text (whitespace and PEM armour lines are ignored). */
  output?: 'der' | 'base64';
  /** The program's environment; this process's environment by default. */
  env?: NodeJS.ProcessEnv;
  /** The program's working directory; this process's by default. */
  cwd?: string;
  /** More strings to blank out of the captured stderr (PINs, passwords). Arguments after a flag naming a
   *  pass/pin/secret/password, and `pass:…` arguments, are blanked without being listed here. */
  secrets?: string[];
  /** stdout larger than this is refused. Default 1 MiB. */
  maxOutputBytes?: number;
}

const SECRET_FLAG = /pass|pin|secret|password/i;
const STDERR_LIMIT = 8 * 1024;

/** The arguments that must never show in an error: values following secret-ish flags, `pass:…`, the given secrets. */
function secretsOf(args: readonly string[], extra: readonly string[]): string[] {
  const found = new Set(extra.filter((s) => typeof s === 'string' && s.length > 0));
  args.forEach((arg, i) => {
    if (/^-{1,2}[^=]*(pass|pin|secret|password)/i.test(arg) && i + 1 < args.length) found.add(args[i + 1]!);
    const eq = /^-{1,2}[^=]+=(.+)$/.exec(arg);
    if (eq && SECRET_FLAG.test(arg.split('=')[0]!)) found.add(eq[1]!);
    const pass = /^(?:pass|env|file):(.+)$/.exec(arg);
    if (pass) found.add(arg).add(pass[1]!);
  });
  // Longest first, so a secret containing another is blanked whole.
  return [...found].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
}

function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join('[REDACTED]');
  return out;
}

/**
 * The redacted stderr, at most STDERR_LIMIT long. Redacting before cutting keeps a secret that straddles the
 * limit whole; a tail that begins a secret (the rest was never read, or was cut) is dropped too.
 */
function cleanStderrOf(stderr: string, secrets: readonly string[]): string {
  let out = redact(stderr, secrets).slice(0, STDERR_LIMIT);
  for (const s of secrets) {
    for (let n = Math.min(s.length - 1, out.length); n >= 4; n--) {
      if (out.endsWith(s.slice(0, n))) {
        out = `${out.slice(0, -n)}[REDACTED]`;
        break;
      }
    }
  }
  return out.trim();
}

/**
 * Signs with an external program (CryptoPro `cryptcp`, `openssl cms`, a hardware-token tool): the digest's
 * UTF-8 bytes go to its stdin, the signature comes from its stdout. Runs without a shell, with a timeout;
 * failures become SberDigestCommandError whose text never includes the arguments or the listed secrets.
 */
export function commandSigner(o: CommandSignerOptions): DigestSigner {
  checkSignerIdentity(o);
  if (typeof o.command !== 'string' || o.command === '') throw new SberDigestError('BAD_OPTIONS', 'command must be a non-empty string');
  const args = [...(o.args ?? [])];
  if (!args.every((a) => typeof a === 'string')) throw new SberDigestError('BAD_OPTIONS', 'args must be strings');
  const timeoutMs = o.timeoutMs ?? 30_000;
  if (!(timeoutMs > 0)) throw new SberDigestError('BAD_OPTIONS', 'timeoutMs must be positive');
  const output = o.output ?? 'der';
  if (output !== 'der' && output !== 'base64') throw new SberDigestError('BAD_OPTIONS', "output must be 'der' or 'base64'");
  const maxOutputBytes = o.maxOutputBytes ?? 1024 * 1024;
  const secrets = secretsOf(args, o.secrets ?? []);
  const name = basename(o.command);

  const run = (input: Uint8Array, signal?: AbortSignal): Promise<Uint8Array> =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(abortError(signal));
      const child = spawn(o.command, args, { shell: false, stdio: ['pipe', 'pipe', 'pipe'], env: o.env, cwd: o.cwd, windowsHide: true });
      const stdout: Buffer[] = [];
      let stdoutBytes = 0;
      let stderr = '';
      let failure: Error | undefined;
      const fail = (err: Error): void => {
        failure ??= err;
        child.kill('SIGKILL');
      };
      const timer = setTimeout(
        () => fail(new SberDigestCommandError('COMMAND_TIMEOUT', `${name} ran longer than ${timeoutMs} ms and was killed`, {})),
        timeoutMs,
      );
      const onAbort = (): void => fail(abortError(signal!));
      signal?.addEventListener('abort', onAbort, { once: true });

      child.stdout.on('data', (chunk: Buffer) => {
        stdoutBytes += chunk.length;
        if (stdoutBytes > maxOutputBytes)
          fail(new SberDigestCommandError('COMMAND_OUTPUT', `${name} printed more than ${maxOutputBytes} bytes`, {}));
        else stdout.push(chunk);
      });
      child.stderr.on('data', (chunk: Buffer) => {
        if (stderr.length < STDERR_LIMIT) stderr += chunk.toString('utf8');
      });
      child.stdin.on('error', () => {}); // the program may exit without reading: its exit status tells why
      child.on('error', (err: NodeJS.ErrnoException) => {
        const code = err.code === 'ENOENT' || err.code === 'EACCES' ? 'COMMAND_NOT_FOUND' : 'COMMAND_FAILED';
        fail(new SberDigestCommandError(code, `${name} could not be started (${err.code ?? 'error'})`, {}));
      });
      child.on('close', (exitCode, exitSignal) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const cleanStderr = cleanStderrOf(stderr, secrets);
        if (failure) {
          if (SberDigestCommandError.isInstance(failure)) {
            return reject(
              new SberDigestCommandError(failure.code as 'COMMAND_FAILED', failure.message, {
                exitCode,
                signal: exitSignal,
                stderr: cleanStderr,
              }),
            );
          }
          return reject(failure);
        }
        if (exitCode !== 0) {
          const summary = cleanStderr.split('\n').slice(-3).join(' | ').slice(0, 500);
          return reject(
            new SberDigestCommandError('COMMAND_FAILED', `${name} exited with ${exitCode ?? exitSignal}${summary ? `: ${summary}` : ''}`, {
              exitCode,
              signal: exitSignal,
              stderr: cleanStderr,
            }),
          );
        }
        const bytes = parseOutput(Buffer.concat(stdout), output);
        if (!bytes) {
          return reject(
            new SberDigestCommandError(
              'COMMAND_OUTPUT',
              `${name} exited 0 but printed no ${output === 'der' ? 'signature bytes' : 'Base64 signature'}`,
              { exitCode, stderr: cleanStderr },
            ),
          );
        }
        resolve(bytes);
      });
      child.stdin.end(input);
    });

  return Object.freeze({
    certificateUuid: o.certificateUuid,
    ...(o.signType !== undefined ? { signType: o.signType } : {}),
    sign: (digestUtf8: Uint8Array, options?: { signal?: AbortSignal }) => run(digestUtf8, options?.signal),
  });
}

function parseOutput(raw: Buffer, output: 'der' | 'base64'): Uint8Array | undefined {
  if (output === 'der') return raw.length > 0 ? new Uint8Array(raw) : undefined;
  const text = raw
    .toString('latin1')
    .split(/\r?\n/)
    .filter((line) => !line.startsWith('-----'))
    .join('')
    .replace(/\s+/g, '');
  const bytes = text === '' ? undefined : decodeBase64Strict(text);
  return bytes && bytes.length > 0 ? bytes : undefined;
}
