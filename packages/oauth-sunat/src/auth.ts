import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import { errors as undiciErrors, request, type Dispatcher } from 'undici';
import { SunatAuthError, SunatAuthValidationError, hintFor } from './errors.js';
import { sharedFlight } from './shared-flight.js';
import { memoryTokenStore, type StoredToken, type TokenStore } from './store.js';
import { optionalNumber, requireRuc, requireText, requireUrl } from './validate.js';

export const DEFAULT_BASE_URL = 'https://api-seguridad.sunat.gob.pe/v1';
export const GRE_SCOPE = 'https://api-cpe.sunat.gob.pe';

export interface SunatAuthOptions {
  clientId: string;
  clientSecret: string;
  /** Required for the password grant: the username sent is `ruc + solUser`. */
  ruc?: string;
  solUser?: string;
  solPassword?: string;
  grant?: 'password' | 'client_credentials';
  scope?: string;
  /** Token host; default https://api-seguridad.sunat.gob.pe/v1. */
  baseUrl?: string;
  /** Renew this long before `expires_in` ends; default 300 (half the token's life when renewBefore is not shorter than it). */
  renewBeforeSeconds?: number;
  dispatcher?: Dispatcher;
  /** Deadline of one getToken call, retries included; default 30 000. */
  timeoutMs?: number;
  /** Retries of 429/5xx/network failures; default 3. */
  maxRetries?: number;
  store?: TokenStore;
}

export interface GetTokenOptions {
  signal?: AbortSignal;
  /** Ignore the cached token and ask SUNAT for a new one (e.g. after a 401). */
  forceRefresh?: boolean;
  timeoutMs?: number;
}

