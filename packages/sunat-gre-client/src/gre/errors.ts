// One class for both entry points: 'sunat-gre-client' and 'sunat-gre-client/gre' export this same GreValidationError.
export { GreValidationError } from '../errors.js';
