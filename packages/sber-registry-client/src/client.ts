import type { Redactor } from '@internal/http-core';
import type { Signer } from 'jws-base64url';
import type { DigestSignature } from 'sber-digest';
import type { Dispatcher } from 'undici';
import type { SberAuth } from './auth.js';
import { API, createCalls } from './calls.js';
import { apiBase } from './environments.js';
import { type SberDocState, SberValidationError } from './errors.js';
import type { CallOptions, RetryTiming, SberHooks, Transport } from './http.js';
import { dispatcherFor, int, retryTiming } from './option-checks.js';
import { createRegistries } from './registries.js';
import {
  type DebtRegistry,
  type DigestChoices,
  pathId,
  pollTiming,
  type SberCreateResult,
  type SberPollDelay,
  UUID,
  type WaitOptions,
} from './registry-model.js';
import { createRedactor, guarded, REDACTOR } from './secrets.js';
import type { SberCaOption, SberTlsOptions } from './tls.js';

export {
  type DebtRegistry,
  type DigestChoices,
  SBER_TERMINAL_STATUSES,
  type SberCreateResult,
  type SberPollDelay,
  validateRegistry,
  type WaitOptions,
} from './registry-model.js';

/** Options of {@link createSberClient}: `environment` and `auth` always, `tls` unless a `dispatcher` is given. */
export interface SberClientOptions {
  /** Sber's API host: 'production' or 'test' (see {@link SBER_ENVIRONMENTS}), or another https origin (a sandbox). */
  environment:
    | 'production'
    | 'test'
    | {
        /** An https origin such as `https://127.0.0.1:8443`; no credentials, query or fragment. */
        baseUrl: string;
      };
  /** The client certificate issued for the client_id; not needed when `dispatcher` is given. */
  tls?: SberTlsOptions;
  /** CA of Sber's server certificate; Node's roots when omitted. Server verification cannot be turned off. */
  ca?: SberCaOption;
  /** The token source every call takes its Bearer token from: what {@link createSberAuth} returns. */
  auth: SberAuth;
  /** Sends creates as `application/jose` (JWS compact, header `{alg: signer.alg, kid}`). `kid` is the certificate UUID. */
  transportSignature?: {
    /** A jws-base64url Signer (e.g. its GOST signer). */
    signer: Signer;
    /** The signing certificate's UUID, as `/v1/crypto` lists it. */
    kid: string;
  };
  /** An undici Dispatcher to send through (e.g. {@link createSberAgent}'s, shared with the auth); then `tls` and `ca` are not used. */
  dispatcher?: Dispatcher;
  /** Per attempt (connect + headers + whole body), default 30000. */
  timeoutMs?: number;
  /** Retries of one call (default 4). */
  maxRetries?: number;
  /** Observability callbacks (no secrets, no bodies). */
  hooks?: SberHooks;
  /** Backoff between retries; default `{ baseMs: 500, maxMs: 8000 }`. */
  retryDelay?: Partial<RetryTiming>;
  /** Waits between the polls of `waitForFinalState`; default `{ initialMs: 1000, maxMs: 30000, factor: 1.5 }`. */
  pollDelay?: SberPollDelay;
  /** Default deadline of waitForFinalState (default 15 min). */
  pollTimeoutMs?: number;
  /** Cap on a response body (default 1 MiB). */
  maxResponseBytes?: number;
}

/** The SberBusiness API client that {@link createSberClient} returns. Every error it throws is a {@link SberError}. */
export interface SberClient {
  /** Debt registries (`/fintech/api/v1/debt-registries`, scope DEBT_REGISTRY). */
  debtRegistries: {
    /**
     * Validates, signs (with `digestSigner`) and sends a registry. Never stores it twice: after an ambiguous failure
     * it asks the state first (`recovered: true` when an earlier attempt stored it). Throws SberValidationError before
     * sending, a SberApiError subclass for the bank's refusal (WorkflowFaultError for a duplicate), or
     * SberAmbiguousCreateError when a registry without a `number` may or may not be stored.
     */
    create(registry: DebtRegistry, o?: CallOptions & DigestChoices): Promise<SberCreateResult>;
    /** The registry's state (`GET …/{externalId}/state`); retried on 429, 5xx, resets and timeouts. */
    getState(externalId: string, o?: CallOptions): Promise<SberDocState>;
    /** Polls the state until a final status ({@link SBER_TERMINAL_STATUSES}); throws SberTimeoutError at the deadline. */
    waitForFinalState(externalId: string, o?: WaitOptions): Promise<SberDocState>;
  };
  /** Files for `bfAttachments` (`/fintech/api/v1/files/upload`, scope FILES). */
  files: {
    /** Creates an upload record; sent once, never retried (a stored upload cannot be told from a lost one). Resolves to the bank's answer. */
    upload(
      input: { type: string; subType: string; digestSignatures?: DigestSignature[] },
      o?: CallOptions,
    ): Promise<Record<string, unknown>>;
    /** The file's state (`GET …/files/upload/{fileId}/state`), as the bank answers it. */
    getState(
      fileId: string,
      o?: CallOptions,
    ): Promise<
      Record<string, unknown> & {
        /** The file's status, e.g. CREATED or IMPLEMENTED. */
        status?: string;
        /** The file's id. */
        fileId?: string;
        /** The bank's comment, or null. */
        bankComment?: string | null;
      }
    >;
  };
  /** Certificates (`/fintech/api/v1/crypto`, scope GET_CRYPTO_INFO). */
  crypto: {
    /** The client's crypto profile: the UUIDs of its signing certificates and the bank's certificate. */
    getInfo(o?: CallOptions): Promise<SberCryptoInfo>;
  };
  /** Closes the client's own connection pool (not a `dispatcher` given in the options). */
  close(): Promise<void>;
}

