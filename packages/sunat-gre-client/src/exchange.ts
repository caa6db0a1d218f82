import {
  backoffMs,
  classifyNetworkError,
  type Deadline,
  JWT_PATTERN,
  parseRetryAfter,
  Redactor,
  readBody,
  sleep,
  tlsCertificateAdvice,
} from '@internal/http-core';
import type { SunatAuth } from 'oauth-sunat';
import { request } from 'undici';
import { parseApiError } from './api-error.js';
import { GreAbortedError, GreAmbiguousSendError, GreError, GreNetworkError, GreTimeoutError, SunatApiError } from './errors.js';
import type { Checked, GreHookEvent, GreHooks } from './options.js';

const REQUEST_ID_HEADERS = ['x-request-id', 'x-correlation-id', 'request-id', 'x-amzn-requestid', 'x-b3-traceid'];

export interface Exchange {
  status: number;
  json: unknown;
  /** The body as text with the token redacted, for an error about a 2xx answer (computed only then). */
  rawBody: () => string;
  requestId?: string;
  retryAfterMs?: number;
}

/** A document being sent: any failure after which SUNAT may hold it becomes GreAmbiguousSendError, never a retry. */
export interface Sending {
  fileName: string;
  hash: string;
}

export interface Transport {
  /** One HTTP call with SUNAT's token: 401 renewed once, retried as the operation allows, within `d`. */
  exchange(operation: 'send' | 'status', url: string, body: string | undefined, d: Deadline, sending?: Sending): Promise<Exchange>;
  /** The caller's abort or the deadline as our error; undefined when neither happened. */
  stopped(d: Deadline, cause: unknown, ticket?: string): GreError | undefined;
  /** A hook or a caller's callback threw: tell `hooks.onHookError` (which itself may not throw either). */
  hookFailed(hook: string, error: unknown): void;
}

