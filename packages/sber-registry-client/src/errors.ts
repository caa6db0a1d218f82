import { BrandedError } from '@internal/errors';
import { redactShapes as redact } from './secrets.js';

const MAX_BODY_IN_ERROR = 64 * 1024;

/** Our codes; an answer of the bank carries its own `cause` (WORKFLOW_FAULT, …) or `HTTP_<status>`. */
export type SberErrorCode =
  | 'VALIDATION'
  | 'TIMEOUT'
  | 'ABORTED'
  | 'TLS'
  | 'NETWORK'
  | 'RESPONSE_TOO_LARGE'
  | 'INVALID_RESPONSE'
  | 'OAUTH_ERROR'
  | 'LOGIN_REQUIRED'
  | 'STORE_FAILED'
  | 'INVALID_TOKEN_RESPONSE'
  | 'AMBIGUOUS_CREATE'
  | (string & {});

/**
 * Base of every error this package throws. `isInstance` and `instanceof` check a `Symbol.for` brand, so they
 * work across duplicated ESM/CJS copies of the package: `SberApiError.isInstance(e)`, `e instanceof
 * WorkflowFaultError` (docs/errors.md). Secret-shaped text (`access_token=…`, `Bearer …`, keys) is masked here;
 * the client's own secrets and tokens are removed by the client before the error leaves it.
 */
export class SberError extends BrandedError<SberErrorCode> {
  static override readonly family = 'sber-registry-client';
  static override readonly className: string = 'SberError';
  /** Stable code of the failure: one of {@link SberErrorCode}, or Sber's `cause` / `HTTP_<status>` for an answer of the bank. */
  readonly code: SberErrorCode;

  constructor(code: SberErrorCode, message: string, options?: { cause?: unknown }) {
    super(redact(message), options);
    this.code = code;
  }