/** The answer of `GET /fintech/api/v1/crypto`, as the bank sends it (fields beyond these are kept). */
export interface SberCryptoInfo {
  /** The client's crypto profiles. */
  cryptoProfileInfos?: {
    /** The signing certificates registered in the profile. */
    certificateInfos?: {
      /** The certificate's UUID: the `certificateUuid` of `digestSignatures` and the JWS `kid`. */
      uuid?: string;
      [k: string]: unknown;
    }[];
    [k: string]: unknown;
  }[];
  /** The bank's certificate, as the bank sends it. */
  certBank?: unknown;
  [k: string]: unknown;
}

/**
 * The SberBusiness API client for one client certificate. Resources under `/fintech/api/v1`; every call sends
 * `Authorization: Bearer` from `auth` and refreshes once on a 401. Every error leaves through this client's
 * redactor (its passphrase, the tokens it used, and its SberAuth's secrets).
 */
export function createSberClient(options: SberClientOptions): SberClient {
  if (typeof options !== 'object' || options === null) throw new SberValidationError('options', 'must be an object');
  if ('baseUrl' in options)
    throw new SberValidationError('baseUrl', "is not an option: use environment ('production', 'test' or { baseUrl })");
  const origin = apiBase(options.environment, 'environment');
  const auth = options.auth;
  if (typeof auth?.getToken !== 'function' || typeof auth.invalidate !== 'function')
    throw new SberValidationError('auth', 'must be the object createSberAuth() returns');
  const ts = options.transportSignature;
  if (ts !== undefined) {
    if (typeof ts?.signer?.sign !== 'function' || typeof ts.signer.alg !== 'string' || !ts.signer.alg)
      throw new SberValidationError('transportSignature.signer', 'must be a jws-base64url Signer { alg, sign }');
    if (typeof ts.kid !== 'string' || !UUID.test(ts.kid))
      throw new SberValidationError('transportSignature.kid', 'must be the certificate UUID');
  }
  const { dispatcher, ownAgent } = dispatcherFor(options, 'mutual TLS', { connections: 32 });
  // the passphrase for the client's life, plus its SberAuth's secrets (shared through a Symbol.for key)
  const authRedactor = (auth as unknown as Record<symbol, Redactor | undefined>)[REDACTOR];
  const redactor = createRedactor([(options.tls as { passphrase?: string } | undefined)?.passphrase], authRedactor);
  const t: Transport = {
    origin,
    dispatcher,
    hooks: options.hooks,
    timeoutMs: int(options.timeoutMs, 'timeoutMs', 30_000, 1),
    maxRetries: int(options.maxRetries, 'maxRetries', 4),
    retry: retryTiming(options.retryDelay, 'retryDelay'),
    maxBodyBytes: int(options.maxResponseBytes, 'maxResponseBytes', 1024 * 1024, 1024),
    redactor,
  };
  const poll = pollTiming(options.pollDelay, 'pollDelay');
  const pollTimeoutMs = int(options.pollTimeoutMs, 'pollTimeoutMs', 15 * 60_000, 1);
  const calls = createCalls(t, auth, ts);
  const registries = createRegistries(t, calls, poll, pollTimeoutMs);

  const client: SberClient = {
    debtRegistries: {
      create: (registry, o) => guarded(redactor, () => registries.create(registry, o)),
      getState: (externalId, o) => guarded(redactor, () => registries.getState(externalId, o)),
      waitForFinalState: (externalId, o) => guarded(redactor, () => registries.waitForFinalState(externalId, o)),
    },
    files: {
      upload: (input, o = {}) =>
        guarded(redactor, async () => {
          if (typeof input !== 'object' || input === null)
            throw new SberValidationError('input', 'must be { type, subType, digestSignatures? }');
          if (typeof input.type !== 'string' || !input.type) throw new SberValidationError('input.type', 'must be a non-empty string');
          if (typeof input.subType !== 'string' || !input.subType)
            throw new SberValidationError('input.subType', 'must be a non-empty string');
          const body = await calls.encodeBody(input);
          // Not retried: nothing tells a stored upload from a lost one.
          const reply = await calls.postOnce('upload file', `${API}/files/upload`, body, o, 0);
          if (reply.status !== 200 && reply.status !== 201) throw calls.apiError(reply);
          return calls.parseJsonObject(reply, 'upload file');
        }),
      getState: (fileId, o = {}) =>
        guarded(redactor, () =>
          calls.get('get file state', `${API}/files/upload/${encodeURIComponent(pathId(fileId, 'fileId'))}/state`, o),
        ),
    },
    crypto: {
      getInfo: (o = {}) => guarded(redactor, () => calls.get('get crypto info', `${API}/crypto`, o) as Promise<SberCryptoInfo>),
    },
    async close() {
      await ownAgent?.close();
    },
  };
  Object.defineProperty(client, Symbol.for('nodejs.util.inspect.custom'), { value: () => `SberClient { baseUrl: '${origin}' }` });
  return client;
}
