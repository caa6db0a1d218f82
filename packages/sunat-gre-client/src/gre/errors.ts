import { GreValidationError as ClientValidationError } from '../errors.js';

/**
 * A guide SUNAT would refuse, or key material / XML that cannot be signed, caught before anything is sent.
 * The same error family as the client's (`code` 'VALIDATION', `GreError.isInstance`, `GreValidationError.isInstance`
 * from 'sunat-gre-client' accept it), plus SUNAT's own code for the rule when the catalogue has one.
 * Never carries a key, a passphrase or the XML.
 */
export class GreValidationError extends ClientValidationError {
  /** SUNAT's code for the same rule (CodeErrors.xml), when there is one. */
  readonly sunatCode?: string;

  constructor(field: string, rule: string, detail?: string, sunatCode?: string) {
    super(field, rule);
    if (sunatCode !== undefined) this.sunatCode = sunatCode;
    this.message = `${field}: ${detail ?? rule} (rule ${rule}${sunatCode ? `, SUNAT ${sunatCode}` : ''})`;
  }

  /** True for any validation error of this package (either entry point, any bundled copy). */
  static override isInstance(x: unknown): x is GreValidationError {
    return ClientValidationError.isInstance(x);
  }
}