  /** Name, code, message and every set field of the error, for logs; redacted like the error itself. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { name: this.name, code: this.code, message: this.message };
    for (const [k, v] of Object.entries(this)) if (v !== undefined && k !== 'code') out[k] = v;
    return out;
  }
}

/** The bank's state document with every string redacted (a comment may quote what the bank was sent). */
function redactState(state: SberDocState | undefined): SberDocState | undefined {
  if (state === undefined) return undefined;
  try {
    return JSON.parse(redact(JSON.stringify(state))) as SberDocState;
  } catch {
    return { bankStatus: typeof state.bankStatus === 'string' ? redact(state.bankStatus) : undefined };
  }
}

/** A failure of a caller's code (a token store), as an Error with only its name, code and redacted message. */
export function scrubbedCause(e: unknown, redactText: (text: string) => string = redact): Error {
  const x = e as { name?: unknown; code?: unknown; message?: unknown } | undefined;
  const out = new Error(redactText(redact(typeof x?.message === 'string' ? x.message : String(e))));
  out.name = typeof x?.name === 'string' ? x.name : 'Error';
  if (typeof x?.code === 'string') Object.assign(out, { code: x.code });
  return out;
}

/** Bad input or options, found before any network call. `field` is a path (`registry.orgTaxNumber`), `rule` what it must satisfy. */
export class SberValidationError extends SberError {
  static override readonly className: string = 'SberValidationError';
  constructor(
    /** Path of the input at fault, e.g. `registry.orgTaxNumber` or `tls.pfx`. */
    readonly field: string,
    /** What it must satisfy, e.g. `must be a UUID` or sber-digest's rule name (`inn`). */
    readonly rule: string,
    options?: { cause?: unknown; detail?: string },
  ) {
    super('VALIDATION', options?.detail ? `${field}: ${options.detail} (rule: ${rule})` : `${field}: ${rule}`, options);
  }
}

/** A deadline passed: a call's `timeoutMs`, or `waitForFinalState`'s deadline (then `externalId` and the last state are set). */
export class SberTimeoutError extends SberError {
  static override readonly className: string = 'SberTimeoutError';
  /** What timed out, e.g. 'create debt registry' or 'wait for final state'. */
  readonly operation: string;
  /** The deadline that passed, in ms. */
  readonly timeoutMs: number;
  /** The registry waited for (`waitForFinalState` only). */
  readonly externalId: string | undefined;
  /** The last state seen before the deadline (`waitForFinalState` only), redacted. */
  readonly lastState: SberDocState | undefined;
  constructor(o: { operation: string; timeoutMs: number; externalId?: string; lastState?: SberDocState; cause?: unknown }) {
    super(
      'TIMEOUT',
      `${o.operation} did not finish within ${o.timeoutMs} ms${o.externalId ? ` (externalId ${o.externalId}${o.lastState?.bankStatus ? `, last status ${o.lastState.bankStatus}` : ''})` : ''}`,
      { cause: o.cause },
    );
    this.operation = o.operation;
    this.timeoutMs = o.timeoutMs;
    this.externalId = o.externalId;
    this.lastState = redactState(o.lastState);
  }
}

/** The caller's AbortSignal fired. `name` is 'AbortError', as for undici/fetch aborts; `cause` is the signal's reason. */
export class SberAbortError extends SberError {
  static override readonly className: string = 'SberAbortError';
  static override readonly errorName = 'AbortError';
  constructor(
    /** What was aborted, e.g. 'get debt registry state'. */
    readonly operation: string,
    reason: unknown,
  ) {
    super('ABORTED', `${operation} was aborted`, { cause: reason });
  }
}

/**
 * The connection failed. `code`: 'TLS' (handshake refused: client certificate missing or not trusted, server
 * certificate not trusted — never retried), 'NETWORK' (refused, reset, closed), 'RESPONSE_TOO_LARGE'.
 * `requestMayHaveBeenProcessed` is true when the request may have reached the server before the failure.
 */
export class SberTransportError extends SberError {
  static override readonly className: string = 'SberTransportError';
  constructor(
    code: 'TLS' | 'NETWORK' | 'RESPONSE_TOO_LARGE',
    message: string,
    /** True when the request may have reached the server before the failure (do not resend a create blindly). */
    readonly requestMayHaveBeenProcessed: boolean,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}

/** Sber's `checks[]` entry of an error body. */
export interface SberCheck {
  /** Severity as Sber sends it, e.g. 'ERROR' or 'WARNING'. */
  level?: string;
  /** What is wrong (redacted). */
  message?: string;
  /** The fields concerned. */
  fields?: string[];
}

/** The state of a document: `GET …/{externalId}/state`. */
export interface SberDocState {
  /** Where the document is in the bank: CREATED, SIGNED, DELIVERED, …; final ones in {@link SBER_TERMINAL_STATUSES}. */
  bankStatus?: string;
  /** The bank's comment (why it was refused, …), or null. */
  bankComment?: string | null;
  /** The state of the bank's receipt, e.g. 'FINISHED' (not documented further). */
  receiptStatus?: string | null;
  /** Any other field the bank adds. */
  [key: string]: unknown;
}

/** What a {@link SberApiError} is made from: the answer's status and the fields of Sber's error body. */
export interface SberApiErrorInit {
  /** HTTP status of the answer. */
  status: number;
  /** Sber's code from the body (`WORKFLOW_FAULT`, …). */
  sberCause?: string;
  /** The error this one comes from, when there is one. */
  cause?: unknown;
  /** Sber's `message`; default `HTTP <status>`. */
  message?: string;
  /** Sber's `referenceId`. */
  referenceId?: string;
  /** Sber's `internalErrorCode`. */
  internalErrorCode?: string;
  /** Sber's `checks`. */
  checks?: SberCheck[];
  /** Sber's `fieldNames`. */
  fieldNames?: string[];
  /** The `X-Request-Id` header of the answer. */
  requestId?: string;
  /** The raw response body (redacted and cut to 64 KiB by the error). */
  body?: string;
}

/**
 * An HTTP answer other than success. `sberCause` is Sber's code (`WORKFLOW_FAULT`, …); `code` equals it when
 * present, else `HTTP_<status>` (or `INVALID_RESPONSE` for an unreadable success body). `cause`, as for every
 * error, is only ever a chained error.
 */
export class SberApiError extends SberError {
  static override readonly className: string = 'SberApiError';
  /** HTTP status of the answer. */
  readonly status: number;
  /** Sber's code from the error body (`WORKFLOW_FAULT`, `VALIDATION_FAULT`, …), when it sent one. */
  readonly sberCause: string | undefined;
  /** Sber's `referenceId` of the failure: quote it to Sber's support. */
  readonly referenceId: string | undefined;
  /** Sber's `internalErrorCode`, when sent. */
  readonly internalErrorCode: string | undefined;
  /** Sber's `checks` (VALIDATION_FAULT: which field broke which rule), messages redacted. */
  readonly checks: SberCheck[] | undefined;
  /** Sber's `fieldNames`: the fields at fault. */
  readonly fieldNames: string[] | undefined;
  /** The answer's `X-Request-Id` header: quote it to Sber's support. */
  readonly requestId: string | undefined;
  /** The raw response body (redacted, at most 64 KiB). */
  readonly body: string | undefined;