export interface SunatAuth {
  getToken(o?: GetTokenOptions): Promise<string>;
  /** Forgets the cached token (only if it still is `token`, when given), so the next getToken asks again. */
  invalidate(token?: string): Promise<void>;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 256 * 1024;
const RETRY_AFTER_CAP_MS = 60_000;
/** A token with more life than this is still handed out when its early renewal fails. */
const STILL_USABLE_MS = 30_000;

/** A token provider for SUNAT's APIs: cached, renewed early, one request at a time, retried safely. */
export function createSunatAuth(options: SunatAuthOptions): SunatAuth {
  const o = checkOptions(options);
  const store = options.store ?? memoryTokenStore();
  const key = `oauth-sunat:${createHash('sha256').update([o.baseUrl, o.clientId, o.grant, o.scope, o.username ?? ''].join('\n')).digest('hex')}`;
  const secrets = [o.clientSecret, o.solPassword].filter((s): s is string => !!s);
  let inflight: Promise<string> | undefined;
  /** The lifetime of the token this instance fetched last (the store holds only token + expiry). */
  let lastIssued: { token: string; lifeMs: number } | undefined;
  let closed = false;

  async function getToken(call: GetTokenOptions = {}): Promise<string> {
    if (closed) throw new SunatAuthError('This SunatAuth is closed', { kind: 'closed', code: 'CLOSED' });
    const timeoutMs = optionalNumber('timeoutMs', call.timeoutMs, 1) ?? o.timeoutMs;
    if (call.signal?.aborted) throw new SunatAuthError('getToken was aborted', { kind: 'aborted', code: 'ABORTED', cause: call.signal.reason });
    let cached: StoredToken | undefined;
    if (!call.forceRefresh && !inflight) {
      cached = await fromStore(() => store.get(key), 'read');
      if (cached && cached.expiresAt - renewMs(cached) > Date.now()) return cached.token;
    }
    // Single flight: every caller waits on one request; a caller's signal only stops its own wait.
    // …and across processes when the store has a lock (see shared-flight.ts)
    const usable = (t: StoredToken): boolean => t.expiresAt - renewMs(t) > Date.now();
    inflight ??= sharedFlight(store, key, () => fetchToken(timeoutMs), { timeoutMs, usable, forceRefresh: call.forceRefresh, guard: fromStore }).finally(() => {
      inflight = undefined;
    });
    try {
      return await abortable(inflight, call.signal, timeoutMs);
    } catch (error) {
      // An early renewal that failed: the current token still works for a while, so keep using it.
      if (cached && cached.expiresAt - STILL_USABLE_MS > Date.now() && SunatAuthError.isInstance(error) && error.kind !== 'aborted') return cached.token;
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
        raw = await readText(res.body, deadline);
      } catch (error) {
        if (SunatAuthError.isInstance(error)) throw error;
        if (deadline.aborted) throw new SunatAuthError(`No token from SUNAT within ${timeoutMs} ms`, { kind: 'timeout', code: 'TIMEOUT' });
        const failure = new SunatAuthError(`Could not reach SUNAT's token host (${describeNetworkError(error)})`, { kind: 'network', code: 'NETWORK', cause: scrubCause(error) });
        // a certificate that cannot be verified stays so: repeating the handshake only burns the deadline
        return { failure, retryable: !isTlsFailure(error) };
      }
      if (status === 200) {
        const issuedAt = Date.now();
        const parsed = parseToken(raw);
        if (!parsed) throw new SunatAuthError('SUNAT answered 200 without a usable access_token', { kind: 'bad_response', code: 'BAD_RESPONSE', status, rawBody: redact(raw, [tokenIn(raw)]) });
        const expiresAt = Math.min(issuedAt + parsed.expiresIn * 1000, jwtExpiry(parsed.token) ?? Infinity);
        await fromStore(() => store.set(key, { token: parsed.token, expiresAt }), 'save', parsed.token);
        lastIssued = { token: parsed.token, lifeMs: expiresAt - issuedAt };
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
      const backoff = Math.min(500 * 2 ** n, 8000) * (0.75 + Math.random() * 0.5);
      try {
        await sleep(retryAfterMs !== undefined ? Math.min(retryAfterMs, RETRY_AFTER_CAP_MS) : backoff, deadline);
      } catch {
        throw new SunatAuthError(`No token from SUNAT within ${timeoutMs} ms (last failure: ${failure.message})`, { kind: 'timeout', code: 'TIMEOUT', status: failure.status });
      }
    }
  }

  function httpError(status: number, contentType: string, raw: string): SunatAuthError {
    const text = redact(raw);
    if (/html/i.test(contentType) || /^\s*</.test(raw)) {
      return new SunatAuthError(`SUNAT's gateway answered ${status} with an HTML page instead of JSON: the token service is unavailable`, {
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
    return new SunatAuthError(`SUNAT refused the token request (HTTP ${status}${what ? `, ${what}` : ''})${hint ? `. ${hint}` : ''}`, {
      kind: 'http',
      status,
      code: code ?? `HTTP_${status}`,
      description,
      hint,
      rawBody: text,
    });
  }

  /** Removes the secrets (as sent: plain, form-encoded, JSON-escaped) and anything shaped like a JWT. */
  function redact(text: string, extra: (string | undefined)[] = []): string {
    let out = text;
    const known = [...secrets, ...(lastIssued ? [lastIssued.token] : []), ...extra.filter((s): s is string => !!s)];
    for (const s of known) {
      for (const form of new Set([s, encodeURIComponent(s), new URLSearchParams({ x: s }).toString().slice(2), JSON.stringify(s).slice(1, -1)]))
        if (form) out = out.split(form).join('[REDACTED]');
    }
    return out.replace(/eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, '[REDACTED]');
  }

  /** Runs a TokenStore call; its failure becomes a SunatAuthError whose cause keeps only name, code and a redacted message. */
  async function fromStore<T>(call: () => Promise<T>, what: 'read' | 'save' | 'delete' | 'lock', token?: string): Promise<T> {
    try {
      return await call();
    } catch (error) {
      const e = error as { name?: unknown; code?: unknown; message?: unknown };
      const cause = { name: String(e?.name ?? 'Error'), code: typeof e?.code === 'string' ? e.code : undefined, message: redact(String(e?.message ?? ''), [token]) };
      throw new SunatAuthError(`The token store failed to ${what} (${cause.name}${cause.code ? ` ${cause.code}` : ''})`, { kind: 'store', code: 'STORE_FAILED', cause });
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

interface CheckedOptions {
  clientId: string;
  clientSecret: string;
  grant: 'password' | 'client_credentials';
  scope: string;
  baseUrl: string;
  username?: string;
  solPassword?: string;
  renewBeforeSeconds: number;
  timeoutMs: number;
  maxRetries: number;
  dispatcher?: Dispatcher;
}

/** Everything that can be wrong with the options, named before any request. */
function checkOptions(options: SunatAuthOptions): CheckedOptions {
  if (typeof options !== 'object' || options === null) throw new SunatAuthValidationError('options', 'must be an object');
  const grant = options.grant ?? 'password';
  if (grant !== 'password' && grant !== 'client_credentials') throw new SunatAuthValidationError('grant', "must be 'password' or 'client_credentials'");
  const clientId = requireText('clientId', options.clientId);
  const clientSecret = requireText('clientSecret', options.clientSecret);
  let username: string | undefined;
  if (grant === 'password') {
    const ruc = requireRuc('ruc', options.ruc);
    const solUser = requireText('solUser', options.solUser);
    if (/^\d{11}/.test(solUser) && solUser.length > 11)
      throw new SunatAuthValidationError('solUser', 'is the SOL user alone (e.g. MODDATOS); the RUC is added in front of it');
    if (/\s/.test(solUser)) throw new SunatAuthValidationError('solUser', 'must not contain spaces');
    requireText('solPassword', options.solPassword);
    username = ruc + solUser;
  } else if (options.ruc !== undefined) requireRuc('ruc', options.ruc);
  return {
    clientId,
    clientSecret,
    grant,
    scope: requireText('scope', options.scope ?? GRE_SCOPE),
    baseUrl: requireUrl('baseUrl', options.baseUrl ?? DEFAULT_BASE_URL),
    username,
    solPassword: options.solPassword,
    renewBeforeSeconds: optionalNumber('renewBeforeSeconds', options.renewBeforeSeconds, 0) ?? 300,
    timeoutMs: optionalNumber('timeoutMs', options.timeoutMs, 1) ?? 30_000,
    maxRetries: optionalNumber('maxRetries', options.maxRetries, 0, true) ?? 3,
    dispatcher: options.dispatcher,
  };
}

/** The access_token of a 200 body, when there is a string one (to redact it from a refused answer). */
function tokenIn(raw: string): string | undefined {
  try {
    const token = (JSON.parse(raw) as Record<string, unknown>)?.['access_token'];
    return typeof token === 'string' ? token : undefined;
  } catch {
    return undefined;
  }
}

function parseToken(raw: string): { token: string; expiresIn: number } | undefined {
  try {
    const body = JSON.parse(raw) as Record<string, unknown>;
    const token = body['access_token'];
    const expiresIn = Number(body['expires_in'] ?? 3600);
    if (typeof token !== 'string' || token === '' || !Number.isFinite(expiresIn) || expiresIn <= 0) return undefined;
    return { token, expiresIn };
  } catch {
    return undefined;
  }
}

/** The JWT's `exp` in ms, when the token is a JWT (SUNAT's are); never trusted beyond expires_in. */
function jwtExpiry(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const exp = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown }).exp;
    return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

async function readText(body: AsyncIterable<Buffer> & { destroy?(): void }, signal: AbortSignal): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      body.destroy?.();
      throw new SunatAuthError(`SUNAT's answer exceeded ${MAX_BODY_BYTES} bytes`, { kind: 'bad_response', code: 'BAD_RESPONSE' });
    }
    chunks.push(chunk);
    if (signal.aborted) break;
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseRetryAfter(value: string | string[] | undefined): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v.trim()) * 1000;
  const date = Date.parse(v);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function firstString(...values: unknown[]): string | undefined {
  for (const v of values) {
    if (typeof v === 'string' && v !== '') return v;
    if (typeof v === 'number') return String(v);
  }
  return undefined;
}

function describeNetworkError(error: unknown): string {
  if (error instanceof undiciErrors.UndiciError) return `${error.code}: ${error.message}`;
  const e = error as { code?: unknown; message?: unknown };
  return typeof e?.code === 'string' ? e.code : typeof e?.message === 'string' ? e.message : 'unknown error';
}

const TLS_CODE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|HOSTNAME|ERR_TLS|ERR_SSL/;

/** A refused server certificate (unknown CA, wrong host name, expired) or another TLS handshake failure. */
function isTlsFailure(error: unknown): boolean {
  for (let e: unknown = error, i = 0; e && i < 5; e = (e as { cause?: unknown }).cause, i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && TLS_CODE.test(code)) return true;
  }
  return false;
}

/** Network errors carry no request body, but keep only what helps: name, code, message. */
function scrubCause(error: unknown): unknown {
  const e = error as { name?: string; code?: string; message?: string };
  return { name: e?.name, code: e?.code, message: e?.message };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Waits for a shared promise, letting one caller give up without cancelling the others. */
function abortable<T>(promise: Promise<T>, callerSignal: AbortSignal | undefined, timeoutMs: number): Promise<T> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = callerSignal ? AbortSignal.any([callerSignal, timeout]) : timeout;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void =>
      reject(
        callerSignal?.aborted
          ? new SunatAuthError('getToken was aborted', { kind: 'aborted', code: 'ABORTED', cause: callerSignal.reason })
          : new SunatAuthError(`No token from SUNAT within ${timeoutMs} ms`, { kind: 'timeout', code: 'TIMEOUT' }),
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
