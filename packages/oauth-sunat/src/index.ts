export { createSunatAuth, type GetTokenOptions, type SunatAuth } from './auth.js';
export {
  hintFor,
  SunatAuthAbortError,
  SunatAuthError,
  type SunatAuthErrorCode,
  type SunatAuthErrorInit,
  type SunatAuthErrorKind,
  SunatAuthValidationError,
} from './errors.js';
export { DEFAULT_BASE_URL, GRE_SCOPE, SUNAT_TOKEN_HOSTS, type SunatAuthOptions } from './options.js';
export { memoryTokenStore, type StoredToken, type TokenLock, type TokenStore } from './store.js';
export { isValidRuc } from './validate.js';