/** The HTTP side of one client: tokens, hooks, redaction, retries, ambiguous sends. */
export function createTransport(o: Checked, auth: SunatAuth, hooks: GreHooks | undefined): Transport {
  // this client's tokens (bounded) and anything shaped like a JWT: removed from every text an error keeps
  const redactor = new Redactor({ patterns: [JWT_PATTERN] });

  /** Calls a hook with the event `make` builds (only when that hook is set). */
  function emit(name: 'onRequest' | 'onResponse' | 'onRetry', make: () => GreHookEvent): void {
    const hook = hooks?.[name];
    if (!hook) return;
    try {
      hook.call(hooks, make());
    } catch (error) {
      // a hook must never break a request
      hookFailed(name, error);
    }
  }

  function hookFailed(hook: string, error: unknown): void {
    try {
      hooks?.onHookError?.call(hooks, { hook, error });
    } catch {
      // nothing left to tell
    }
  }

  async function tokenFor(d: Deadline): Promise<string> {
    try {
      const token = await auth.getToken({ signal: d.signal, timeoutMs: Math.max(1, d.remaining()) });
      redactor.addToken(token);
      return token;
    } catch (error) {
      throw stopped(d, error) ?? error;
    }
  }

  function stopped(d: Deadline, cause: unknown, ticket?: string): GreError | undefined {
    const why = d.stopped();
    if (why === 'aborted') return new GreAbortedError('The call was aborted by its signal', { ticket, cause: d.callerReason });
    if (why === 'timeout')
      return new GreTimeoutError(`No answer from SUNAT within ${d.timeoutMs} ms`, { timeoutMs: d.timeoutMs, ticket, cause: scrub(cause) });
    return undefined;
  }

  async function exchange(
    operation: 'send' | 'status',
    url: string,
    body: string | undefined,
    d: Deadline,
    sending?: Sending,
  ): Promise<Exchange> {
    const method = body === undefined ? 'GET' : 'POST';
    const ambiguous = (reason: string, status?: number, cause?: unknown): GreAmbiguousSendError =>
      new GreAmbiguousSendError({ fileName: sending!.fileName, hash: sending!.hash, reason, status, cause: scrub(cause) });
    let renewed = false;
    let retries = 0;
    for (let attempt = 1; ; attempt++) {
      const token = await tokenFor(d);
      const base: GreHookEvent = { operation, method, url, attempt };
      emit('onRequest', () => base);
      const started = performance.now();
      let failure: GreError;
      let retryAfterMs: number | undefined;
      let retryable: boolean;
      try {
        const res = await request(url, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            accept: 'application/json',
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body,
          dispatcher: o.dispatcher,
          signal: d.signal,
          // one stuck exchange must not eat a whole waitForResult deadline
          headersTimeout: o.timeoutMs,
          bodyTimeout: o.timeoutMs,
        });
        const requestId = requestIdOf(res.headers);
        const contentType = String(res.headers['content-type'] ?? '');
        const read = await readBody(res.body, o.maxResponseBytes, { signal: d.signal });
        const durationMs = performance.now() - started;
        emit('onResponse', () => ({ ...base, status: res.statusCode, durationMs, requestId }));
        if (!read.ok) {
          if (sending) throw ambiguous('bad_response', res.statusCode);
          throw new SunatApiError(`HTTP ${res.statusCode}: the response body is larger than ${o.maxResponseBytes} bytes`, {
            code: 'BAD_RESPONSE',
            status: res.statusCode,
            requestId,
            url,
          });
        }
        const text = read.bytes.toString('utf8');
        if (res.statusCode >= 200 && res.statusCode < 300) {
          try {
            return {
              status: res.statusCode,
              json: JSON.parse(text),
              rawBody: () => redactor.redact(text),
              requestId,
              retryAfterMs: parseRetryAfter(res.headers['retry-after']),
            };
          } catch {
            failure = parseApiError({ status: res.statusCode, contentType, requestId, url, rawBody: redactor.redact(text) });
            if (sending) throw ambiguous('bad_response', res.statusCode, failure);
            throw failure;
          }
        }
        if (res.statusCode === 401 && !renewed) {
          // The token expired early or was revoked: forget it, take a new one, try once more.
          renewed = true;
          await auth.invalidate(token);
          emit('onRetry', () => ({ ...base, status: 401, delayMs: 0, reason: 'token refused (401): renewed' }));
          continue;
        }
        retryAfterMs = parseRetryAfter(res.headers['retry-after']);
        failure = parseApiError({ status: res.statusCode, contentType, requestId, url, rawBody: redactor.redact(text), retryAfterMs });
        if (sending) {
          // 429 and 503 mean "not processed"; other 5xx and gateway pages may come after SUNAT stored it.
          if (res.statusCode >= 500 && res.statusCode !== 503) throw ambiguous(`HTTP ${res.statusCode}`, res.statusCode, failure);
          retryable = res.statusCode === 429 || res.statusCode === 503;
        } else retryable = res.statusCode === 429 || res.statusCode >= 500;
      } catch (error) {
        if (GreError.isInstance(error)) throw error;
        const durationMs = performance.now() - started;
        const halt = stopped(d, error);
        const net = classifyNetworkError(error);
        emit('onResponse', () => ({ ...base, durationMs, error: halt?.code ?? net.code }));
        const slow = net.kind === 'timeout';
        if (sending && !(net.notSent && !halt))
          throw ambiguous(
            halt ? (halt.code === 'ABORTED' ? 'aborted' : 'timeout') : slow ? 'timeout' : `network: ${net.code}`,
            undefined,
            error,
          );
        if (halt) throw halt;
        if (slow)
          throw new GreTimeoutError(`No answer from SUNAT within ${o.timeoutMs} ms (${net.code})`, {
            timeoutMs: o.timeoutMs,
            cause: scrub(error),
          });
        const message =
          net.kind === 'tls_certificate'
            ? `SUNAT at ${url} refused: ${tlsCertificateAdvice(net.code)}`
            : `Could not reach SUNAT (${net.code}) at ${url}`;
        failure = new GreNetworkError(message, { url, reason: net.code, cause: scrub(error) });
        retryable = net.retryable;
      }
      if (!retryable || retries >= o.maxRetries) throw failure;
      const delayMs = retryAfterMs ?? backoffMs(retries, { baseMs: o.retryBaseMs, maxMs: o.retryMaxMs });
      if (Date.now() + delayMs >= d.at) throw failure;
      retries++;
      emit('onRetry', () => ({ ...base, delayMs, reason: failure.message }));
      try {
        await sleep(delayMs, d.signal);
      } catch (error) {
        throw stopped(d, error) ?? error;
      }
    }
  }

  return { exchange, stopped, hookFailed };
}

function requestIdOf(headers: Record<string, string | string[] | undefined>): string | undefined {
  for (const h of REQUEST_ID_HEADERS) {
    const v = headers[h];
    if (typeof v === 'string') return v;
  }
  return undefined;
}

/** Keeps only the name, message and code of a low-level error (no request objects, headers or sockets). */
export function scrub(cause: unknown): unknown {
  if (cause === undefined || GreError.isInstance(cause)) return cause;
  if (cause instanceof Error) {
    const out = new Error(cause.message.replace(JWT_PATTERN, '[REDACTED]'));
    out.name = cause.name;
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string') (out as Error & { code?: string }).code = code;
    return out;
  }
  return undefined;
}
