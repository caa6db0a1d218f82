import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import {
  backoffMs,
  classifyNetworkError,
  JWT_PATTERN,
  parseRetryAfter,
  Redactor,
  readBody,
  sleep,
  tlsCertificateAdvice,
} from '@internal/http-core';
import { request } from 'undici';
import { authError, hintFor, SunatAuthError } from './errors.js';
import { checkOptions, type SunatAuthOptions } from './options.js';
import { sharedFlight } from './shared-flight.js';
import { memoryTokenStore, type StoredToken } from './store.js';
import { firstString, jwtExpiry, parseToken, tokenIn } from './token-response.js';
import { optionalNumber } from './validate.js';

/** Options of one {@link SunatAuth.getToken} call. */
export interface GetTokenOptions {
  /** Stops this caller's wait (a shared request goes on for the others); rejects with {@link SunatAuthAbortError}. */
  signal?: AbortSignal;
  /** Ignore the cached token and ask SUNAT for a new one (e.g. after a 401). */
  forceRefresh?: boolean;
  /** Deadline of this call in milliseconds, retries included; default the auth's `timeoutMs`. */
  timeoutMs?: number;
}

/** A SUNAT token provider, made by {@link createSunatAuth}. */
export interface SunatAuth {
  /**
   * Resolves to a valid access token: the cached one, or a new one asked of SUNAT (one request shared by all
   * concurrent callers). Rejects with {@link SunatAuthError} (kind `closed` after {@link SunatAuth.close}).
   */
  getToken(o?: GetTokenOptions): Promise<string>;
  /** Forgets the cached token (only if it still is `token`, when given), so the next getToken asks again. */
  invalidate(token?: string): Promise<void>;
  /** Marks this provider closed: later getToken calls reject with kind `closed`. The store is left open. */
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 256 * 1024;
/** A token with more life than this is still handed out when its early renewal fails. */
const STILL_USABLE_MS = 30_000;

/** A token provider for SUNAT's APIs: cached, renewed early, one request at a time, retried safely. */
export function createSunatAuth(options: SunatAuthOptions): SunatAuth {
  const o = checkOptions(options);
  const store = options.store ?? memoryTokenStore();
  const key = `oauth-sunat:${createHash('sha256')
    .update([o.baseUrl, o.clientId, o.grant, o.scope, o.username ?? ''].join('\n'))
    .digest('hex')}`;
  // this instance's secrets for its whole life, plus the tokens it fetched (and anything shaped like a JWT)
  const redactor = new Redactor({ secrets: [o.clientSecret, o.solPassword], patterns: [JWT_PATTERN], minLength: 1 });
  let inflight: Promise<string> | undefined;
  /** The lifetime of the token this instance fetched last (the store holds only token + expiry). */
  let lastIssued: { token: string; lifeMs: number } | undefined;
  let closed = false;

  async function getToken(call: GetTokenOptions = {}): Promise<string> {
    if (closed) throw authError('This SunatAuth is closed', { kind: 'closed', code: 'CLOSED' });
    const timeoutMs = optionalNumber('timeoutMs', call.timeoutMs, 1) ?? o.timeoutMs;
    if (call.signal?.aborted) throw authError('getToken was aborted', { kind: 'aborted', code: 'ABORTED', cause: call.signal.reason });
    let cached: StoredToken | undefined;
    if (!call.forceRefresh && !inflight) {
      cached = await fromStore(() => store.get(key), 'read');
      if (cached && cached.expiresAt - renewMs(cached) > Date.now()) return cached.token;
    }
    // Single flight: every caller waits on one request; a caller's signal only stops its own wait.
    // …and across processes when the store has a lock (see shared-flight.ts)
    const usable = (t: StoredToken): boolean => t.expiresAt - renewMs(t) > Date.now();
    inflight ??= sharedFlight(store, key, () => fetchToken(timeoutMs), {
      timeoutMs,
      usable,
      forceRefresh: call.forceRefresh,
      guard: fromStore,
    }).finally(() => {
      inflight = undefined;
    });
    try {
      return await abortable(inflight, call.signal, timeoutMs);
    } catch (error) {
      // An early renewal that failed: the current token still works for a while, so keep using it.
      if (cached && cached.expiresAt - STILL_USABLE_MS > Date.now() && SunatAuthError.isInstance(error) && error.kind !== 'aborted')
        return cached.token;
      throw error;
    }
  }

  /** Renew early, but never so early that a short-lived token is always stale. */
  function renewMs(t: StoredToken): number {
    const life = lastIssued?.token === t.token ? lastIssued.lifeMs : t.issuedAt !== undefined ? t.expiresAt - t.issuedAt : Infinity;
    const renew = o.renewBeforeSeconds * 1000;
    return renew < life ? renew : life / 2;
  }

  async function fetchToken(timeoutMs: number): Promise<string> {
    const deadline = AbortSignal.timeout(timeoutMs);
    const form = new URLSearchParams({ grant_type: o.grant, scope: o.scope, client_id: o.clientId, client_secret: o.clientSecret });
    if (o.grant === 'password') {
      form.set('username', o.username!);
      form.set('password', o.solPassword!);
    }
    const url = `${o.baseUrl}/clientessol/${encodeURIComponent(o.clientId)}/oauth2/token/`;

    type Attempt = { token: string } | { failure: SunatAuthError; retryable: boolean; retryAfterMs?: number };
    const attempt = async (): Promise<Attempt> => {
      let status: number;
      let headers: Record<string, string | string[] | undefined>;
      let raw: string;
      try {
        const res = await request(url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body: form.toString(),
          dispatcher: o.dispatcher,
          signal: deadline,
        });
        status = res.statusCode;
        headers = res.headers;
        // a body cut by the deadline rejects (→ TIMEOUT below): half a body is never parsed as a whole one
        const read = await readBody(res.body, MAX_BODY_BYTES, { signal: deadline });
        if (!read.ok)
          throw authError(`SUNAT's answer exceeded ${MAX_BODY_BYTES} bytes`, { kind: 'bad_response', code: 'BAD_RESPONSE', status });
        raw = read.bytes.toString('utf8');
      } catch (error) {
        if (SunatAuthError.isInstance(error)) throw error;
        if (deadline.aborted) throw authError(`No token from SUNAT within ${timeoutMs} ms`, { kind: 'timeout', code: 'TIMEOUT' });
        const net = classifyNetworkError(error);
        const tls = net.kind === 'tls_certificate';
        const failure = authError(
          tls
            ? `SUNAT's token host refused: ${tlsCertificateAdvice(net.code)}`
            : `Could not reach SUNAT's token host (${describeNetworkError(error, net.code)})`,
          {
            kind: 'network',
            code: tls || net.kind === 'tls' ? 'TLS' : 'NETWORK',
            cause: scrubCause(error),
          },
        );
        // a certificate that cannot be verified stays so: repeating the handshake only burns the deadline
        return { failure, retryable: net.retryable };
      }
      if (status === 200) {
        const issuedAt = Date.now();
        const parsed = parseToken(raw);
        if (!parsed)
          throw authError('SUNAT answered 200 without a usable access_token', {
            kind: 'bad_response',
            code: 'BAD_RESPONSE',
            status,
            rawBody: redact(raw, [tokenIn(raw)]),
          });
        const expiresAt = Math.min(issuedAt + parsed.expiresIn * 1000, jwtExpiry(parsed.token) ?? Infinity);
        await fromStore(() => store.set(key, { token: parsed.token, expiresAt }), 'save', parsed.token);
        lastIssued = { token: parsed.token, lifeMs: expiresAt - issuedAt };
        redactor.addToken(parsed.token);
        return { token: parsed.token };
      }
      const failure = httpError(status, String(headers['content-type'] ?? ''), raw);
      return { failure, retryable: status === 429 || status >= 500, retryAfterMs: parseRetryAfter(headers['retry-after']) };
    };

    for (let n = 0; ; n++) {
      const result = await attempt();
      if ('token' in result) return result.token;
      const { failure, retryable, retryAfterMs } = result;
      if (!retryable || n >= o.maxRetries) throw failure;
      try {
        await sleep(retryAfterMs ?? backoffMs(n), deadline);
      } catch {
        throw authError(`No token from SUNAT within ${timeoutMs} ms (last failure: ${failure.message})`, {
          kind: 'timeout',
          code: 'TIMEOUT',
          status: failure.status,
        });
      }
    }
  }

