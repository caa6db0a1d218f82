import { BrandedError } from '@internal/errors';

/** Stable machine-readable code of a {@link SberDigestError}. */
export type SberDigestErrorCode =
  | 'VALIDATION' // bad input: see SberDigestValidationError
  | 'BAD_OPTIONS' // a signer or verifier was set up wrongly (key and certificate do not match, no key…)
  | 'SIGN_FAILED' // a signer threw or returned something that is not a signature
  | 'ABORTED' // the caller's AbortSignal fired
  | 'COMMAND_FAILED' // the external signer exited non-zero
  | 'COMMAND_TIMEOUT' // the external signer ran past timeoutMs and was killed
  | 'COMMAND_NOT_FOUND' // the external signer could not be started
  | 'COMMAND_OUTPUT'; // the external signer exited 0 but printed no usable signature

/**
 * Every error this package throws. `code` is stable; messages never carry keys, PINs or passwords. `isInstance`
 * and `instanceof` check a `Symbol.for('sber-digest.error')` brand, so they hold across ESM/CJS copies (docs/errors.md).
 */
export class SberDigestError extends BrandedError<SberDigestErrorCode> {
  static override readonly family = 'sber-digest';
  static override readonly className: string = 'SberDigestError';
  /** What went wrong, stable across versions: branch on this, not on the message. */
  readonly code: SberDigestErrorCode;

  constructor(code: SberDigestErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }

  /** The error for logs and JSON bodies: name, code and message (no stack, no cause). */
  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, message: this.message };
  }
}

/** The caller's AbortSignal fired (`code` 'ABORTED'). `name` is 'AbortError', as for fetch aborts; `cause` is the signal's reason. */
export class SberDigestAbortError extends SberDigestError {
  static override readonly className: string = 'SberDigestAbortError';
  static override readonly errorName = 'AbortError';
  constructor(message: string, options: { cause?: unknown }) {
    super('ABORTED', message, options);
  }
}

/** Bad input, named by `field` (a path such as `bfAttachments[1].fileId`) and `rule`. Thrown before anything is signed. */
export class SberDigestValidationError extends SberDigestError {
  static override readonly className: string = 'SberDigestValidationError';
  /** Path of the bad input, e.g. `orgTaxNumber` or `bfAttachments[1].fileId`. */
  readonly field: string;
  /** The rule it breaks. */
  readonly rule: ValidationRule;

  constructor(field: string, rule: ValidationRule, detail: string) {
    super('VALIDATION', `${field}: ${detail} (rule ${rule})`);
    this.field = field;
    this.rule = rule;
  }

  /** {@link SberDigestError.toJSON} plus `field` and `rule`. */
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), field: this.field, rule: this.rule };
  }
}

/** The rule a {@link SberDigestValidationError} names; see each member's comment in the source. */
export type ValidationRule =
  | 'required' // missing or empty
  | 'type' // wrong JavaScript type
  | 'uuid' // not 8-4-4-4-12 hexadecimal
  | 'inn' // not 10 or 12 digits, or a wrong check digit
  | 'date' // not YYYY-MM-DD, or not a real calendar date
  | 'digits' // recordNum: not a non-negative whole number written in digits
  | 'key' // a digest key or table name that is not [A-Za-z][A-Za-z0-9_]*, or a reserved word
  | 'line-break' // a value with a line break or another control character: it would forge digest lines
  | 'equals-sign' // a value with '=': it would make the key=value split ambiguous
  | 'utf8' // a lone UTF-16 surrogate, which has no UTF-8 encoding
  | 'encoding' // a character the chosen digest encoding (Windows-1251) cannot write
  | 'number' // a number that is not finite
  | 'conflict'; // two inputs that say the same thing differently (fileId and bfAttachments)

/** The external signer failed. `stderr` is the program's error output with the given secrets blanked out. */
export class SberDigestCommandError extends SberDigestError {
  static override readonly className: string = 'SberDigestCommandError';
  /** The program's exit code; null when it was killed or never started. */
  readonly exitCode: number | null;
  /** The signal that ended the program (e.g. `SIGKILL` after `timeoutMs`), or null. */
  readonly signal: string | null;
  /** The program's error output, at most 8192 characters, with secrets blanked out. */
  readonly stderr: string;

  constructor(
    code: 'COMMAND_FAILED' | 'COMMAND_TIMEOUT' | 'COMMAND_NOT_FOUND' | 'COMMAND_OUTPUT',
    message: string,
    details: { exitCode?: number | null; signal?: string | null; stderr?: string },
  ) {
    super(code, message);
    this.exitCode = details.exitCode ?? null;
    this.signal = details.signal ?? null;
    this.stderr = details.stderr ?? '';
  }

  /** {@link SberDigestError.toJSON} plus `exitCode`, `signal` and `stderr`. */
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), exitCode: this.exitCode, signal: this.signal, stderr: this.stderr };
  }
}
