import { createDeadline } from '@internal/http-core';
import type { Dispatcher } from 'undici';
import { apiBase, loginBaseFor, originOf } from './environments.js';
import {
  parseErrorBody,
  SberAbortError,
  SberApiError,
  SberAuthError,
  SberError,
  SberTimeoutError,
  SberValidationError,
  scrubbedCause,
} from './errors.js';
import {
  type CallOptions,
  exchangeIdempotent,
  exchangeOnce,
  type Reply,
  type RetryTiming,
  type SberHooks,
  type Transport,
} from './http.js';
import { absoluteUrl, dispatcherFor, int, nonEmpty, retryTiming } from './option-checks.js';
import { createRedactor, guarded, REDACTOR, Secret } from './secrets.js';
import { checkTokens, type SberRotation, type SberTokenStore, type SberTokens } from './store.js';
import type { SberCaOption, SberTlsOptions } from './tls.js';
import { tokenError, tokensFrom } from './token-response.js';

const TOKEN_PATH = '/ic/sso/api/v2/oauth/token';
const AUTHORIZE_PATH = '/ic/sso/api/v2/oauth/authorize';
const CHANGE_SECRET_PATH = '/ic/sso/api/v1/change-client-secret';

/** Options of {@link createSberAuth}: `environment`, `clientId`, `clientSecret` and `store` always, `tls` unless a `dispatcher` is given. */
export interface SberAuthOptions {
  /** The fintech host, named as in `createSberClient`: the token endpoint lives there, behind mutual TLS. */
  environment:
    | 'production'
    | 'test'
    | {
        /** An https origin such as `https://127.0.0.1:8443`; no credentials, query or fragment. */
        baseUrl: string;
      };
  /** The `client_id` Sber registered (also the CN of the client certificate). */
  clientId: string;
  /** The `client_secret`; it expires (~40 days): see `changeClientSecret`. Never shown in errors or hooks. */
  clientSecret: string;
  /** The client certificate; not needed when `dispatcher` is given. */
  tls?: SberTlsOptions;
  /** CA of Sber's server certificate; Node's roots when omitted. */
  ca?: SberCaOption;
  /** An undici Dispatcher to send through (e.g. `createSberAgent`'s, shared with the client); then `tls` and `ca` are not used. */
  dispatcher?: Dispatcher;
  /** Where the token pair lives between runs; required, because Sber rotates the refresh token on every refresh. */
  store: SberTokenStore;
  /** The browser login host; default: Sber's login host paired with `environment`, else the API host itself. */
  loginBaseUrl?: string;
  /** Per attempt (connect + headers + whole body), default 30000. */
  timeoutMs?: number;
  /** Retries of one token request (default 4). */
  maxRetries?: number;
  /** Refresh this long before the access token expires (default 60). */
  refreshBeforeExpirySeconds?: number;
  /** Observability callbacks (no secrets, no bodies). */
  hooks?: SberHooks;
  /** Backoff between retries; default `{ baseMs: 500, maxMs: 8000 }`. */
  retryDelay?: Partial<RetryTiming>;
  /** The clock (tests). */
  now?: () => number;
}

/** SberBusiness ID for one client: the login URL, the code exchange, access tokens with refresh-token rotation, the secret change. */
export interface SberAuth {
  /** The URL to send the user's browser to. Pure: validates and builds. */
  authorizationUrl(o: { scope: string; state: string; nonce: string; redirectUri: string; loginBaseUrl?: string }): string;
  /** Trades the one-time code (2 min, single use) for tokens and persists them. */
  exchangeCode(code: string, redirectUri: string, o?: CallOptions): Promise<void>;
  /**
   * A valid access token; refreshes (one refresh shared by concurrent callers) when needed. `signal` and
   * `timeoutMs` bound this caller's wait only (a shared refresh goes on for the others).
   */
  getToken(o?: CallOptions): Promise<string>;
  /** Forgets the access token (all of it, or only when it equals `token`): the next getToken refreshes. */
  invalidate(token?: string): Promise<void>;
  /** Changes the client secret (it expires, ~40 days). Persist `newSecret` in your own configuration first. */
  changeClientSecret(
    newSecret: string,
    o?: CallOptions,
  ): Promise<{
    /** Days until the new secret expires (Sber's `clientSecretExpiration`). */
    clientSecretExpirationDays: number;
  }>;
  /** Closes the Agent this object created (not an injected dispatcher). */
  close(): Promise<void>;
}

