export type { CdrSummary } from 'sunat-gre-client';
export { documentIdOf, type GreQueueInput, type ReadyZip, type StoredDocument } from './document.js';
export {
  GreJobFailedError,
  GreJobPermanentError,
  GreQueueError,
  type GreQueueErrorCode,
  GreQueueTimeoutError,
  GreQueueValidationError,
} from './errors.js';
export { DEFAULT_QUEUE_NAME, type RedisConnection, type Retention } from './options.js';
export { createGreQueue, type EnqueueResult, type GreQueue, type GreQueueOptions } from './queue.js';
export type { GreVerdict } from './verdict.js';
export { createGreWorker, type GreJobData, type GreWorker, type GreWorkerOptions } from './worker.js';
