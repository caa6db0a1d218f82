import { BrandedError } from '@internal/errors';

/** Stable machine-readable codes for every failure this package reports. */
export type GostErrorCode =
  | 'INVALID_INPUT'
  | 'UNKNOWN_PARAM_SET'
  | 'INVALID_KEY_SIZE'
  | 'INVALID_PRIVATE_KEY'
  | 'INVALID_PUBLIC_KEY'
  | 'POINT_NOT_ON_CURVE'
  | 'INVALID_SIGNATURE_LENGTH'
  | 'INVALID_LAYOUT'
  | 'INVALID_HASH_LENGTH'
  | 'MALFORMED_ASN1'
  | 'UNSUPPORTED_ALGORITHM';

/**
 * Every error thrown by gost2012. Messages name the field and the rule, never a key's value. `isInstance` and
 * `instanceof` check a `Symbol.for('gost2012.error')` brand, so they hold across ESM/CJS copies (docs/errors.md).
 */
export class GostError extends BrandedError<GostErrorCode> {
  static override readonly family = 'gost2012';
  static override readonly className: string = 'GostError';
  /** What went wrong, stable across versions: branch on this, not on the message. */
  readonly code: GostErrorCode;
  /** The argument or option at fault (e.g. `layout`, `signature`), when one is. */
  readonly field: string | undefined;

  constructor(code: GostErrorCode, message: string, options: { field?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    this.field = options.field;
  }

  /** The error for logs and JSON bodies: name, code, field and message (no stack, no cause). */
  toJSON(): {
    /** Always `'GostError'`. */
    name: string;
    /** {@link GostError.code}. */
    code: string;
    /** {@link GostError.field}, when there is one. */
    field?: string;
    /** The message, which never holds a key's value. */
    message: string;
  } {
    return { name: this.name, code: this.code, ...(this.field === undefined ? {} : { field: this.field }), message: this.message };
  }
}
