import { BrandedError } from '@internal/errors';

/** What went wrong, as a string union (docs/errors.md). */
export type GreQueueErrorCode = 'VALIDATION' | 'PERMANENT' | 'JOB_FAILED' | 'TIMEOUT';

/**
 * Base of every error sunat-gre-queue makes. `isInstance` and `instanceof` check a
 * `Symbol.for('sunat-gre-queue.error')` brand, so they hold across ESM/CJS copies of the package (docs/errors.md).
 * Errors of sunat-gre-client and oauth-sunat pass through as they are, or as the `cause` of one of these.
 */
export class GreQueueError extends BrandedError<GreQueueErrorCode> {
  static override readonly family = 'sunat-gre-queue';
  static override readonly className: string = 'GreQueueError';
  constructor(
    /** What went wrong. */
    readonly code: GreQueueErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A bad option or input, thrown before anything reaches Redis: `field` names it, `rule` says what it must be. */
export class GreQueueValidationError extends GreQueueError {
  static override readonly className: string = 'GreQueueValidationError';
  /** Always 'VALIDATION'. */
  declare readonly code: 'VALIDATION';
  constructor(
    /** The option or input at fault, e.g. `rateLimit.max`, `series`. */
    readonly field: string,
    /** The rule it broke, e.g. `must be an integer ≥ 1`. */
    readonly rule: string,
  ) {
    super('VALIDATION', `${field}: ${rule}`);
  }
}

/**
 * A job step that repeating cannot fix (a guide SUNAT's rules refuse, a 4xx, wrong credentials, too many sends
 * without an answer, a ticket pending past `pollTimeoutMs`): the job fails at once, with this message as its
 * `failedReason`. Named `'UnrecoverableError'`, as BullMQ names its own, which is what tells BullMQ not to retry.
 */
export class GreJobPermanentError extends GreQueueError {
  static override readonly className: string = 'GreJobPermanentError';
  static override readonly errorName = 'UnrecoverableError';
  /** Always 'PERMANENT'. */
  declare readonly code: 'PERMANENT';
  constructor(
    /** The job's document, `RUC-TT-SERIE-NUMERO`, when the failure is about one. */
    readonly documentId: string | undefined,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('PERMANENT', documentId === undefined ? message : `${documentId}: ${message}`, options);
  }
}

/** `waitForVerdict`: the job failed for good (permanently, or out of attempts); `failedReason` is BullMQ's. */
export class GreJobFailedError extends GreQueueError {
  static override readonly className: string = 'GreJobFailedError';
  /** Always 'JOB_FAILED'. */
  declare readonly code: 'JOB_FAILED';
  constructor(
    /** The job's document, `RUC-TT-SERIE-NUMERO`. */
    readonly documentId: string,
    /** Why the job failed, as BullMQ recorded it (the last step's error message). */
    readonly failedReason: string,
    options?: { cause?: unknown },
  ) {
    super('JOB_FAILED', `${documentId}: the job failed: ${failedReason}`, options);
  }
}

/** `waitForVerdict`: no verdict within `timeoutMs` (the job goes on; wait again or read `verdictOf` later). */
export class GreQueueTimeoutError extends GreQueueError {
  static override readonly className: string = 'GreQueueTimeoutError';
  /** Always 'TIMEOUT'. */
  declare readonly code: 'TIMEOUT';
  constructor(
    /** The job's document, `RUC-TT-SERIE-NUMERO`. */
    readonly documentId: string,
    /** The wait that ran out, in milliseconds. */
    readonly timeoutMs: number,
    options?: { cause?: unknown },
  ) {
    super('TIMEOUT', `${documentId}: no verdict within ${timeoutMs} ms (the job goes on)`, options);
  }
}
