export { describeSunatCode, type ErrorContext, parseApiError } from './api-error.js';
export { type Cdr, type CdrSummary, type ParseCdrOptions, parseCdr, readCdrXml, summarizeCdr } from './cdr.js';
export {
  type CallOptions,
  createGreClient,
  DEFAULT_BASE_URL,
  type GreClient,
  type GreClientOptions,
  type GreHookEvent,
  type GreHooks,
  type GreStatus,
  type SendResult,
  type SubmitResult,
  type WaitOptions,
} from './client.js';
export {
  GreAbortedError,
  GreAmbiguousSendError,
  GreCdrError,
  GreError,
  type GreErrorCode,
  GreNetworkError,
  GreTimeoutError,
  GreValidationError,
  SunatApiError,
  type SunatApiErrorInit,
  type SunatErrorItem,
} from './errors.js';
export { parseLimaDateTime } from './lima.js';
export { type GreType, isValidRuc, type SendInput } from './validate.js';
