import { request, type Dispatcher } from 'undici';
import { SberAbortError, SberTimeoutError, SberTransportError } from './errors';

/** Observability without secrets: paths never carry a query string, no headers, no bodies. A throwing hook is ignored. */
export interface SberHooks {
  onRequest?(e: { operation: string; method: string; path: string; attempt: number }): void;
  onResponse?(e: { operation: string; method: string; path: string; attempt: number; status: number; durationMs: number; requestId: string | undefined }): void;
  onRetry?(e: { operation: string; method: string; path: string; attempt: number; delayMs: number; reason: string }): void;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Per attempt: connect + headers + the whole body. */
  timeoutMs?: number;
}

export interface RetryTiming {
  /** First retry delay; doubles each retry (default 500). */
  baseMs: number;
  /** Cap of a retry delay (default 8000). */
  maxMs: number;
}

export interface Transport {
  origin: string;
  dispatcher: Dispatcher;
  hooks: SberHooks | undefined;
  timeoutMs: number;
  maxRetries: number;
  retry: RetryTiming;
  maxBodyBytes: number;
}

export interface Exchange {
  operation: string;
  method: 'GET' | 'POST';
  path: string;
  /** Appended to the path on the wire only: never reported in hooks or errors (it may hold secrets). */
  query?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  requestId: string | undefined;
}

const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);
const TLS_CODE = /^(ERR_SSL_|ERR_TLS_|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|UNABLE_TO_|HOSTNAME_MISMATCH$)/;
const decoder = new TextDecoder();

function emit<K extends keyof SberHooks>(hooks: SberHooks | undefined, name: K, event: Parameters<NonNullable<SberHooks[K]>>[0]): void {
  const fn = hooks?.[name] as ((e: unknown) => void) | undefined;
  if (!fn) return;
  try {
    fn.call(hooks, event);
  } catch {
    // a hook must never change the outcome of a call
  }
}

