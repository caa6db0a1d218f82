export {
  createGreClient,
  DEFAULT_BASE_URL,
  type GreClient,
  type GreClientOptions,
  type GreHooks,
  type GreHookEvent,
  type CallOptions,
  type WaitOptions,
  type SendResult,
  type SubmitResult,
  type GreStatus,
} from './client.js';
export { parseCdr, readCdrXml, type Cdr, type ParseCdrOptions } from './cdr.js';
export { parseApiError, describeSunatCode, type ErrorContext } from './api-error.js';
export { isValidRuc, type SendInput, type GreType } from './validate.js';
export { parseLimaDateTime } from './lima.js';
export {
  GreError,
  GreValidationError,
  SunatApiError,
  GreNetworkError,
  GreTimeoutError,
  GreAbortedError,
  GreAmbiguousSendError,
  GreCdrError,
  type GreErrorCode,
  type SunatErrorItem,
  type SunatApiErrorInit,
} from './errors.js';
