import { inspect } from 'node:util';
import { BrandedError } from '@internal/errors';

/** Stable codes of every failure this package throws. */
export type GreErrorCode =
  | 'VALIDATION'
  | 'SUNAT_API'
  | 'GATEWAY_HTML'
  | 'BAD_RESPONSE'
  | 'NETWORK'
  | 'TIMEOUT'
  | 'ABORTED'
  | 'AMBIGUOUS_SEND'
  | 'CDR_INVALID';

/**
 * Base of every error of sunat-gre-client (both entry points: 'sunat-gre-client' and 'sunat-gre-client/gre').
 * `isInstance` and `instanceof` check a `Symbol.for('sunat-gre-client.error')` brand, so they hold across
 * duplicated ESM/CJS copies (docs/errors.md). No error ever carries a token or a secret.
 */
export class GreError extends BrandedError<GreErrorCode> {
  static override readonly family = 'sunat-gre-client';
  static override readonly className: string = 'GreError';
  /** Stable code of the failure. */
  readonly code: GreErrorCode;

  constructor(code: GreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }

  /** Plain fields for logs; never secrets. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { name: this.name, code: this.code, message: this.message };
    for (const [k, v] of Object.entries(this)) if (k !== 'name' && k !== 'code' && v !== undefined) out[k] = v;
    return out;
  }

  /** For `util.inspect`/console.log: name, code, message and {@link GreError.toJSON}. */
  [inspect.custom](): string {
    return `${this.name} [${this.code}]: ${this.message} ${inspect(this.toJSON(), { depth: 3, breakLength: Infinity })}`;
  }
}

/**
 * Bad input, options, guide, key material or XML, refused before anything is sent. `field` is the input's path,
 * `rule` what it broke; `sunatCode` SUNAT's code for the same rule (CodeErrors.xml) when there is one. The one
 * class of both entry points ('sunat-gre-client/gre' re-exports it). Never carries a key, a passphrase or the XML.
 */
export class GreValidationError extends GreError {
  static override readonly className: string = 'GreValidationError';
  /** Path of the input at fault, e.g. `shipment.start.ubigeo`. */
  readonly field: string;
  /** The rule it broke. */
  readonly rule: string;
  /** SUNAT's code for the same rule (CodeErrors.xml), when there is one. */
  readonly sunatCode?: string;
  constructor(field: string, rule: string, detail?: string, sunatCode?: string) {
    super(
      'VALIDATION',
      detail === undefined && sunatCode === undefined
        ? `${field}: ${rule}`
        : `${field}: ${detail ?? rule} (rule ${rule}${sunatCode ? `, SUNAT ${sunatCode}` : ''})`,
    );
    this.field = field;
    this.rule = rule;
    if (sunatCode !== undefined) this.sunatCode = sunatCode;
  }
}

/** One item of SUNAT's `errors` list. */
export interface SunatErrorItem {
  /** SUNAT's code as sent (`cod` or `codError`), always a string. */
  code: string;
  /** SUNAT's text as sent (`msg` or `desError`); the catalogue's text when the item had none. */
  message: string;
  /** The text of this code in SUNAT's catalogue (CodeErrors.xml), when it is listed there. */
  catalogue?: string;
}

/** What a {@link SunatApiError} is made from (see its members). */
export interface SunatApiErrorInit {
  /** Default 'SUNAT_API'. */
  code?: 'SUNAT_API' | 'GATEWAY_HTML' | 'BAD_RESPONSE';
  /** HTTP status of the answer. */
  status: number;
  /** SUNAT's `cod`; default the status as a string. */
  cod?: string;
  /** SUNAT's `msg`; default ''. */
  msg?: string;
  /** SUNAT's `exc`; default null. */
  exc?: string | null;
  /** SUNAT's error items; default []. */
  errors?: SunatErrorItem[];
  /** The response body, redacted. */
  rawBody?: string;
  /** The gateway's request id, when any. */
  requestId?: string;
  /** The request URL. */
  url?: string;
  /** Plain advice for the failure, when one applies. */
  hint?: string;
  /** The server's Retry-After, in ms (capped at 60 s), when it sent one. */
  retryAfterMs?: number;
}

/**
 * SUNAT (or a gateway before it) answered with an error, or with something that is not the documented JSON.
 * `cod` is always a string, even when SUNAT sent a number; `errors` merges both documented item shapes.
 */
export class SunatApiError extends GreError {
  static override readonly className: string = 'SunatApiError';
  /** HTTP status of the answer. */
  readonly status: number;
  /** SUNAT's `cod` as a string; the HTTP status when SUNAT gave none. */
  readonly cod: string;
  /** SUNAT's `msg`, or ''. */
  readonly msg: string;
  /** SUNAT's `exc`, or null. */
  readonly exc: string | null;
  /** SUNAT's error items (both documented shapes merged); may be empty. */
  readonly errors: SunatErrorItem[];
  /** The response body, redacted of tokens. */
  readonly rawBody?: string;
  /** The gateway's request id, when any. */
  readonly requestId?: string;
  /** The request URL. */
  readonly url?: string;
  /** Plain advice for the failure, when one applies. */
  readonly hint?: string;
  /** The server's Retry-After in ms (capped at 60 s), when it sent one. */
  readonly retryAfterMs?: number;

