export {
  createSunatAuth,
  DEFAULT_BASE_URL,
  type GetTokenOptions,
  GRE_SCOPE,
  SUNAT_TOKEN_HOSTS,
  type SunatAuth,
  type SunatAuthOptions,
} from './auth.js';
export {
  hintFor,
  SunatAuthAbortError,
  SunatAuthError,
  type SunatAuthErrorCode,
  type SunatAuthErrorInit,
  type SunatAuthErrorKind,
  SunatAuthValidationError,
} from './errors.js';
export { memoryTokenStore, type StoredToken, type TokenLock, type TokenStore } from './store.js';
export { isValidRuc } from './validate.js';
