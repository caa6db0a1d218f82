import { BrandedError } from '@internal/errors';

/**
 * A sandbox misuse (bad options): thrown to the caller before any socket is opened, never sent over the wire.
 * The one error class of sunat-gre-sandbox: `isInstance` and `instanceof` check a `Symbol.for('sunat-gre-sandbox.error')`
 * brand, so they hold across ESM/CJS copies of the package (docs/errors.md).
 */
export class SunatSandboxError extends BrandedError<'BAD_OPTION'> {
  static override readonly family = 'sunat-gre-sandbox';
  static override readonly className: string = 'SunatSandboxError';
  constructor(
    /** Always 'BAD_OPTION'. */
    readonly code: 'BAD_OPTION',
    message: string,
    /** The option at fault, e.g. `state.documents[2].polls`. */
    readonly field: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