  constructor(message: string, init: SunatApiErrorInit) {
    super(init.code ?? 'SUNAT_API', message);
    this.status = init.status;
    this.cod = init.cod ?? String(init.status);
    this.msg = init.msg ?? '';
    this.exc = init.exc ?? null;
    this.errors = init.errors ?? [];
    this.rawBody = init.rawBody;
    this.requestId = init.requestId;
    this.url = init.url;
    this.hint = init.hint;
    this.retryAfterMs = init.retryAfterMs;
  }

  /** 429 and 5xx (and gateway pages) are worth another try for idempotent calls. */
  get retryable(): boolean {
    return this.status === 429 || this.status >= 500;
  }
}

/** The request never got an answer (connection refused, reset, TLS failure...), after the retries allowed. */
export class GreNetworkError extends GreError {
  static override readonly className: string = 'GreNetworkError';
  /** The request URL. */
  readonly url?: string;
  /** The system or undici error code, e.g. ECONNREFUSED, UND_ERR_SOCKET. */
  readonly reason?: string;
  constructor(message: string, init: { url?: string; reason?: string; cause?: unknown }) {
    super('NETWORK', message, { cause: init.cause });
    this.url = init.url;
    this.reason = init.reason;
  }
}

/**
 * A deadline passed. From `waitForResult`/`submit` it carries the `ticket`: the document is at SUNAT, so
 * resume later with `waitForResult(ticket)` or `getStatus(ticket)`; never send it again.
 */
export class GreTimeoutError extends GreError {
  static override readonly className: string = 'GreTimeoutError';
  /** The deadline that passed, in ms. */
  readonly timeoutMs: number;
  /** The ticket being waited on, when the document was already sent. */
  readonly ticket?: string;
  /** The zip's file name, when known. */
  readonly fileName?: string;
  /** The last `codRespuesta` seen before the deadline, when any. */
  readonly lastStatus?: string;
  constructor(message: string, init: { timeoutMs: number; ticket?: string; fileName?: string; lastStatus?: string; cause?: unknown }) {
    super('TIMEOUT', message, { cause: init.cause });
    this.timeoutMs = init.timeoutMs;
    this.ticket = init.ticket;
    this.fileName = init.fileName;
    this.lastStatus = init.lastStatus;
  }
}

/**
 * The caller's AbortSignal fired before anything was sent (or while only reading). `name` is 'AbortError', as
 * for undici/fetch aborts; `cause` is the signal's reason.
 */
export class GreAbortedError extends GreError {
  static override readonly className: string = 'GreAbortedError';
  static override readonly errorName = 'AbortError';
  /** The ticket being waited on, when the abort came during a wait. */
  readonly ticket?: string;
  constructor(message: string, init: { ticket?: string; cause?: unknown } = {}) {
    super('ABORTED', message, { cause: init.cause });
    this.ticket = init.ticket;
  }
}

/**
 * A send may have reached SUNAT but its answer was lost (reset, timeout or abort after the body was written,
 * a gateway error). It is not repeated automatically: a second send of a stored document is refused (1033)
 * and could never give back the first ticket.
 */
export class GreAmbiguousSendError extends GreError {
  static override readonly className: string = 'GreAmbiguousSendError';
  /** The zip's file name, `RUC-TT-SERIE-NUMERO.zip`. */
  readonly fileName: string;
  /** SHA-256 of the zip sent, lowercase hex. */
  readonly hash: string;
  /**
   * What happened, as free text for people (e.g. `HTTP 502`, `network: ECONNRESET`, `bad_response: 200 without
   * numTicket`), not a value to switch on: every such error is `code` `AMBIGUOUS_SEND` and is resolved the same way.
   */
  readonly reason: string;
  /** HTTP status of a gateway's answer, when one came. */
  readonly status?: number;
  constructor(init: { fileName: string; hash: string; reason: string; status?: number; cause?: unknown }) {
    super(
      'AMBIGUOUS_SEND',
      `The send of ${init.fileName} (sha256 ${init.hash}) may have reached SUNAT, but no answer came back (${init.reason}). ` +
        "It was not resent. Look the guide up in SUNAT's SOL portal (or wait and resend the same document: " +
        'a 99/1033 "registrado previamente" means the first send was stored).',
      { cause: init.cause },
    );
    this.fileName = init.fileName;
    this.hash = init.hash;
    this.reason = init.reason;
    this.status = init.status;
  }
}

/** A CDR (zip or XML) that is not safe or not what SUNAT writes. `rule` says which check refused it. */
export class GreCdrError extends GreError {
  static override readonly className: string = 'GreCdrError';
  /** The check that refused the CDR. */
  readonly rule: string;
  constructor(rule: string, message: string, options?: { cause?: unknown }) {
    super('CDR_INVALID', `Invalid CDR (${rule}): ${message}`, options);
    this.rule = rule;
  }
}