  constructor(init: SberApiErrorInit, code?: string) {
    super(code ?? init.sberCause ?? `HTTP_${init.status}`, init.message ?? `HTTP ${init.status}`, { cause: init.cause });
    this.sberCause = init.sberCause;
    this.status = init.status;
    this.referenceId = init.referenceId;
    this.internalErrorCode = init.internalErrorCode;
    this.checks = init.checks?.map((c) => ({ ...c, message: c.message === undefined ? undefined : redact(c.message) }));
    this.fieldNames = init.fieldNames;
    this.requestId = init.requestId;
    // redacted before it is cut: a secret straddling the cap would otherwise keep its first characters
    this.body = init.body === undefined ? undefined : redact(init.body).slice(0, MAX_BODY_IN_ERROR);
  }
}

const DUPLICATE = /уже существует|already exists/i;

/** 400 DESERIALIZATION_FAULT: the request could not be read. */
export class DeserializationFaultError extends SberApiError {
  static override readonly className: string = 'DeserializationFaultError';
}
/** 400 WORKFLOW_FAULT: duplicate document, account not allowed, missing/bad JWS kid. See `isDuplicate`. */
export class WorkflowFaultError extends SberApiError {
  static override readonly className: string = 'WorkflowFaultError';
  /** "Документ с такими реквизитами уже существует". */
  get isDuplicate(): boolean {
    return DUPLICATE.test(this.message);
  }
}
/** 400 VALIDATION_FAULT: `checks` / `fieldNames` name the fields. */
export class ValidationFaultError extends SberApiError {
  static override readonly className: string = 'ValidationFaultError';
}
/** 400 SIGN_CHECK_EXCEPTION: the signature could not be verified or the certificate is not active. */
export class SignCheckError extends SberApiError {
  static override readonly className: string = 'SignCheckError';
}
/** 401 UNAUTHORIZED: access token unknown or expired (the client refreshes once before throwing this). */
export class UnauthorizedError extends SberApiError {
  static override readonly className: string = 'UnauthorizedError';
}
/** 403 ACTION_ACCESS_EXCEPTION: scope or offer does not allow the resource. */
export class ActionAccessError extends SberApiError {
  static override readonly className: string = 'ActionAccessError';
}
/** 415 JWS_EXCEPTED: the service requires `application/jose`; configure `transportSignature`. */
export class JwsExpectedError extends SberApiError {
  static override readonly className: string = 'JwsExpectedError';
}
/** 500 UNKNOWN_EXCEPTION. */
export class UnknownExceptionError extends SberApiError {
  static override readonly className: string = 'UnknownExceptionError';
}
/** 503 UNAVAILABLE_RESOURCE_EXCEPTION: maintenance. */
export class UnavailableResourceError extends SberApiError {
  static override readonly className: string = 'UnavailableResourceError';
}
/** 404 (inferred code RESOURCE_NOT_FOUND): no such document. */
export class ResourceNotFoundError extends SberApiError {
  static override readonly className: string = 'ResourceNotFoundError';
}
/** 429 (inferred code TOO_MANY_REQUESTS). */
export class TooManyRequestsError extends SberApiError {
  static override readonly className: string = 'TooManyRequestsError';
}

/**
 * SberBusiness ID said no, or the token state cannot give an access token. `code`: 'OAUTH_ERROR' (the token
 * endpoint's `{error, error_description}`, e.g. `error: 'invalid_grant'`), 'LOGIN_REQUIRED' (no refresh token
 * in the store, or it was refused: a person must log in again), 'STORE_FAILED' (the store could not be read, or the new refresh token could
 * not be persisted; the access token was not used), 'INVALID_TOKEN_RESPONSE'.
 */
export class SberAuthError extends SberError {
  static override readonly className: string = 'SberAuthError';
  /** HTTP status of the token endpoint's answer, when there was one. */
  readonly status: number | undefined;
  /** The OAuth `error` (e.g. 'invalid_grant', 'invalid_client'), when sent. */
  readonly error: string | undefined;
  /** The OAuth `error_description`, redacted. */
  readonly errorDescription: string | undefined;
  /** The answer's `X-Request-Id` header. */
  readonly requestId: string | undefined;
  constructor(
    code: 'OAUTH_ERROR' | 'LOGIN_REQUIRED' | 'STORE_FAILED' | 'INVALID_TOKEN_RESPONSE',
    message: string,
    o: { status?: number; error?: string; errorDescription?: string; requestId?: string; cause?: unknown } = {},
  ) {
    super(code, message, { cause: o.cause });
    this.status = o.status;
    this.error = o.error;
    this.errorDescription = o.errorDescription === undefined ? undefined : redact(o.errorDescription);
    this.requestId = o.requestId;
  }
}

/** `create` failed ambiguously and the state could not be learnt either: the registry may or may not exist. */
export class SberAmbiguousCreateError extends SberError {
  static override readonly className: string = 'SberAmbiguousCreateError';
  constructor(
    /** The registry that may or may not be stored: ask `getState(externalId)` later. */
    readonly externalId: string,
    options: { cause?: unknown },
  ) {
    super(
      'AMBIGUOUS_CREATE',
      `The registry ${externalId} may exist: an attempt may have stored it and the bank does not show it (yet); ask getState(externalId) later, never send it again without a number`,
      options,
    );
  }
}

type ApiErrorClass = new (init: SberApiErrorInit) => SberApiError;

/**
 * The one table from an answer to its class: Sber's `cause` when the body has one we know, else the status
 * (Sber's code for that status, documented or inferred). Anything else is a plain SberApiError.
 */
const API_ERRORS: readonly (readonly [cause: string, status: number | undefined, Ctor: ApiErrorClass])[] = [
  ['DESERIALIZATION_FAULT', undefined, DeserializationFaultError],
  ['WORKFLOW_FAULT', undefined, WorkflowFaultError],
  ['VALIDATION_FAULT', undefined, ValidationFaultError],
  ['SIGN_CHECK_EXCEPTION', undefined, SignCheckError],
  ['UNAUTHORIZED', 401, UnauthorizedError],
  ['ACTION_ACCESS_EXCEPTION', 403, ActionAccessError],
  ['RESOURCE_NOT_FOUND', 404, ResourceNotFoundError],
  ['JWS_EXCEPTED', 415, JwsExpectedError],
  ['JWS_EXPECTED', undefined, JwsExpectedError],
  ['TOO_MANY_REQUESTS', 429, TooManyRequestsError],
  ['UNKNOWN_EXCEPTION', 500, UnknownExceptionError],
  ['UNAVAILABLE_RESOURCE_EXCEPTION', 503, UnavailableResourceError],
];

function apiErrorClass(cause: string | undefined, status: number): ApiErrorClass {
  // compared as strings: a hostile `cause` such as "constructor" must not pick up Object.prototype members
  return API_ERRORS.find(([c]) => c === cause)?.[2] ?? API_ERRORS.find(([, s]) => s === status)?.[2] ?? SberApiError;
}

/** What a duplicate means, added in English after the bank's own (Russian) text. */
const DUPLICATE_ADVICE =
  'In English: the bank already holds a document with these details (an earlier send of it was stored). Do not send it again: ask getState(externalId) for its state.';

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

/** Reads Sber's error body `{cause, referenceId, message, internalErrorCode?, checks?, fieldNames?}`; any body is accepted. */
export function parseErrorBody(status: number, body: string, requestId?: string): SberApiError {
  let json: Record<string, unknown> | undefined;
  try {
    const v: unknown = JSON.parse(body);
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) json = v as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  const cause = str(json?.cause);
  const checks = Array.isArray(json?.checks)
    ? (json.checks as unknown[])
        .filter((c): c is Record<string, unknown> => typeof c === 'object' && c !== null)
        .map((c) => ({
          level: str(c.level),
          message: str(c.message),
          fields: Array.isArray(c.fields) ? c.fields.filter((f): f is string => typeof f === 'string') : undefined,
        }))
    : undefined;
  const fieldNames = Array.isArray(json?.fieldNames)
    ? (json.fieldNames as unknown[]).filter((f): f is string => typeof f === 'string')
    : undefined;
  let message = str(json?.message) ?? (json ? undefined : `HTTP ${status} with a non-JSON body`);
  if (cause === 'WORKFLOW_FAULT' && message !== undefined && DUPLICATE.test(message)) message = `${message}. ${DUPLICATE_ADVICE}`;
  const init: SberApiErrorInit = {
    status,
    sberCause: cause,
    message,
    referenceId: str(json?.referenceId),
    internalErrorCode: str(json?.internalErrorCode),
    checks,
    fieldNames,
    requestId,
    body,
  };
  return new (apiErrorClass(cause, status))(init);
}