  function httpError(status: number, contentType: string, raw: string): SunatAuthError {
    const text = redact(raw);
    if (/html/i.test(contentType) || /^\s*</.test(raw)) {
      return authError(`SUNAT's gateway answered ${status} with an HTML page instead of JSON: the token service is unavailable`, {
        kind: 'gateway',
        code: 'GATEWAY_HTML',
        status,
        rawBody: text,
      });
    }
    let code: string | undefined;
    let description: string | undefined;
    try {
      const body = JSON.parse(raw) as Record<string, unknown>;
      code = firstString(body['error'], body['cod'], body['status']);
      description = firstString(body['error_description'], body['msg'], body['message']);
    } catch {
      // not JSON: keep the (redacted) text only
    }
    // a hostile or careless server may put anything in either field
    code = code === undefined ? undefined : redact(code);
    description = description === undefined ? undefined : redact(description);
    const hint = hintFor(status, code, description);
    const what = [code, description].filter(Boolean).join(': ');
    return authError(`SUNAT refused the token request (HTTP ${status}${what ? `, ${what}` : ''})${hint ? `. ${hint}` : ''}`, {
      kind: 'http',
      status,
      code: code ?? `HTTP_${status}`,
      description,
      hint,
      rawBody: text,
    });
  }

  /** Removes the secrets (as sent: plain, form-encoded, JSON-escaped), the tokens and anything shaped like a JWT. */
  function redact(text: string, extra: (string | undefined)[] = []): string {
    const extraFound = extra.filter((s): s is string => !!s);
    return new Redactor({ secrets: extraFound, minLength: 1, parent: redactor }).redact(text);
  }

