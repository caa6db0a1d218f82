import { redact } from './redact';

const MARKER = Symbol.for('sber-registry-client.error');
const KINDS = Symbol.for('sber-registry-client.error.kinds');
const MAX_BODY_IN_ERROR = 64 * 1024;

/**
 * Base of every error this package throws. `isInstance` checks a `Symbol.for` marker, so it works across
 * duplicated ESM/CJS copies of the package: `SberApiError.isInstance(e)`, `WorkflowFaultError.isInstance(e)`.
 */
export class SberError extends Error {
  static readonly kind: string = 'SberError';
  readonly code: string;
  declare readonly [MARKER]: true;
  declare readonly [KINDS]: readonly string[];

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(redact(message), options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    const kinds: string[] = [];
    for (let c: unknown = new.target; typeof c === 'function' && 'kind' in c; c = Object.getPrototypeOf(c)) {
      kinds.push((c as { kind: string }).kind);
    }
    Object.defineProperty(this, 'name', { value: kinds[0] ?? 'SberError', enumerable: false, configurable: true });
    Object.defineProperty(this, MARKER, { value: true, enumerable: false });
    Object.defineProperty(this, KINDS, { value: kinds, enumerable: false });
  }

  static isInstance<T>(this: { readonly kind: string; readonly prototype: T }, x: unknown): x is T {
    if (typeof x !== 'object' || x === null || (x as Record<symbol, unknown>)[MARKER] !== true) return false;
    const kinds = (x as Record<symbol, unknown>)[KINDS];
    return Array.isArray(kinds) && kinds.includes(this.kind);
  }

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

/** A failure of a caller's code (a token store): only its name, code and redacted message, never its other fields. */
export function scrubbedCause(e: unknown): { name: string; code?: string; message: string } {
  const x = e as { name?: unknown; code?: unknown; message?: unknown } | undefined;
  return { name: typeof x?.name === 'string' ? x.name : 'Error', ...(typeof x?.code === 'string' ? { code: x.code } : {}), message: redact(typeof x?.message === 'string' ? x.message : String(e)) };
}

/** Bad input or options, found before any network call. `field` is a path (`registry.orgTaxNumber`), `rule` what it must satisfy. */
export class SberValidationError extends SberError {
  static override readonly kind: string = 'SberValidationError';
  constructor(
    readonly field: string,
    readonly rule: string,
    options?: { cause?: unknown; detail?: string },
  ) {
    super('VALIDATION', options?.detail ? `${field}: ${options.detail} (rule: ${rule})` : `${field}: ${rule}`, options);
  }
}

/** A deadline passed: a call's `timeoutMs`, or `waitForFinalState`'s deadline (then `externalId` and the last state are set). */
export class SberTimeoutError extends SberError {
  static override readonly kind: string = 'SberTimeoutError';
  readonly operation: string;
  readonly timeoutMs: number;
  readonly externalId: string | undefined;
  readonly lastState: SberDocState | undefined;
  constructor(o: { operation: string; timeoutMs: number; externalId?: string; lastState?: SberDocState; cause?: unknown }) {
    super('TIMEOUT', `${o.operation} did not finish within ${o.timeoutMs} ms${o.externalId ? ` (externalId ${o.externalId}${o.lastState?.bankStatus ? `, last status ${o.lastState.bankStatus}` : ''})` : ''}`, { cause: o.cause });
    this.operation = o.operation;
    this.timeoutMs = o.timeoutMs;
    this.externalId = o.externalId;
    this.lastState = redactState(o.lastState);
  }
}

/** The caller's AbortSignal fired. `cause` is the signal's reason. */
export class SberAbortError extends SberError {
  static override readonly kind: string = 'SberAbortError';
  constructor(readonly operation: string, reason: unknown) {
    super('ABORTED', `${operation} was aborted`, { cause: reason });
  }
}

/**
 * The connection failed. `code`: 'TLS' (handshake refused: client certificate missing or not trusted, server
 * certificate not trusted — never retried), 'NETWORK' (refused, reset, closed), 'RESPONSE_TOO_LARGE'.
 * `requestMayHaveBeenProcessed` is true when the request may have reached the server before the failure.
 */
export class SberTransportError extends SberError {
  static override readonly kind: string = 'SberTransportError';
  constructor(
    code: 'TLS' | 'NETWORK' | 'RESPONSE_TOO_LARGE',
    message: string,
    readonly requestMayHaveBeenProcessed: boolean,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}

/** Sber's `checks[]` entry of an error body. */
export interface SberCheck {
  level?: string;
  message?: string;
  fields?: string[];
}

/** The state of a document: `GET …/{externalId}/state`. */
export interface SberDocState {
  bankStatus?: string;
  bankComment?: string | null;
  receiptStatus?: string | null;
  [key: string]: unknown;
}

export interface SberApiErrorInit {
  status: number;
  cause?: string;
  message?: string;
  referenceId?: string;
  internalErrorCode?: string;
  checks?: SberCheck[];
  fieldNames?: string[];
  requestId?: string;
  body?: string;
}

/**
 * An HTTP answer other than success. `cause` is Sber's code (`WORKFLOW_FAULT`, …), not a chained error;
 * `code` equals it when present, else `HTTP_<status>` (or `INVALID_RESPONSE` for an unreadable success body).
 */
export class SberApiError extends SberError {
  static override readonly kind: string = 'SberApiError';
  readonly status: number;
  declare readonly cause: string | undefined;
  readonly referenceId: string | undefined;
  readonly internalErrorCode: string | undefined;
  readonly checks: SberCheck[] | undefined;
  readonly fieldNames: string[] | undefined;
  readonly requestId: string | undefined;
  /** The raw response body (redacted, at most 64 KiB). */
  readonly body: string | undefined;

