export { createSberAuth, type SberAuth, type SberAuthOptions } from './auth';
export {
  createSberClient,
  validateRegistry,
  SBER_TERMINAL_STATUSES,
  type DebtRegistry,
  type SberClient,
  type SberClientOptions,
  type SberCreateResult,
  type DigestChoices,
  type SberCryptoInfo,
  type SberPollDelay,
  type WaitOptions,
} from './client';
export { SBER_ENVIRONMENTS } from './environments';
export {
  SberError,
  SberApiError,
  DeserializationFaultError,
  WorkflowFaultError,
  ValidationFaultError,
  SignCheckError,
  UnauthorizedError,
  ActionAccessError,
  JwsExpectedError,
  UnknownExceptionError,
  UnavailableResourceError,
  ResourceNotFoundError,
  TooManyRequestsError,
  SberAuthError,
  SberValidationError,
  SberTimeoutError,
  SberAbortError,
  SberTransportError,
  SberAmbiguousCreateError,
  parseErrorBody,
  type SberErrorCode,
  type SberApiErrorInit,
  type SberCheck,
  type SberDocState,
} from './errors';
export type { CallOptions, RetryTiming, SberHooks } from './http';
export { memorySberTokenStore, fileSberTokenStore, type SberTokenStore, type SberTokens, type SberRotation } from './store';
export { createSberAgent, type SberTlsOptions, type SberCaOption } from './tls';
