import { signCompact, type Signer } from 'jws-base64url';
import { signDebtRegistry, validateDebtRegistry, type DigestSignature, type DigestSigner } from 'sber-digest';
import type { Agent, Dispatcher } from 'undici';
import type { SberAuth } from './auth';
import { retryTiming } from './auth';
import { apiBase } from './environments';
import {
  SberAmbiguousCreateError,
  SberApiError,
  SberError,
  SberTimeoutError,
  SberTransportError,
  SberValidationError,
  WorkflowFaultError,
  parseErrorBody,
  type SberDocState,
} from './errors';
import { RETRY_STATUSES, backoffDelay, emitHook, exchangeIdempotent, exchangeOnce, isRetryableError, retryAfterMs, sleep, type CallOptions, type Reply, type RetryTiming, type SberHooks, type Transport } from './http';
import { createAgent, tlsConnectOptions, type SberCaOption, type SberTlsOptions } from './tls';

const API = '/fintech/api/v1';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Document ids as they appear in paths: Sber's own example adds a `-1` suffix to a UUID. */
const PATH_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** The five documented final statuses; every other status (CREATED, SIGNED, DELIVERED, …) means "keep polling". */
export const SBER_TERMINAL_STATUSES: ReadonlySet<string> = new Set(['DELETED', 'INVALIDEDS', 'REFUSEDBYBANK', 'IMPLEMENTED', 'REFUSEDBYABS']);

/** The seed's `DebtRegistry` (read-only `bankStatus`/`bankComment`/`fileName` may be present, the bank ignores them). */
export interface DebtRegistry {
  externalId: string;
  date: string;
  orgName: string;
  orgTaxNumber: string;
  number?: string;
  /** The model's type is string; a whole number given here is sent as its decimal string. */
  recordNum?: string | number;
  bfAttachments?: { fileId?: string; fileName?: string }[];
  digestSignatures?: DigestSignature[];
  bankStatus?: string;
  bankComment?: string | null;
}

/** How `create` signs with `digestSigner`: sber-digest's options for the byte-level guesses (docs/sber-signature-bytes.md). */
export interface DigestChoices {
  digestSigner?: DigestSigner;
  digestAttachments?: 'lines' | 'table';
  digestEmptyFields?: 'omit' | 'keep';
  digestEncoding?: 'utf-8' | 'windows-1251';
}

export interface SberCreateResult {
  externalId: string;
  bankStatus: string | undefined;
  bankComment: string | null | undefined;
  /** The bank's answer to the POST; when `recovered`, the document as sent (the bank's answer was lost). */
  document: Record<string, unknown>;
  /** True when an ambiguous failure was resolved by asking the state: the registry was stored by an earlier attempt. */
  recovered: boolean;
}

export interface SberPollDelay {
  /** Delay after the first poll (default 1000). */
  initialMs?: number;
  /** Cap (default 30000). */
  maxMs?: number;
  /** Growth per poll (default 1.5). Each delay loses up to 25 % as jitter. */
  factor?: number;
}

export interface WaitOptions extends CallOptions {
  /** Called after every poll with the state and the poll number (0-based). */
  onStatus?: (state: SberDocState, poll: number) => void;
  pollDelay?: SberPollDelay;
}

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
    upload(input: { type: string; subType: string; digestSignatures?: DigestSignature[] }, o?: CallOptions): Promise<Record<string, unknown>>;
    getState(fileId: string, o?: CallOptions): Promise<Record<string, unknown> & { status?: string; fileId?: string; bankComment?: string | null }>;
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

function int(v: unknown, field: string, dflt: number, min = 0): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new SberValidationError(field, `must be an integer ≥ ${min}`);
  return v;
}

function pollTiming(v: SberPollDelay | undefined, field: string, base?: Required<SberPollDelay>): Required<SberPollDelay> {
  if (v !== undefined && (typeof v !== 'object' || v === null)) throw new SberValidationError(field, 'must be { initialMs?, maxMs?, factor? }');
  const factor = v?.factor ?? base?.factor ?? 1.5;
  if (typeof factor !== 'number' || !(factor >= 1)) throw new SberValidationError(`${field}.factor`, 'must be a number ≥ 1');
  return { initialMs: int(v?.initialMs, `${field}.initialMs`, base?.initialMs ?? 1000), maxMs: int(v?.maxMs, `${field}.maxMs`, base?.maxMs ?? 30_000), factor };
}