function errorCode(e: unknown): string {
  for (let x: unknown = e, i = 0; x && typeof x === 'object' && i < 4; x = (x as { cause?: unknown }).cause, i++) {
    const code = (x as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_SOCKET' && code !== 'UND_ERR') return code;
  }
  const code = (e as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : 'UNKNOWN';
}

/** Turns a failure of undici into a typed error: TLS refusals, network failures (with "may have been processed"). */
export function transportError(e: unknown, operation: string): SberTransportError {
  const code = errorCode(e);
  const message = e instanceof Error ? e.message : String(e);
  if (TLS_CODE.test(code) || /certificate|handshake|alert/i.test(message)) {
    return new SberTransportError('TLS', `${operation}: TLS handshake refused (${code}): check tls/ca options`, false, { cause: e });
  }
  return new SberTransportError('NETWORK', `${operation}: network failure (${code})`, !NOT_SENT_CODES.has(code), { cause: e });
}

/** An abortable wait. */
export function sleep(ms: number, signal: AbortSignal | undefined, operation: string): Promise<void> {
  if (signal?.aborted) return Promise.reject(new SberAbortError(operation, signal.reason));
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new SberAbortError(operation, signal?.reason));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Backoff delay n (0-based): base × 2ⁿ capped, minus up to 25 % jitter. */
export function backoffDelay(n: number, timing: RetryTiming): number {
  const d = Math.min(timing.maxMs, timing.baseMs * 2 ** n);
  return Math.round(d * (1 - Math.random() * 0.25));
}

/** Retry-After in ms (seconds or an HTTP date), at most 60 s; undefined when absent or unreadable. */
export function retryAfterMs(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return undefined;
  const s = v.trim();
  let ms: number;
  if (/^\d+$/.test(s)) ms = Number(s) * 1000;
  else {
    const at = Date.parse(s);
    if (Number.isNaN(at)) return undefined;
    ms = at - now;
  }
  return Math.min(60_000, Math.max(0, ms));
}

/** One HTTP exchange with a deadline, the caller's signal and a cap on the body. Never retries. */
export async function exchangeOnce(t: Transport, x: Exchange, o: CallOptions, attempt: number): Promise<Reply> {
  const timeoutMs = o.timeoutMs ?? t.timeoutMs;
  if (o.signal?.aborted) throw new SberAbortError(x.operation, o.signal.reason);
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onAbort = (): void => controller.abort();
  o.signal?.addEventListener('abort', onAbort, { once: true });
  const started = performance.now();
  emit(t.hooks, 'onRequest', { operation: x.operation, method: x.method, path: x.path, attempt });
  try {
    const res = await request(t.origin + x.path + (x.query ? `?${x.query}` : ''), {
      method: x.method,
      headers: x.headers,
      body: x.body,
      dispatcher: t.dispatcher,
      signal: controller.signal,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const text = await readCapped(res.body, t.maxBodyBytes, res.headers['content-length'], x.operation);
    const rid = res.headers['x-request-id'];
    const requestId = Array.isArray(rid) ? rid[0] : rid;
    emit(t.hooks, 'onResponse', { operation: x.operation, method: x.method, path: x.path, attempt, status: res.statusCode, durationMs: performance.now() - started, requestId });
    return { status: res.statusCode, headers: res.headers, text, requestId };
  } catch (e) {
    if (timedOut) throw new SberTimeoutError({ operation: x.operation, timeoutMs });
    if (o.signal?.aborted) throw new SberAbortError(x.operation, o.signal.reason);
    if (e instanceof SberTransportError) throw e;
    throw transportError(e, x.operation);
  } finally {
    clearTimeout(timer);
    o.signal?.removeEventListener('abort', onAbort);
  }
}

async function readCapped(body: Dispatcher.ResponseData['body'], cap: number, contentLength: string | string[] | undefined, operation: string): Promise<string> {
  const declared = Number(Array.isArray(contentLength) ? contentLength[0] : contentLength);
  if (Number.isFinite(declared) && declared > cap) {
    body.destroy();
    throw new SberTransportError('RESPONSE_TOO_LARGE', `${operation}: the response declares ${declared} bytes (cap ${cap})`, true);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > cap) {
      body.destroy();
      throw new SberTransportError('RESPONSE_TOO_LARGE', `${operation}: the response exceeds ${cap} bytes`, true);
    }
    chunks.push(chunk);
  }
  return chunks.length === 1 ? decoder.decode(chunks[0]) : decoder.decode(Buffer.concat(chunks, size));
}

/** Whether a thrown error may be retried for an idempotent call: network failures and timeouts, never TLS or aborts. */
export function isRetryableError(e: unknown): boolean {
  return (SberTransportError.isInstance(e) && e.code === 'NETWORK') || SberTimeoutError.isInstance(e);
}

/**
 * An idempotent exchange: retries 429/5xx answers and network failures/timeouts with backoff (Retry-After
 * honoured up to 60 s). Returns the last answer, whatever its status.
 */
export async function exchangeIdempotent(t: Transport, x: Exchange, o: CallOptions): Promise<Reply> {
  for (let attempt = 0; ; attempt++) {
    let reason: string;
    let wait: number | undefined;
    try {
      const reply = await exchangeOnce(t, x, o, attempt);
      if (!RETRY_STATUSES.has(reply.status) || attempt >= t.maxRetries) return reply;
      reason = `HTTP ${reply.status}`;
      wait = retryAfterMs(reply.headers['retry-after']);
    } catch (e) {
      if (!isRetryableError(e) || attempt >= t.maxRetries) throw e;
      reason = (e as { code: string }).code;
    }
    const delayMs = wait ?? backoffDelay(attempt, t.retry);
    emit(t.hooks, 'onRetry', { operation: x.operation, method: x.method, path: x.path, attempt: attempt + 1, delayMs, reason });
    await sleep(delayMs, o.signal, x.operation);
  }
}

export { emit as emitHook, RETRY_STATUSES };
