export { createSunatAuth, DEFAULT_BASE_URL, GRE_SCOPE, SUNAT_TOKEN_HOSTS, type SunatAuth, type SunatAuthOptions, type GetTokenOptions } from './auth.js';
export { SunatAuthError, SunatAuthAbortError, SunatAuthValidationError, hintFor, type SunatAuthErrorKind, type SunatAuthErrorCode, type SunatAuthErrorInit } from './errors.js';
export { memoryTokenStore, type TokenStore, type StoredToken, type TokenLock } from './store.js';
export { isValidRuc } from './validate.js';