function pathId(v: unknown, field: string): string {
  if (typeof v !== 'string' || !PATH_ID.test(v)) throw new SberValidationError(field, 'must be a document id (UUID, letters, digits, "-", "_", ".")');
  return v;
}

function parseJsonObject(reply: Reply, operation: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(reply.text);
  } catch {
    v = undefined;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new SberApiError({ status: reply.status, message: `${operation}: the answer is not a JSON object`, requestId: reply.requestId, body: reply.text }, 'INVALID_RESPONSE');
  // A success status around Sber's error body ({cause, message, referenceId}): no document has a `cause`, so it is the error.
  if (typeof (v as Record<string, unknown>).cause === 'string') throw parseErrorBody(reply.status, reply.text, reply.requestId);
  return v as Record<string, unknown>;
}

const MODEL_FIELDS = new Set(['externalId', 'date', 'orgName', 'orgTaxNumber', 'number', 'recordNum', 'bfAttachments', 'digestSignatures', 'bankStatus', 'bankComment']);

/**
 * The body exactly as the seed's model has it: `recordNum` a string, a Signature only `{base64Encoded,
 * certificateUuid}`, an attachment only `fileId`; read-only fields (bankStatus, bankComment, fileName) left out.
 */
function modelBody(r: DebtRegistry, signatures: readonly DigestSignature[] | undefined): Record<string, unknown> {
  const doc: Record<string, unknown> = { externalId: r.externalId, date: r.date, orgName: r.orgName, orgTaxNumber: r.orgTaxNumber };
  if (r.number !== undefined) doc.number = r.number;
  if (r.recordNum !== undefined && r.recordNum !== null) doc.recordNum = String(r.recordNum);
  if (r.bfAttachments !== undefined) doc.bfAttachments = r.bfAttachments.map((a) => (a.fileId === undefined ? {} : { fileId: a.fileId }));
  if (signatures !== undefined) doc.digestSignatures = signatures.map(({ base64Encoded, certificateUuid }) => ({ base64Encoded, certificateUuid }));
  return doc;
}

/** Checks a registry before anything is signed or sent; names the field and the rule. */
export function validateRegistry(registry: unknown): asserts registry is DebtRegistry {
  if (typeof registry !== 'object' || registry === null || Array.isArray(registry)) throw new SberValidationError('registry', 'must be an object');
  try {
    validateDebtRegistry(registry);
  } catch (e) {
    const x = e as { field?: unknown; rule?: unknown; message?: unknown };
    if (typeof x?.field === 'string') {
      const field = x.field.startsWith('registry') ? x.field : `registry.${x.field}`;
      throw new SberValidationError(field, typeof x.rule === 'string' ? x.rule : 'invalid', { cause: e, detail: typeof x.message === 'string' ? x.message.replace(/^[^:]*:\s*/, '').replace(/\s*\(rule [^)]*\)$/, '') : undefined });
    }
    throw e;
  }
  const r = registry as unknown as Record<string, unknown>;
  for (const key of Object.keys(r)) if (!MODEL_FIELDS.has(key)) throw new SberValidationError(`registry.${key}`, 'is not a field of the DebtRegistry model');
  if (r.number !== undefined && typeof r.number !== 'string') throw new SberValidationError('registry.number', 'must be a string');
  if (r.digestSignatures !== undefined) {
    if (!Array.isArray(r.digestSignatures)) throw new SberValidationError('registry.digestSignatures', 'must be an array');
    r.digestSignatures.forEach((s: unknown, i) => {
      const sig = s as Record<string, unknown> | null;
      if (typeof sig?.base64Encoded !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(sig.base64Encoded)) throw new SberValidationError(`registry.digestSignatures[${i}].base64Encoded`, 'must be Base64');
      if (typeof sig.certificateUuid !== 'string' || !UUID.test(sig.certificateUuid)) throw new SberValidationError(`registry.digestSignatures[${i}].certificateUuid`, 'must be a UUID');
    });
  }
}

/**
 * The SberBusiness API client for one client certificate. Resources under `/fintech/api/v1`; every call sends
 * `Authorization: Bearer` from `auth` and refreshes once on a 401.
 */
