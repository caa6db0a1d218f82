/** `oauth-sunat/validate`: the RUC check without the HTTP client (bundle it anywhere). */
export { isValidRuc } from './validate.js';
