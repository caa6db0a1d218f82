import { BrandedError } from '@internal/errors';

/**
 * Base of both error classes of jws-base64url: `JwsBase64UrlError.isInstance(e)` is true for a `Base64UrlError`
 * or a `JwsError`. Checks read a `Symbol.for('jws-base64url.error')` brand, so `isInstance` and `instanceof`
 * hold across ESM/CJS copies of the package (docs/errors.md).
 */
export abstract class JwsBase64UrlError extends BrandedError<Base64UrlErrorCode | JwsErrorCode> {
  static override readonly family = 'jws-base64url';
  static override readonly className: string = 'JwsBase64UrlError';
}

/** Why a text is not canonical Base64Url (RFC 4648 §5, unpadded). */
export type Base64UrlErrorCode =
  | 'NOT_A_STRING'
  | 'PADDING'
  | 'WHITESPACE'
  | 'INVALID_CHARACTER'
  | 'INVALID_LENGTH'
  | 'NON_ZERO_TRAILING_BITS'
  | 'INVALID_UTF8';

/**
 * A refused Base64Url text. `position` is the index of the offending character in the text (for
 * INVALID_UTF8: the offset of the first bad byte in the decoded bytes).
 */
export class Base64UrlError extends JwsBase64UrlError {
  static override readonly className: string = 'Base64UrlError';
  /** Which rule the text broke. */
  readonly code: Base64UrlErrorCode;
  /** Index of the offending character in the text (INVALID_UTF8: of the first bad byte in the decoded bytes). */
  readonly position: number;

  constructor(code: Base64UrlErrorCode, position: number, message: string) {
    super(message);
    this.code = code;
    this.position = position;
  }

  /** The plain fields, for logs and `JSON.stringify`. */
  toJSON(): {
    /** 'Base64UrlError'. */
    name: string;
    /** See {@link Base64UrlError.code}. */
    code: string;
    /** See {@link Base64UrlError.position}. */
    position: number;
    /** The human-readable reason. */
    message: string;
  } {
    return { name: this.name, code: this.code, position: this.position, message: this.message };
  }
}

/** Stable codes for every JWS failure. */
export type JwsErrorCode =
  | 'MALFORMED' // not three Base64Url parts, header not a JSON object, payload/signature not Base64Url
  | 'BAD_HEADER' // a header parameter breaks a rule of RFC 7515 / RFC 7797 (alg missing, crit or b64 ill-formed…)
  | 'DUPLICATE_HEADER' // the same member name twice in the header's JSON text
  | 'UNSUPPORTED_CRIT' // crit lists an extension the caller does not understand (RFC 7515 §4.1.11)
  | 'UNSUPPORTED_ALG' // alg not allowed, not known to the signer/verifier, or not supported by the runtime
  | 'ALG_MISMATCH' // header alg differs from the signer's or verifier's alg
  | 'ALG_NONE' // alg "none" without allowNone
  | 'BAD_KID' // requireKidUuid and kid is missing or not a UUID
  | 'BAD_PAYLOAD' // payload of a type that cannot be signed, or not representable with b64:false
  | 'BAD_KEY' // the key does not fit the algorithm (type, usage, size)
  | 'BAD_OPTIONS' // an option of the wrong type
  | 'SIGNER_FAILED' // the signer threw or returned something other than bytes
  | 'VERIFIER_FAILED' // the verifier threw or returned something other than a boolean
  | 'SIGNATURE_MISMATCH'; // the signature does not verify

/** Every JWS failure. `header` names the header parameter involved, when there is one. */
export class JwsError extends JwsBase64UrlError {
  static override readonly className: string = 'JwsError';
  /** Which check failed (see {@link JwsErrorCode}). */
  readonly code: JwsErrorCode;
  /** The header parameter involved (`alg`, `kid`, `crit`, `b64`…), when there is one. */
  readonly header: string | undefined;

  constructor(code: JwsErrorCode, message: string, options: { header?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    this.header = options.header;
  }

  /** The plain fields, for logs and `JSON.stringify`; `header` only when set. */
  toJSON(): {
    /** 'JwsError'. */
    name: string;
    /** See {@link JwsError.code}. */
    code: string;
    /** See {@link JwsError.header}. */
    header?: string;
    /** The human-readable reason. */
    message: string;
  } {
    return { name: this.name, code: this.code, ...(this.header === undefined ? {} : { header: this.header }), message: this.message };
  }
}
