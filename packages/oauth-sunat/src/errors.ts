import { inspect } from 'node:util';
import { BrandedError } from '@internal/errors';

/** Stable categories of failure, independent of what SUNAT's body said. */
export type SunatAuthErrorKind =
  | 'validation'
  | 'http'
  | 'gateway'
  | 'network'
  | 'timeout'
  | 'aborted'
  | 'bad_response'
  | 'closed'
  | 'store';

/** Our own codes; an HTTP refusal carries SUNAT's (OAuth `error` or `cod`, e.g. 'invalid_grant') or `HTTP_<status>`. */
export type SunatAuthErrorCode =
  | 'INVALID_INPUT'
  | 'GATEWAY_HTML'
  | 'NETWORK'
  | 'TLS'
  | 'TIMEOUT'
  | 'ABORTED'
  | 'BAD_RESPONSE'
  | 'CLOSED'
  | 'STORE_FAILED'
  | (string & {});

/** What a {@link SunatAuthError} is made from (see its members). */
export interface SunatAuthErrorInit {
  /** Category of the failure. */
  kind: SunatAuthErrorKind;
  /** HTTP status of SUNAT's answer, when there was one. */
  status?: number;
  /** SUNAT's code or ours. */
  code: SunatAuthErrorCode;
  /** SUNAT's error_description / msg, redacted. */
  description?: string;
  /** Plain advice for the failure (see {@link hintFor}). */
  hint?: string;
  /** SUNAT's response body, redacted and truncated. */
  rawBody?: string;
  /** The underlying error (network, store, the signal's reason). */
  cause?: unknown;
}

/**
 * Every failure of oauth-sunat. `code` is SUNAT's own (OAuth `error` or `cod`) when the service answered,
 * else one of ours (INVALID_INPUT, GATEWAY_HTML, NETWORK, TLS, TIMEOUT, ABORTED, BAD_RESPONSE, CLOSED, STORE_FAILED).
 * `isInstance`/`instanceof` hold across duplicated ESM/CJS copies (docs/errors.md). Never carries a password,
 * client secret or token: texts from the server are redacted before they get here. Build one with `authError`,
 * which picks the class from the kind.
 */
export class SunatAuthError extends BrandedError<SunatAuthErrorCode> {
  static override readonly family = 'oauth-sunat';
  static override readonly className: string = 'SunatAuthError';
  /** Stable category of the failure. */
  readonly kind: SunatAuthErrorKind;
  /** HTTP status of SUNAT's answer; undefined when no answer came. */
  readonly status?: number;
  /** SUNAT's code (OAuth `error` or `cod`, or `HTTP_<status>`) when it answered, else ours. */
  readonly code: SunatAuthErrorCode;
  /** SUNAT's error_description / msg, redacted. */
  readonly description?: string;
  /** Plain advice for the failures users meet most, when one applies. */
  readonly hint?: string;
  /** SUNAT's response body, redacted of secrets and tokens. */
  readonly rawBody?: string;

  constructor(message: string, init: SunatAuthErrorInit) {
    super(message, { cause: init.cause });
    this.kind = init.kind;
    this.status = init.status;
    this.code = init.code;
    this.description = init.description;
    this.hint = init.hint;
    this.rawBody = init.rawBody;
  }

  /** The fields above plus name and message, for logs; holds no secret. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      kind: this.kind,
      status: this.status,
      code: this.code,
      description: this.description,
      hint: this.hint,
      rawBody: this.rawBody,
    };
  }

  /** For `util.inspect`/console.log: the stack followed by {@link SunatAuthError.toJSON}. */
  [inspect.custom](): string {
    return `${this.stack ?? this.message}\n${inspect(this.toJSON(), { breakLength: 120 })}`;
  }
}

/** The caller's signal fired. `name` is 'AbortError', as for undici/fetch aborts; `cause` is the signal's reason. */
export class SunatAuthAbortError extends SunatAuthError {
  static override readonly className: string = 'SunatAuthAbortError';
  static override readonly errorName = 'AbortError';
}

/** Bad options or input, refused before any request. */
export class SunatAuthValidationError extends SunatAuthError {
  static override readonly className: string = 'SunatAuthValidationError';
  /** The option or input at fault (e.g. 'solUser'). */
  readonly field: string;
  /** The rule it broke, in words (e.g. 'must not contain spaces'). */
  readonly rule: string;

  constructor(field: string, rule: string) {
    super(`Invalid ${field}: ${rule}`, { kind: 'validation', code: 'INVALID_INPUT' });
    this.field = field;
    this.rule = rule;
  }

  /** {@link SunatAuthError.toJSON} plus `field` and `rule`. */
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), field: this.field, rule: this.rule };
  }
}

/** The one table from a failure's kind to its class (every kind not listed is a plain SunatAuthError). */
const CLASS_BY_KIND: Partial<Record<SunatAuthErrorKind, new (message: string, init: SunatAuthErrorInit) => SunatAuthError>> = {
  aborted: SunatAuthAbortError,
};

/** A SunatAuthError of the class its kind calls for. */
export function authError(message: string, init: SunatAuthErrorInit): SunatAuthError {
  return new (CLASS_BY_KIND[init.kind] ?? SunatAuthError)(message, init);
}

/** Plain words for the failures users meet most (SUNAT-GRE.md: lycet #595/#605/#613, Odoo docs). */
export function hintFor(status: number | undefined, code: string | undefined, description: string | undefined): string | undefined {
  const text = `${code ?? ''} ${description ?? ''}`.toLowerCase();
  if (
    code === 'invalid_client' ||
    code === 'unauthorized_client' ||
    text.includes('cliente no autorizado') ||
    (status === 401 && !code?.startsWith('invalid_grant'))
  )
    return (
      'SUNAT refused the client_id/client_secret. Most often these credentials were generated in SOL for another SUNAT API: ' +
      'create them in SOL under "Credenciales de API SUNAT" for "GRE Emision de Comprobantes /v1/contribuyente/gem", ' +
      'and check that the client_secret was not regenerated since.'
    );
  if (status === 403 || /perfil|permis|autoriza/.test(text))
    return (
      'The SOL user has no rights for the GRE: the main SOL user must give this (secondary) user the profile for ' +
      '"Guía de Remisión Electrónica" in SOL, or use a user that has it.'
    );
  if (code === 'invalid_grant' || /usuario|contrase|password|username/.test(text))
    return (
      'The username must be the RUC (11 digits) immediately followed by the SOL user, e.g. 20123456786MODDATOS, ' +
      "and the password is that SOL user's password. Check both, and that the SOL user is active."
    );
  if (code === 'invalid_scope') return 'For the GRE the scope must be "https://api-cpe.sunat.gob.pe".';
  if (code === 'unsupported_grant_type')
    return 'For the GRE scope SUNAT fixes grant_type to "password" (with the SOL user); "client_credentials" serves other SUNAT APIs only.';
  return undefined;
}
