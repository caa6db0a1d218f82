/** `sunat-gre-client/validate`: checks that need no transport, XML signing or zip library (bundle it anywhere). */
export { isValidRuc } from './validate.js';
