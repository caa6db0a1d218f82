import { inspect } from 'node:util';

const MARKER = Symbol.for('oauth-sunat.error');

/** Stable categories of failure, independent of what SUNAT's body said. */
export type SunatAuthErrorKind = 'validation' | 'http' | 'gateway' | 'network' | 'timeout' | 'aborted' | 'bad_response' | 'closed' | 'store';

export interface SunatAuthErrorInit {
  kind: SunatAuthErrorKind;
  status?: number;
  code?: string;
  description?: string;
  hint?: string;
  rawBody?: string;
  cause?: unknown;
}

/**
 * Every failure of oauth-sunat. `code` is SUNAT's own (OAuth `error` or `cod`) when the service answered,
 * else one of ours (INVALID_INPUT, GATEWAY_HTML, NETWORK, TIMEOUT, ABORTED, BAD_RESPONSE, CLOSED, STORE_FAILED).
 * Never carries a password, client secret or token: the raw body is redacted before it gets here.
 */
export class SunatAuthError extends Error {
  readonly [MARKER] = true;
  override name = 'SunatAuthError';
  readonly kind: SunatAuthErrorKind;
  readonly status?: number;
  readonly code?: string;
  readonly description?: string;
  readonly hint?: string;
  readonly rawBody?: string;

  constructor(message: string, init: SunatAuthErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    this.status = init.status;
    this.code = init.code;
    this.description = init.description;
    this.hint = init.hint;
    this.rawBody = init.rawBody;
  }

  static isInstance(x: unknown): x is SunatAuthError {
    return typeof x === 'object' && x !== null && (x as Record<symbol, unknown>)[MARKER] === true;
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, kind: this.kind, status: this.status, code: this.code, description: this.description, hint: this.hint, rawBody: this.rawBody };
  }

  [inspect.custom](): string {
    return `${this.stack ?? this.message}\n${inspect(this.toJSON(), { breakLength: 120 })}`;
  }
}

/** Bad options or input, refused before any request. */
export class SunatAuthValidationError extends SunatAuthError {
  override name = 'SunatAuthValidationError';
  readonly field: string;
  readonly rule: string;

  constructor(field: string, rule: string) {
    super(`Invalid ${field}: ${rule}`, { kind: 'validation', code: 'INVALID_INPUT' });
    this.field = field;
    this.rule = rule;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), field: this.field, rule: this.rule };
  }
}

/** Plain words for the failures users meet most (SUNAT-GRE.md: lycet #595/#605/#613, Odoo docs). */
export function hintFor(status: number | undefined, code: string | undefined, description: string | undefined): string | undefined {
  const text = `${code ?? ''} ${description ?? ''}`.toLowerCase();
  if (code === 'invalid_client' || code === 'unauthorized_client' || text.includes('cliente no autorizado') || (status === 401 && !code?.startsWith('invalid_grant')))
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
      'The username must be the RUC (11 digits) immediately followed by the SOL user, e.g. 20123456789MODDATOS, ' +
      'and the password is that SOL user\'s password. Check both, and that the SOL user is active.'
    );
  if (code === 'invalid_scope') return 'For the GRE the scope must be "https://api-cpe.sunat.gob.pe".';
  if (code === 'unsupported_grant_type')
    return 'For the GRE scope SUNAT fixes grant_type to "password" (with the SOL user); "client_credentials" serves other SUNAT APIs only.';
  return undefined;
}
