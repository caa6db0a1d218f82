import {
  backoffMs,
  classifyNetworkError,
  createDeadline,
  parseRetryAfter,
  type Redactor,
  readBody,
  tlsCertificateAdvice,
  sleep as wait,
} from '@internal/http-core';
import { type Dispatcher, request } from 'undici';
import { SberAbortError, SberTimeoutError, SberTransportError } from './errors.js';

/**
 * Observability without secrets: paths never carry a query string, no headers, no bodies. A throwing hook (or a
 * throwing `onStatus` callback) never changes the outcome of a call: its error goes to `onHookError`.
 */
export interface SberHooks {
  /** Before each attempt: the operation ('create debt registry', …), method, path without query, attempt (0-based). */
  onRequest?(e: { operation: string; method: string; path: string; attempt: number }): void;
  /** After each answer: its status, the attempt's duration in ms and the `X-Request-Id`. */
  onResponse?(e: {
    operation: string;
    method: string;
    path: string;
    attempt: number;
    status: number;
    durationMs: number;
    requestId: string | undefined;
  }): void;
  /** Before a retry: the delay in ms and the reason (a status, a reset, a timeout). */
  onRetry?(e: { operation: string; method: string; path: string; attempt: number; delayMs: number; reason: string }): void;
  /** A hook or a caller's callback (`onStatus`) threw: its error, which the call itself ignores. */
  onHookError?(e: { hook: string; error: unknown }): void;
}

/** Options of one call. */
export interface CallOptions {
  /** Aborts the call (and its retries and waits): it then throws SberAbortError. */
  signal?: AbortSignal;
  /** Per attempt: connect + headers + the whole body. */
  timeoutMs?: number;
}

/** Backoff between retries: `baseMs × 2ⁿ`, capped at `maxMs`, with up to 25 % jitter; a `Retry-After` is honoured up to 60 s. */
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
  /** The owner's secrets: error bodies are redacted with it before they are cut to their cap. */
  redactor: Redactor;
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
const decoder = new TextDecoder();

function emit<K extends keyof SberHooks>(hooks: SberHooks | undefined, name: K, event: Parameters<NonNullable<SberHooks[K]>>[0]): void {
  const fn = hooks?.[name] as ((e: unknown) => void) | undefined;
  if (!fn) return;
  try {
    fn.call(hooks, event);
  } catch (error) {
    // a hook must never change the outcome of a call
    if (name !== 'onHookError') emit(hooks, 'onHookError', { hook: name, error });
  }
}

/** Turns a failure of undici into a typed error: TLS refusals, network failures (with "may have been processed"). */
export function transportError(e: unknown, operation: string): SberTransportError {
  const net = classifyNetworkError(e);
  if (net.kind === 'tls_certificate')
    return new SberTransportError('TLS', `${operation}: ${tlsCertificateAdvice(net.code)}`, false, { cause: e });
  if (net.kind === 'tls')
    return new SberTransportError(
      'TLS',
      `${operation}: TLS handshake refused (${net.code}): check the tls (client certificate) and ca options`,
      false,
      { cause: e },
    );
  return new SberTransportError('NETWORK', `${operation}: network failure (${net.code})`, !net.notSent, { cause: e });
}

/** An abortable wait; the caller's abort becomes SberAbortError. */
export async function sleep(ms: number, signal: AbortSignal | undefined, operation: string): Promise<void> {
  try {
    await wait(ms, signal);
  } catch {
    throw new SberAbortError(operation, signal?.reason);
  }
}

/** One HTTP exchange with a deadline, the caller's signal and a cap on the body. Never retries. */
export async function exchangeOnce(t: Transport, x: Exchange, o: CallOptions, attempt: number): Promise<Reply> {
  const timeoutMs = o.timeoutMs ?? t.timeoutMs;
  if (o.signal?.aborted) throw new SberAbortError(x.operation, o.signal.reason);
  const d = createDeadline(timeoutMs, o.signal);
  const started = performance.now();
  emit(t.hooks, 'onRequest', { operation: x.operation, method: x.method, path: x.path, attempt });
  try {
    const res = await request(t.origin + x.path + (x.query ? `?${x.query}` : ''), {
      method: x.method,
      headers: x.headers,
      body: x.body,
      dispatcher: t.dispatcher,
      signal: d.signal,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const read = await readBody(res.body, t.maxBodyBytes, { signal: d.signal, contentLength: res.headers['content-length'] });
    if (!read.ok)
      throw new SberTransportError(
        'RESPONSE_TOO_LARGE',
        read.declared !== undefined
          ? `${x.operation}: the response declares ${read.declared} bytes (cap ${read.limit})`
          : `${x.operation}: the response exceeds ${read.limit} bytes`,
        true,
      );
    const text = decoder.decode(read.bytes);
    const rid = res.headers['x-request-id'];
    const requestId = Array.isArray(rid) ? rid[0] : rid;
    emit(t.hooks, 'onResponse', {
      operation: x.operation,
      method: x.method,
      path: x.path,
      attempt,
      status: res.statusCode,
      durationMs: performance.now() - started,
      requestId,
    });
    return { status: res.statusCode, headers: res.headers, text, requestId };
  } catch (e) {
    const why = d.stopped();
    if (why === 'aborted') throw new SberAbortError(x.operation, o.signal?.reason);
    if (why === 'timeout') throw new SberTimeoutError({ operation: x.operation, timeoutMs });
    if (SberTransportError.isInstance(e)) throw e;
    throw transportError(e, x.operation);
  } finally {
    d.dispose();
  }
}

/** Whether a thrown error may be retried for an idempotent call: network failures and timeouts, never TLS or aborts. */
export function isRetryableError(e: unknown): boolean {
  return (SberTransportError.isInstance(e) && e.code === 'NETWORK') || SberTimeoutError.isInstance(e);
}

/** Delay before retry `n` (0-based), from the shared policy (±25 % around base × 2ⁿ, capped). */
export const backoffDelay = (n: number, timing: RetryTiming): number => backoffMs(n, timing);

/** Retry-After in ms (seconds, decimals allowed, or an HTTP date), at most 60 s; undefined when absent or unreadable. */
export const retryAfterMs = (value: string | string[] | undefined, now = Date.now()): number | undefined => parseRetryAfter(value, now);

/**
 * An idempotent exchange: retries 429/5xx answers and network failures/timeouts with backoff (Retry-After
 * honoured up to 60 s). Returns the last answer, whatever its status.
 */
export async function exchangeIdempotent(t: Transport, x: Exchange, o: CallOptions): Promise<Reply> {
  for (let attempt = 0; ; attempt++) {
    let reason: string;
    let delay: number | undefined;
    try {
      const reply = await exchangeOnce(t, x, o, attempt);
      if (!RETRY_STATUSES.has(reply.status) || attempt >= t.maxRetries) return reply;
      reason = `HTTP ${reply.status}`;
      delay = retryAfterMs(reply.headers['retry-after']);
    } catch (e) {
      if (!isRetryableError(e) || attempt >= t.maxRetries) throw e;
      reason = (e as { code: string }).code;
    }
    const delayMs = delay ?? backoffDelay(attempt, t.retry);
    emit(t.hooks, 'onRetry', { operation: x.operation, method: x.method, path: x.path, attempt: attempt + 1, delayMs, reason });
    await sleep(delayMs, o.signal, x.operation);
  }
}

export { emit as emitHook, RETRY_STATUSES };