/**
 * SberBusiness ID (OAuth 2.0 authorization code + refresh rotation) for one client_id.
 *
 * Rotation discipline: every refresh returns a new pair; the new pair is saved in `store` (awaited) before the
 * access token is handed out. A lost refresh answer is retried with the same token, which Sber keeps valid
 * as a reserve; if the current token is refused, the stored reserve is tried within its hour.
 */
export function createSberAuth(options: SberAuthOptions): SberAuth {
  if (typeof options !== 'object' || options === null) throw new SberValidationError('options', 'must be an object');
  if ('baseUrl' in options)
    throw new SberValidationError(
      'baseUrl',
      "is not an option: use environment ('production', 'test' or { baseUrl }), as createSberClient does",
    );
  const api = apiBase(options.environment, 'environment');
  const clientId = nonEmpty(options.clientId, 'clientId');
  let clientSecret = new Secret(nonEmpty(options.clientSecret, 'clientSecret'));
  // this object's secrets for its whole life; the tokens it sees are added as they come
  const redactor = createRedactor([clientSecret.reveal(), (options.tls as { passphrase?: string } | undefined)?.passphrase]);
  const remember = (t: SberTokens): SberTokens => {
    for (const token of [t.accessToken, t.refreshToken, t.reserveRefreshToken, t.idToken]) redactor.addToken(token);
    return t;
  };
  const store = options.store;
  if (typeof store?.load !== 'function' || typeof store?.save !== 'function')
    throw new SberValidationError('store', 'must have load() and save(tokens)');
  const loginBase = options.loginBaseUrl === undefined ? loginBaseFor(api) : originOf(options.loginBaseUrl, 'loginBaseUrl');
  const { dispatcher, ownAgent } = dispatcherFor(options, 'the token endpoint needs the client certificate');
  const now = options.now ?? Date.now;
  const refreshBeforeMs = int(options.refreshBeforeExpirySeconds, 'refreshBeforeExpirySeconds', 60) * 1000;
  const t: Transport = {
    origin: api,
    dispatcher,
    hooks: options.hooks,
    timeoutMs: int(options.timeoutMs, 'timeoutMs', 30_000, 1),
    maxRetries: int(options.maxRetries, 'maxRetries', 4),
    retry: retryTiming(options.retryDelay, 'retryDelay'),
    maxBodyBytes: 1024 * 1024,
    redactor,
  };

  let tokens: SberTokens | undefined;
  let loaded = false;
  /** The pair in memory was not persisted yet (a failed save): persist before handing out its access token. */
  let unsaved = false;
  let refreshing: Promise<string> | undefined;

  /** The store's tokens; a failing store becomes STORE_FAILED (its own error may quote the tokens). */
  async function load(): Promise<SberTokens | undefined> {
    try {
      return await store.load();
    } catch (e) {
      if (SberError.isInstance(e)) throw e;
      throw new SberAuthError('STORE_FAILED', 'The tokens could not be loaded from the store', {
        cause: scrubbedCause(e, (x) => redactor.redact(x)),
      });
    }
  }

  async function current(): Promise<SberTokens | undefined> {
    if (!loaded) {
      const v = await load();
      if (!loaded) {
        tokens = v === undefined ? undefined : remember(checkTokens(v, 'store'));
        loaded = true;
      }
    }
    return tokens;
  }

  async function persist(next: SberTokens): Promise<void> {
    tokens = next;
    unsaved = true;
    try {
      await store.save(next);
    } catch (e) {
      throw new SberAuthError(
        'STORE_FAILED',
        'The new tokens could not be saved; the access token was not used (the next call saves again)',
        { cause: SberError.isInstance(e) ? e : scrubbedCause(e, (x) => redactor.redact(x)) },
      );
    }
    if (tokens === next) unsaved = false;
  }

  function tokenRequest(form: URLSearchParams, o: CallOptions, operation: string): Promise<Reply> {
    form.set('client_id', clientId);
    form.set('client_secret', clientSecret.reveal());
    return exchangeIdempotent(
      t,
      {
        operation,
        method: 'POST',
        path: TOKEN_PATH,
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
      },
      o,
    );
  }

  async function refreshWith(refreshToken: string): Promise<SberTokens> {
    const reply = await tokenRequest(
      new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }),
      {},
      'refresh token',
    );
    if (reply.status !== 200) throw tokenError(reply, redactor);
    return tokensFrom(reply, now(), redactor, refreshToken);
  }

  const isRefused = (e: unknown): boolean => SberAuthError.isInstance(e) && e.code === 'OAUTH_ERROR' && e.error === 'invalid_grant';

  async function refresh(): Promise<string> {
    if (store.rotate) return refreshShared(store.rotate.bind(store));
    let base = await current();
    if (base && unsaved) {
      await persist(base);
      if (base.accessTokenExpiresAt - refreshBeforeMs > now()) return base.accessToken;
    }
    // Another process sharing the store may have rotated already.
    const latest = await load();
    if (latest && latest.refreshToken !== base?.refreshToken) {
      base = tokens = remember(checkTokens(latest, 'store'));
      if (base.accessTokenExpiresAt - refreshBeforeMs > now()) return base.accessToken;
    }
    if (!base)
      throw new SberAuthError('LOGIN_REQUIRED', 'No tokens in the store: send the user to authorizationUrl() and call exchangeCode()');
    const next = await rotateFrom(base);
    await persist(next);
    return next.accessToken;
  }

  /**
   * The refresh across processes: under the store's lock, with the tokens stored now. A fresh access token that
   * is not the one this process gave up on (expired, invalidated) means another process rotated: use it.
   */
  async function refreshShared(rotate: (r: SberRotation) => Promise<SberTokens | undefined>): Promise<string> {
    const mine = tokens?.accessToken;
    let saved: SberTokens | undefined;
    try {
      saved = await rotate(async (stored) => {
        if (!stored)
          throw new SberAuthError('LOGIN_REQUIRED', 'No tokens in the store: send the user to authorizationUrl() and call exchangeCode()');
        const base = checkTokens(stored, 'store');
        if (base.accessToken !== mine && base.accessTokenExpiresAt - refreshBeforeMs > now()) return undefined;
        return rotateFrom(base);
      });
    } catch (e) {
      if (SberError.isInstance(e)) throw e;
      throw new SberAuthError('STORE_FAILED', 'The shared token store failed; no new tokens were saved or used', {
        cause: scrubbedCause(e, (x) => redactor.redact(x)),
      });
    }
    if (!saved)
      throw new SberAuthError('LOGIN_REQUIRED', 'No tokens in the store: send the user to authorizationUrl() and call exchangeCode()');
    tokens = checkTokens(saved, 'store');
    loaded = true;
    unsaved = false;
    return tokens.accessToken;
  }

  /** One rotation: the current refresh token, or the reserve within its hour when the current one is refused. */
  async function rotateFrom(base: SberTokens): Promise<SberTokens> {
    let next: SberTokens;
    try {
      next = await refreshWith(base.refreshToken);
    } catch (e) {
      const reserve = base.reserveRefreshToken;
      if (!isRefused(e)) throw e;
      if (!reserve || (base.reserveUsableUntil ?? 0) <= now()) {
        throw new SberAuthError(
          'LOGIN_REQUIRED',
          'The refresh token was refused and no reserve token is usable: the user must log in again',
          { cause: e },
        );
      }
      try {
        next = await refreshWith(reserve);
      } catch (e2) {
        if (isRefused(e2))
          throw new SberAuthError('LOGIN_REQUIRED', 'The refresh token and its reserve were refused: the user must log in again', {
            cause: e2,
          });
        throw e2;
      }
    }
    return next;
  }

  /** This caller's wait on a (possibly shared) promise, bounded by its signal and timeoutMs. */
  function raceSignal<T>(p: Promise<T>, o: CallOptions, operation: string): Promise<T> {
    if (!o.signal && o.timeoutMs === undefined) return p;
    if (o.signal?.aborted) return Promise.reject(new SberAbortError(operation, o.signal.reason));
    const timeoutMs = int(o.timeoutMs, 'timeoutMs', 0, 1);
    const d = o.timeoutMs === undefined ? undefined : createDeadline(timeoutMs, o.signal);
    const signal = d?.signal ?? o.signal!;
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void =>
        reject(
          d?.stopped() === 'timeout' ? new SberTimeoutError({ operation, timeoutMs }) : new SberAbortError(operation, o.signal?.reason),
        );
      signal.addEventListener('abort', onAbort, { once: true });
      p.then(resolve, reject).finally(() => {
        signal.removeEventListener('abort', onAbort);
        d?.dispose();
      });
    });
  }

  const auth: SberAuth = {
    authorizationUrl(o) {
      if (typeof o !== 'object' || o === null) throw new SberValidationError('options', 'must be an object');
      const params = new URLSearchParams({
        scope: nonEmpty(o.scope, 'scope'),
        response_type: 'code',
        client_id: clientId,
        redirect_uri: absoluteUrl(o.redirectUri, 'redirectUri'),
        state: nonEmpty(o.state, 'state'),
        nonce: nonEmpty(o.nonce, 'nonce'),
      });
      const base = o.loginBaseUrl === undefined ? loginBase : originOf(o.loginBaseUrl, 'loginBaseUrl');
      return `${base}${AUTHORIZE_PATH}?${params.toString().replace(/\+/g, '%20')}`;
    },

    exchangeCode: (code, redirectUri, o = {}) =>
      guarded(redactor, async () => {
        nonEmpty(code, 'code');
        nonEmpty(redirectUri, 'redirectUri');
        const run = async (): Promise<void> => {
          const reply = await tokenRequest(
            new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri }),
            o,
            'exchange code',
          );
          if (reply.status !== 200) throw tokenError(reply, redactor);
          loaded = true;
          await persist(tokensFrom(reply, now(), redactor));
        };
        // A refresh in flight would overwrite the new pair: let it settle first.
        await refreshing?.catch(() => undefined);
        await run();
      }),

    getToken: (o = {}) =>
      guarded(redactor, async () => {
        const tk = await raceSignal(current(), o, 'get access token');
        if (tk && !unsaved && tk.accessTokenExpiresAt - refreshBeforeMs > now()) return tk.accessToken;
        refreshing ??= refresh().finally(() => {
          refreshing = undefined;
        });
        return raceSignal(refreshing, o, 'get access token');
      }),

    async invalidate(token) {
      if (tokens && (token === undefined || token === tokens.accessToken)) tokens = { ...tokens, accessTokenExpiresAt: 0 };
    },

    changeClientSecret: (newSecret, o = {}) =>
      guarded(redactor, async () => {
        nonEmpty(newSecret, 'newSecret');
        if (newSecret === clientSecret.reveal()) throw new SberValidationError('newSecret', 'must differ from the current client secret');
        redactor.addSecret(newSecret);
        const accessToken = await auth.getToken(o);
        const query = new URLSearchParams({
          access_token: accessToken,
          client_id: clientId,
          client_secret: clientSecret.reveal(),
          new_client_secret: newSecret,
        });
        // Not retried: a lost answer leaves it unknown which secret is valid.
        const reply = await exchangeOnce(
          t,
          {
            operation: 'change client secret',
            method: 'POST',
            path: CHANGE_SECRET_PATH,
            query: query.toString(),
            headers: { accept: 'application/json' },
          },
          o,
          0,
        );
        if (reply.status !== 200) throw tokenError(reply, redactor);
        let json: Record<string, unknown> | undefined;
        try {
          const v: unknown = JSON.parse(reply.text);
          if (typeof v === 'object' && v !== null && !Array.isArray(v)) json = v as Record<string, unknown>;
        } catch {
          json = undefined;
        }
        // an error body inside the 200: the bank did not change the secret
        if (typeof json?.error === 'string' || typeof json?.cause === 'string')
          throw json.error !== undefined
            ? tokenError(reply, redactor)
            : parseErrorBody(reply.status, redactor.redact(reply.text), reply.requestId);
        clientSecret = new Secret(newSecret);
        const days = typeof json?.clientSecretExpiration === 'string' ? Number(json.clientSecretExpiration) : json?.clientSecretExpiration;
        if (typeof days !== 'number' || !Number.isFinite(days))
          throw new SberApiError(
            {
              status: reply.status,
              message:
                'change client secret: the bank answered 200, so the new secret is now the one in use, but the answer does not say when it expires',
              requestId: reply.requestId,
              body: redactor.redact(reply.text),
            },
            'INVALID_RESPONSE',
          );
        return { clientSecretExpirationDays: days };
      }),

    async close() {
      await ownAgent?.close();
    },
  };
  Object.defineProperty(auth, REDACTOR, { value: redactor });
  Object.defineProperty(auth, Symbol.for('nodejs.util.inspect.custom'), {
    value: () => `SberAuth { baseUrl: '${api}', clientId: '${clientId}' }`,
  });
  Object.defineProperty(auth, 'toJSON', { value: () => ({ baseUrl: api, clientId }) });
  return auth;
}
