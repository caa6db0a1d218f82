export { createSunatAuth, DEFAULT_BASE_URL, GRE_SCOPE, type SunatAuth, type SunatAuthOptions, type GetTokenOptions } from './auth.js';
export { SunatAuthError, SunatAuthValidationError, hintFor, type SunatAuthErrorKind } from './errors.js';
export { memoryTokenStore, type TokenStore, type StoredToken, type TokenLock } from './store.js';
export { isValidRuc } from './validate.js';
