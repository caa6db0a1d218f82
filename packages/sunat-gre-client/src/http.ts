import type { Dispatcher } from 'undici';

/** Reads a response body up to `maxBytes`; past it the stream is destroyed and `undefined` returned. */
export function readCapped(body: Dispatcher.ResponseData['body'], maxBytes: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    body.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        body.destroy();
        resolve(undefined);
      } else chunks.push(chunk);
    });
    body.once('end', () => resolve(Buffer.concat(chunks, size)));
    body.once('error', reject);
  });
}

/** Retry-After as seconds or an HTTP date, in ms, capped; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, capMs = 60_000): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined || v.trim() === '') return undefined;
  let ms: number;
  if (/^\s*\d+(\.\d+)?\s*$/.test(v)) ms = Number(v) * 1000;
  else {
    const at = Date.parse(v);
    if (Number.isNaN(at)) return undefined;
    ms = at - Date.now();
  }
  return Math.min(Math.max(0, ms), capMs);
}

/** Exponential backoff `base × 2ⁿ`, capped, with ±25 % jitter so that many clients do not retry in step. */
export function backoffMs(retry: number, baseMs: number, maxMs: number): number {
  return Math.min(baseMs * 2 ** retry, maxMs) * (0.75 + Math.random() * 0.5);
}

/** Resolves after `ms`, or rejects when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Failures where the request surely never reached the server: safe to repeat, even a send. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);
/** Configuration problems (certificates...): repeating cannot help. */
const FATAL = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL|ERR_INVALID_URL|UND_ERR_INVALID_ARG/;

export interface NetworkFailure {
  reason: string;
  /** The request did not reach the server (connection refused, DNS...). */
  notSent: boolean;
  retryable: boolean;
}

/** What kind of network failure an undici/system error is, from its `code` (also on its causes). */
export function classifyNetworkError(error: unknown): NetworkFailure {
  let code: string | undefined;
  for (let e: unknown = error, i = 0; e && i < 5 && !code; e = (e as { cause?: unknown }).cause, i++) {
    const c = (e as { code?: unknown }).code;
    if (typeof c === 'string') code = c;
  }
  const reason = code ?? 'UNKNOWN';
  if (FATAL.test(reason)) return { reason, notSent: true, retryable: false };
  return { reason, notSent: NOT_CONNECTED.has(reason), retryable: true };
}
