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

export interface SberClientOptions {
  environment: 'production' | 'test' | { baseUrl: string };
  /** The client certificate issued for the client_id; not needed when `dispatcher` is given. */
  tls?: SberTlsOptions;
  ca?: SberCaOption;
  auth: SberAuth;
  /** Sends creates as `application/jose` (JWS compact, header `{alg: signer.alg, kid}`). `kid` is the certificate UUID. */
  transportSignature?: { signer: Signer; kid: string };
  dispatcher?: Dispatcher;
  /** Per attempt (connect + headers + whole body), default 30000. */
  timeoutMs?: number;
  /** Retries of one call (default 4). */
  maxRetries?: number;
  hooks?: SberHooks;
  retryDelay?: Partial<RetryTiming>;
  pollDelay?: SberPollDelay;
  /** Default deadline of waitForFinalState (default 15 min). */
  pollTimeoutMs?: number;
  /** Cap on a response body (default 1 MiB). */
  maxResponseBytes?: number;
}

export interface SberClient {
  debtRegistries: {
    create(registry: DebtRegistry, o?: CallOptions & DigestChoices): Promise<SberCreateResult>;
    getState(externalId: string, o?: CallOptions): Promise<SberDocState>;
    waitForFinalState(externalId: string, o?: WaitOptions): Promise<SberDocState>;
  };
  files: {
    upload(
      input: { type: string; subType: string; digestSignatures?: DigestSignature[] },
      o?: CallOptions,
    ): Promise<Record<string, unknown>>;
    getState(
      fileId: string,
      o?: CallOptions,
    ): Promise<Record<string, unknown> & { status?: string; fileId?: string; bankComment?: string | null }>;
  };
  crypto: {
    getInfo(o?: CallOptions): Promise<SberCryptoInfo>;
  };
  close(): Promise<void>;
}

export interface SberCryptoInfo {
  cryptoProfileInfos?: { certificateInfos?: { uuid?: string; [k: string]: unknown }[]; [k: string]: unknown }[];
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
