export { createSberAuth, type SberAuth, type SberAuthOptions } from './auth.js';
export {
  createSberClient,
  type DebtRegistry,
  type DigestChoices,
  SBER_TERMINAL_STATUSES,
  type SberClient,
  type SberClientOptions,
  type SberCreateResult,
  type SberCryptoInfo,
  type SberPollDelay,
  validateRegistry,
  type WaitOptions,
} from './client.js';
export { SBER_ENVIRONMENTS } from './environments.js';
export {
  ActionAccessError,
  DeserializationFaultError,
  JwsExpectedError,
  parseErrorBody,
  ResourceNotFoundError,
  SberAbortError,
  SberAmbiguousCreateError,
  SberApiError,
  type SberApiErrorInit,
  SberAuthError,
  type SberCheck,
  type SberDocState,
  SberError,
  type SberErrorCode,
  SberTimeoutError,
  SberTransportError,
  SberValidationError,
  SignCheckError,
  TooManyRequestsError,
  UnauthorizedError,
  UnavailableResourceError,
  UnknownExceptionError,
  ValidationFaultError,
  WorkflowFaultError,
} from './errors.js';
export type { CallOptions, RetryTiming, SberHooks } from './http.js';
export { fileSberTokenStore, memorySberTokenStore, type SberRotation, type SberTokenStore, type SberTokens } from './store.js';
export { createSberAgent, type SberCaOption, type SberTlsOptions } from './tls.js';
