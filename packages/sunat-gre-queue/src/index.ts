export { createGreQueue, type GreQueue, type GreQueueOptions, type EnqueueResult } from './queue.js';
export { createGreWorker, type GreWorker, type GreWorkerOptions, type GreJobData } from './worker.js';
export { documentIdOf, type GreQueueInput, type ReadyZip, type StoredDocument } from './document.js';
export { type GreVerdict, type CdrSummary } from './verdict.js';
export { DEFAULT_QUEUE_NAME, type RedisConnection, type Retention } from './options.js';