export function createSberClient(options: SberClientOptions): SberClient {
  if (typeof options !== 'object' || options === null) throw new SberValidationError('options', 'must be an object');
  const origin = apiBase(options.environment, 'environment');
  const auth = options.auth;
  if (typeof auth?.getAccessToken !== 'function' || typeof auth.invalidate !== 'function') throw new SberValidationError('auth', 'must be the object createSberAuth() returns');
  const ts = options.transportSignature;
  if (ts !== undefined) {
    if (typeof ts?.signer?.sign !== 'function' || typeof ts.signer.alg !== 'string' || !ts.signer.alg) throw new SberValidationError('transportSignature.signer', 'must be a jws-base64url Signer { alg, sign }');
    if (typeof ts.kid !== 'string' || !UUID.test(ts.kid)) throw new SberValidationError('transportSignature.kid', 'must be the certificate UUID');
  }
  let ownAgent: Agent | undefined;
  let dispatcher: Dispatcher;
  if (options.dispatcher !== undefined) {
    if (typeof options.dispatcher?.dispatch !== 'function') throw new SberValidationError('dispatcher', 'must be an undici Dispatcher');
    dispatcher = options.dispatcher;
  } else {
    if (options.tls === undefined) throw new SberValidationError('tls', 'is required unless a dispatcher is given (mutual TLS)');
    ownAgent = createAgent(tlsConnectOptions(options.tls, options.ca), { connections: 32 });
    dispatcher = ownAgent;
  }
  const t: Transport = {
    origin,
    dispatcher,
    hooks: options.hooks,
    timeoutMs: int(options.timeoutMs, 'timeoutMs', 30_000, 1),
    maxRetries: int(options.maxRetries, 'maxRetries', 4),
    retry: retryTiming(options.retryDelay, 'retryDelay'),
    maxBodyBytes: int(options.maxResponseBytes, 'maxResponseBytes', 1024 * 1024, 1024),
  };
  const poll = pollTiming(options.pollDelay, 'pollDelay');
  const pollTimeoutMs = int(options.pollTimeoutMs, 'pollTimeoutMs', 15 * 60_000, 1);

  const bearer = (token: string): string => `Bearer ${token}`;

  /** An idempotent GET with the bearer token; one refresh on 401. Returns the JSON object or throws the typed error. */
  async function get(operation: string, path: string, o: CallOptions): Promise<Record<string, unknown>> {
    for (let refreshed = false; ; refreshed = true) {
      const token = await auth.getAccessToken(o);
      const reply = await exchangeIdempotent(t, { operation, method: 'GET', path, headers: { authorization: bearer(token), accept: 'application/json' } }, o);
      if (reply.status === 401 && !refreshed) {
        auth.invalidate(token);
        continue;
      }
      if (reply.status !== 200) throw parseErrorBody(reply.status, reply.text, reply.requestId);
      return parseJsonObject(reply, operation);
    }
  }

  async function encodeBody(doc: object): Promise<{ body: string; contentType: string }> {
    const json = JSON.stringify(doc);
    if (!ts) return { body: json, contentType: 'application/json' };
    const jws = await signCompact(json, { protectedHeader: { alg: ts.signer.alg, kid: ts.kid }, signer: ts.signer });
    return { body: jws, contentType: 'application/jose' };
  }

  /** A POST sent once (plus once more after a 401, which the bank answers before storing anything). */
  async function postOnce(operation: string, path: string, body: { body: string; contentType: string }, o: CallOptions, attempt: number): Promise<Reply> {
    for (let refreshed = false; ; refreshed = true) {
      const token = await auth.getAccessToken(o);
      const reply = await exchangeOnce(t, { operation, method: 'POST', path, headers: { authorization: bearer(token), 'content-type': body.contentType, accept: 'application/json' }, body: body.body }, o, attempt);
      if (reply.status === 401 && !refreshed) {
        auth.invalidate(token);
        continue;
      }
      return reply;
    }
  }

  const statePath = (id: string): string => `${API}/debt-registries/${encodeURIComponent(id)}/state`;
  const getState = async (externalId: string, o: CallOptions = {}): Promise<SberDocState> => {
    const operation = 'get debt registry state';
    const state = await get(operation, statePath(pathId(externalId, 'externalId')), o);
    // without a status the answer says nothing; polling on it would only wait for the deadline
    if (typeof state.bankStatus !== 'string' || state.bankStatus === '')
      throw new SberApiError({ status: 200, message: `${operation}: the answer has no bankStatus`, body: JSON.stringify(state) }, 'INVALID_RESPONSE');
    return state as SberDocState;
  };

  /**
   * The state if the bank shows the registry. Its answer for an id it does not show is not documented (404 and 400
   * are both possible) and is no proof of absence: a registry may become visible late. So an "unknown" answer is
   * asked again, with the retry backoff, up to maxRetries more times, and undefined means "not shown yet".
   */
  async function existing(externalId: string, o: CallOptions): Promise<SberDocState | undefined> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await getState(externalId, o);
      } catch (e) {
        if (!(SberApiError.isInstance(e) && (e.status === 404 || e.status === 400))) throw e;
      }
      if (attempt >= t.maxRetries) return undefined;
      await sleep(backoffDelay(attempt, t.retry), o.signal, 'get debt registry state');
    }
  }

  async function create(registry: DebtRegistry, o: CallOptions & DigestChoices = {}): Promise<SberCreateResult> {
    validateRegistry(registry);
    if (o.digestSigner !== undefined) {
      const s = o.digestSigner as Partial<DigestSigner> | null;
      if (typeof s?.sign !== 'function' || typeof s.certificateUuid !== 'string' || !UUID.test(s.certificateUuid)) {
        throw new SberValidationError('digestSigner', 'must be a sber-digest DigestSigner with a UUID certificateUuid');
      }
    }
    const { externalId } = registry;
    let signatures = registry.digestSignatures;
    if (o.digestSigner) {
      const sig = await signDebtRegistry(registry, o.digestSigner, { signal: o.signal, attachments: o.digestAttachments, emptyFields: o.digestEmptyFields, encoding: o.digestEncoding });
      signatures = [...(signatures ?? []), sig];
    }
    const doc = modelBody(registry, signatures);
    const body = await encodeBody(doc);
    const operation = 'create debt registry';
    const recovered = (state: SberDocState): SberCreateResult => ({ externalId, bankStatus: state.bankStatus, bankComment: state.bankComment, document: doc, recovered: true });
    /** Set once an attempt may have stored the registry: from then on, ask before sending. */
    let ambiguous: unknown;

    // The page's duplicate rule is the same `number` within a year: only with a number does the bank refuse a
    // resend of a stored registry. Without one, a resend could store it twice, so it is never sent blindly.
    const resendIsSafe = typeof registry.number === 'string' && registry.number !== '';
    /** Undefined: not shown, and a resend is safe. Otherwise the registry (recovered) or SberAmbiguousCreateError. */
    const resolveAmbiguity = async (last: unknown, storedForSure = false): Promise<SberCreateResult | undefined> => {
      let state: SberDocState | undefined;
      try {
        state = await existing(externalId, o);
      } catch (e) {
        if (SberError.isInstance(e) && (e.code === 'ABORTED' || e.code === 'TLS')) throw e;
        throw new SberAmbiguousCreateError(externalId, { cause: last });
      }
      if (state) return recovered(state);
      // A duplicate refusal of our own resend proves it is stored, even while the state does not show it.
      if (storedForSure) return { externalId, bankStatus: undefined, bankComment: undefined, document: doc, recovered: true };
      if (resendIsSafe) return undefined;
      throw new SberAmbiguousCreateError(externalId, { cause: last });
    };

    for (let attempt = 0; ; attempt++) {
      if (ambiguous !== undefined) {
        const done = await resolveAmbiguity(ambiguous);
        if (done) return done;
      }
      let reply: Reply | undefined;
      let failure: unknown;
      let wait: number | undefined;
      try {
        reply = await postOnce(operation, `${API}/debt-registries`, body, o, attempt);
      } catch (e) {
        if (!isRetryableError(e)) throw e;
        failure = e;
        if (SberTimeoutError.isInstance(e) || (SberTransportError.isInstance(e) && e.requestMayHaveBeenProcessed)) ambiguous = e;
      }
      if (reply) {
        if (reply.status === 200 || reply.status === 201) {
          let created: Record<string, unknown>;
          try {
            created = parseJsonObject(reply, operation);
          } catch (e) {
            // stored, but the answer is unreadable: the state tells what the bank has
            return (await resolveAmbiguity(e, true))!;
          }
          const status = typeof created.bankStatus === 'string' ? created.bankStatus : undefined;
          return { externalId, bankStatus: status, bankComment: created.bankComment as string | null | undefined, document: created, recovered: false };
        }
        const err = parseErrorBody(reply.status, reply.text, reply.requestId);
        if (WorkflowFaultError.isInstance(err) && err.isDuplicate && ambiguous !== undefined) return (await resolveAmbiguity(err, resendIsSafe))!;
        if (!RETRY_STATUSES.has(reply.status)) throw err;
        failure = err;
        if (reply.status >= 500) ambiguous = err;
        wait = retryAfterMs(reply.headers['retry-after']);
      }
      if (attempt >= t.maxRetries) {
        if (ambiguous !== undefined) {
          const done = await resolveAmbiguity(failure);
          if (done) return done;
          throw new SberAmbiguousCreateError(externalId, { cause: failure });
        }
        throw failure;
      }
      const delayMs = wait ?? backoffDelay(attempt, t.retry);
      emitHook(t.hooks, 'onRetry', { operation, method: 'POST', path: `${API}/debt-registries`, attempt: attempt + 1, delayMs, reason: (failure as { code?: string }).code ?? 'error' });
      await sleep(delayMs, o.signal, operation);
    }
  }

  const isTransient = (e: unknown): boolean => isRetryableError(e) || (SberApiError.isInstance(e) && (e.status >= 500 || e.status === 429));

  async function waitForFinalState(externalId: string, o: WaitOptions = {}): Promise<SberDocState> {
    pathId(externalId, 'externalId');
    const timing = pollTiming(o.pollDelay, 'pollDelay', poll);
    const limit = int(o.timeoutMs, 'timeoutMs', pollTimeoutMs, 1);
    const deadline = Date.now() + limit;
    const operation = 'wait for final state';
    let last: SberDocState | undefined;
    for (let n = 0; ; n++) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new SberTimeoutError({ operation, timeoutMs: limit, externalId, lastState: last });
      try {
        last = await getState(externalId, { signal: o.signal, timeoutMs: Math.min(t.timeoutMs, remaining) });
        o.onStatus?.(last, n);
        if (typeof last.bankStatus === 'string' && SBER_TERMINAL_STATUSES.has(last.bankStatus)) return last;
      } catch (e) {
        if (!isTransient(e)) throw e;
      }
      const delay = Math.round(Math.min(timing.maxMs, timing.initialMs * timing.factor ** n) * (1 - Math.random() * 0.25));
      await sleep(Math.min(delay, Math.max(0, deadline - Date.now())), o.signal, operation);
    }
  }

  const client: SberClient = {
    debtRegistries: { create, getState, waitForFinalState },
    files: {
      async upload(input, o = {}) {
        if (typeof input !== 'object' || input === null) throw new SberValidationError('input', 'must be { type, subType, digestSignatures? }');
        if (typeof input.type !== 'string' || !input.type) throw new SberValidationError('input.type', 'must be a non-empty string');
        if (typeof input.subType !== 'string' || !input.subType) throw new SberValidationError('input.subType', 'must be a non-empty string');
        const body = await encodeBody(input);
        // Not retried: nothing tells a stored upload from a lost one.
        const reply = await postOnce('upload file', `${API}/files/upload`, body, o, 0);
        if (reply.status !== 200 && reply.status !== 201) throw parseErrorBody(reply.status, reply.text, reply.requestId);
        return parseJsonObject(reply, 'upload file');
      },
      async getState(fileId, o = {}) {
        return get('get file state', `${API}/files/upload/${encodeURIComponent(pathId(fileId, 'fileId'))}/state`, o);
      },
    },
    crypto: {
      async getInfo(o = {}) {
        return get('get crypto info', `${API}/crypto`, o) as Promise<SberCryptoInfo>;
      },
    },
    async close() {
      await ownAgent?.close();
    },
  };
  Object.defineProperty(client, Symbol.for('nodejs.util.inspect.custom'), { value: () => `SberClient { baseUrl: '${origin}' }` });
  return client;
}