  constructor(init: SberApiErrorInit, code?: string) {
    super(code ?? init.cause ?? `HTTP_${init.status}`, init.message ?? `HTTP ${init.status}`);
    Object.defineProperty(this, 'cause', { value: init.cause, enumerable: true, writable: false, configurable: true });
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

/** 400 DESERIALIZATION_FAULT: the request could not be read. */
export class DeserializationFaultError extends SberApiError {
  static override readonly kind: string = 'DeserializationFaultError';
}
/** 400 WORKFLOW_FAULT: duplicate document, account not allowed, missing/bad JWS kid. See `isDuplicate`. */
export class WorkflowFaultError extends SberApiError {
  static override readonly kind: string = 'WorkflowFaultError';
  /** "Документ с такими реквизитами уже существует". */
  get isDuplicate(): boolean {
    return /уже существует|already exists/i.test(this.message);
  }
}
/** 400 VALIDATION_FAULT: `checks` / `fieldNames` name the fields. */
export class ValidationFaultError extends SberApiError {
  static override readonly kind: string = 'ValidationFaultError';
}
/** 400 SIGN_CHECK_EXCEPTION: the signature could not be verified or the certificate is not active. */
export class SignCheckError extends SberApiError {
  static override readonly kind: string = 'SignCheckError';
}
/** 401 UNAUTHORIZED: access token unknown or expired (the client refreshes once before throwing this). */
export class UnauthorizedError extends SberApiError {
  static override readonly kind: string = 'UnauthorizedError';
}
/** 403 ACTION_ACCESS_EXCEPTION: scope or offer does not allow the resource. */
export class ActionAccessError extends SberApiError {
  static override readonly kind: string = 'ActionAccessError';
}
/** 415 JWS_EXCEPTED: the service requires `application/jose`; configure `transportSignature`. */
export class JwsExpectedError extends SberApiError {
  static override readonly kind: string = 'JwsExpectedError';
}
/** 500 UNKNOWN_EXCEPTION. */
export class UnknownExceptionError extends SberApiError {
  static override readonly kind: string = 'UnknownExceptionError';
}
/** 503 UNAVAILABLE_RESOURCE_EXCEPTION: maintenance. */
export class UnavailableResourceError extends SberApiError {
  static override readonly kind: string = 'UnavailableResourceError';
}
/** 404 (inferred code RESOURCE_NOT_FOUND): no such document. */
export class ResourceNotFoundError extends SberApiError {
  static override readonly kind: string = 'ResourceNotFoundError';
}
/** 429 (inferred code TOO_MANY_REQUESTS). */
export class TooManyRequestsError extends SberApiError {
  static override readonly kind: string = 'TooManyRequestsError';
}

/**
 * SberBusiness ID said no, or the token state cannot give an access token. `code`: 'OAUTH_ERROR' (the token
 * endpoint's `{error, error_description}`, e.g. `error: 'invalid_grant'`), 'LOGIN_REQUIRED' (no refresh token
 * in the store, or it was refused: a person must log in again), 'STORE_FAILED' (the store could not be read, or the new refresh token could
 * not be persisted; the access token was not used), 'INVALID_TOKEN_RESPONSE'.
 */
export class SberAuthError extends SberError {
  static override readonly kind: string = 'SberAuthError';
  readonly status: number | undefined;
  readonly error: string | undefined;
  readonly errorDescription: string | undefined;
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
  static override readonly kind: string = 'SberAmbiguousCreateError';
  constructor(readonly externalId: string, options: { cause?: unknown }) {
    super('AMBIGUOUS_CREATE', `The registry ${externalId} may exist: an attempt may have stored it and the bank does not show it (yet); ask getState(externalId) later, never send it again without a number`, options);
  }
}

const BY_CAUSE: Record<string, new (init: SberApiErrorInit) => SberApiError> = {
  DESERIALIZATION_FAULT: DeserializationFaultError,
  WORKFLOW_FAULT: WorkflowFaultError,
  VALIDATION_FAULT: ValidationFaultError,
  SIGN_CHECK_EXCEPTION: SignCheckError,
  UNAUTHORIZED: UnauthorizedError,
  ACTION_ACCESS_EXCEPTION: ActionAccessError,
  JWS_EXCEPTED: JwsExpectedError,
  JWS_EXPECTED: JwsExpectedError,
  UNKNOWN_EXCEPTION: UnknownExceptionError,
  UNAVAILABLE_RESOURCE_EXCEPTION: UnavailableResourceError,
  RESOURCE_NOT_FOUND: ResourceNotFoundError,
  TOO_MANY_REQUESTS: TooManyRequestsError,
};

const BY_STATUS: Record<number, new (init: SberApiErrorInit) => SberApiError> = {
  401: UnauthorizedError,
  403: ActionAccessError,
  404: ResourceNotFoundError,
  415: JwsExpectedError,
  429: TooManyRequestsError,
  500: UnknownExceptionError,
  503: UnavailableResourceError,
};

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
    ? (json.checks as unknown[]).filter((c): c is Record<string, unknown> => typeof c === 'object' && c !== null).map((c) => ({
        level: str(c.level),
        message: str(c.message),
        fields: Array.isArray(c.fields) ? c.fields.filter((f): f is string => typeof f === 'string') : undefined,
      }))
    : undefined;
  const fieldNames = Array.isArray(json?.fieldNames) ? (json.fieldNames as unknown[]).filter((f): f is string => typeof f === 'string') : undefined;
  const init: SberApiErrorInit = {
    status,
    cause,
    message: str(json?.message) ?? (json ? undefined : `HTTP ${status} with a non-JSON body`),
    referenceId: str(json?.referenceId),
    internalErrorCode: str(json?.internalErrorCode),
    checks,
    fieldNames,
    requestId,
    body,
  };
  // Own properties only: a hostile `cause` such as "constructor" must not pick up Object.prototype members.
  const Ctor = (cause !== undefined && Object.hasOwn(BY_CAUSE, cause) ? BY_CAUSE[cause] : undefined) ?? (Object.hasOwn(BY_STATUS, status) ? BY_STATUS[status] : undefined) ?? SberApiError;
  return new Ctor(init);
}