  /** Runs a TokenStore call; its failure becomes a SunatAuthError whose cause keeps only name, code and a redacted message. */
  async function fromStore<T>(call: () => Promise<T>, what: 'read' | 'save' | 'delete' | 'lock', token?: string): Promise<T> {
    try {
      return await call();
    } catch (error) {
      const e = error as { name?: unknown; code?: unknown; message?: unknown };
      // the store's own error may quote the token: the cause keeps its name, code and redacted message only
      const cause = scrubCause({ name: String(e?.name ?? 'Error'), code: e?.code, message: redact(String(e?.message ?? ''), [token]) });
      const code = (cause as { code?: string }).code;
      throw authError(`The token store failed to ${what} (${cause.name}${code ? ` ${code}` : ''})`, {
        kind: 'store',
        code: 'STORE_FAILED',
        cause,
      });
    }
  }

  const auth: SunatAuth & { [inspect.custom](): string } = {
    getToken,
    async invalidate(token) {
      if (token !== undefined) {
        const current = await fromStore(() => store.get(key), 'read');
        if (current && current.token !== token) return;
      }
      await fromStore(() => store.delete(key), 'delete');
    },
    async close() {
      closed = true;
    },
    [inspect.custom]() {
      return `SunatAuth { clientId: ${JSON.stringify(o.clientId)}, grant: '${o.grant}', baseUrl: ${JSON.stringify(o.baseUrl)} }`;
    },
  };
  Object.defineProperty(auth, 'toJSON', { value: () => ({ clientId: o.clientId, grant: o.grant, baseUrl: o.baseUrl }), enumerable: false });
  return auth;
}

function describeNetworkError(error: unknown, code: string): string {
  const e = error as { code?: unknown; message?: unknown };
  if (typeof e?.code === 'string' && e.code.startsWith('UND_ERR') && typeof e.message === 'string') return `${e.code}: ${e.message}`;
  return code !== 'UNKNOWN' ? code : typeof e?.message === 'string' ? e.message : 'unknown error';
}

/** Network errors carry no request body, but keep only what helps: name, code, message. */
function scrubCause(error: unknown): Error {
  const e = error as { name?: unknown; code?: unknown; message?: unknown };
  const out = new Error(typeof e?.message === 'string' ? e.message : String(error));
  out.name = typeof e?.name === 'string' ? e.name : 'Error';
  if (typeof e?.code === 'string') Object.assign(out, { code: e.code });
  return out;
}

/** Waits for a shared promise, letting one caller give up without cancelling the others. */
function abortable<T>(promise: Promise<T>, callerSignal: AbortSignal | undefined, timeoutMs: number): Promise<T> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = callerSignal ? AbortSignal.any([callerSignal, timeout]) : timeout;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void =>
      reject(
        callerSignal?.aborted
          ? authError('getToken was aborted', { kind: 'aborted', code: 'ABORTED', cause: callerSignal.reason })
          : authError(`No token from SUNAT within ${timeoutMs} ms`, { kind: 'timeout', code: 'TIMEOUT' }),
      );
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
