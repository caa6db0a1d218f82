import { type Job, Queue, QueueEvents } from 'bullmq';
import { documentIdOf, type GreQueueInput, isGuide, normalize, storedDocument } from './document.js';
import { GreJobFailedError, GreQueueTimeoutError, GreQueueValidationError } from './errors.js';
import { connectionOf, positive, queueName, type RedisConnection, type Retention, retentionOf } from './options.js';
import type { GreVerdict } from './verdict.js';
import type { GreJobData } from './worker.js';

/** Options of {@link createGreQueue}; a bad one throws GreQueueValidationError. */
export interface GreQueueOptions {
  /** Where the queue lives in Redis. */
  connection: RedisConnection;
  /** The BullMQ queue name; default `sunat-gre`. Workers must use the same. */
  name?: string;
  /** BullMQ key prefix; default `bull`. */
  prefix?: string;
  /** How long finished jobs (and their verdicts) stay in Redis. */
  retention?: Retention;
  /** Job-level retries of transient failures (network, 5xx, Redis restarts), exponential from `retryDelayMs`; default 12 and 1000. */
  attempts?: number;
  /** First wait before a job-level retry, in milliseconds; default 1000. */
  retryDelayMs?: number;
  /** Connection errors of the queue and its QueueEvents (Redis restarting, …); default: ignored, both reconnect by themselves. */
  onError?(error: Error): void;
}

/** What {@link GreQueue.enqueue} resolves to. */
export interface EnqueueResult {
  /** The document's id and job id, `RUC-TT-SERIE-NUMERO`. */
  documentId: string;
  /** False when a job with this document id already existed: nothing was added. */
  added: boolean;
  /** The BullMQ job of this document (the existing one when `added` is false). */
  job: Job<GreJobData, GreVerdict, string>;
}

/** The producer side of the queue, made by {@link createGreQueue}. */
export interface GreQueue {
  /** Adds the document once: its job id is `RUC-TT-SERIE-NUMERO`, so enqueueing it again is a no-op. */
  enqueue(input: GreQueueInput): Promise<EnqueueResult>;
  /**
   * Resolves with the verdict when the job completes (at once if it has). Rejects with GreJobFailedError when the
   * job failed for good, GreQueueTimeoutError after `timeoutMs`, GreQueueValidationError for an unknown id.
   */
  waitForVerdict(documentId: string, o?: { timeoutMs?: number }): Promise<GreVerdict>;
  /** The verdict of a completed job, else undefined. */
  verdictOf(documentId: string): Promise<GreVerdict | undefined>;
  /** Called for every verdict any worker reaches (QueueEvents: at least once per completed job). Returns an unsubscribe. */
  onVerdict(listener: (verdict: GreVerdict) => void): () => void;
  /** The underlying BullMQ Queue. */
  readonly queue: Queue<GreJobData, GreVerdict, string, GreJobData, GreVerdict, string>;
  /** The BullMQ QueueEvents that verdicts arrive on. */
  readonly events: QueueEvents;
  /** Closes the QueueEvents, then the Queue (a Redis client you passed in stays open). */
  close(): Promise<void>;
}

/** The producer side: enqueue guides, read and await their verdicts. */
export function createGreQueue(options: GreQueueOptions): GreQueue {
  const name = queueName(options.name);
  const connection = connectionOf(options.connection);
  const retention = retentionOf(options.retention);
  const attempts = positive(options.attempts, 'attempts', 12);
  const retryDelayMs = positive(options.retryDelayMs, 'retryDelayMs', 1000);
  const prefix = options.prefix;
  const queue = new Queue<GreJobData, GreVerdict, string, GreJobData, GreVerdict, string>(name, {
    connection,
    ...(prefix ? { prefix } : {}),
  });
  const events = new QueueEvents(name, { connection, ...(prefix ? { prefix } : {}) });
  const onError = (error: Error): void => options.onError?.(error);
  queue.on('error', onError);
  events.on('error', onError);
  // one listener per waitForVerdict call in flight: many is normal here
  queue.setMaxListeners(0);
  events.setMaxListeners(0);
  const listeners = new Set<(v: GreVerdict) => void>();
  events.on('completed', ({ returnvalue }) => {
    const verdict = (typeof returnvalue === 'string' ? JSON.parse(returnvalue) : returnvalue) as GreVerdict;
    for (const l of listeners) {
      try {
        l(verdict);
      } catch {
        // a listener must not stop the others
      }
    }
  });

  return {
    queue,
    events,
    async enqueue(input) {
      const documentId = documentIdOf(input);
      const doc = normalize(input);
      const data: GreJobData = isGuide(doc)
        ? { documentId, guide: doc, sends: 0, polls: 0 }
        : { documentId, document: storedDocument(doc), sends: 0, polls: 0 };
      const existing = await queue.getJob(documentId);
      if (existing) return { documentId, added: false, job: existing };
      const job = await queue.add('gre', data, {
        jobId: documentId,
        attempts,
        backoff: { type: 'exponential', delay: retryDelayMs, jitter: 0.25 },
        ...retention,
      });
      // two producers racing past getJob: BullMQ keeps the first job; both are told `added`
      return { documentId, added: true, job };
    },
    async waitForVerdict(documentId, o = {}) {
      const job = await queue.getJob(documentId);
      if (!job)
        throw new GreQueueValidationError(
          'documentId',
          `must be the id of an enqueued job: none for ${documentId} (never enqueued, or removed by retention)`,
        );
      await events.waitUntilReady();
      try {
        return await job.waitUntilFinished(events, o.timeoutMs);
      } catch (error) {
        throw await failureOf(queue, documentId, error, o.timeoutMs);
      }
    },
    async verdictOf(documentId) {
      const job = await queue.getJob(documentId);
      return job && (await job.isCompleted()) ? (job.returnvalue as GreVerdict) : undefined;
    },
    onVerdict(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      await events.close();
      await queue.close();
    },
  };
}

/** BullMQ rejects a wait with a plain Error (the failedReason, or its own timeout text): ours say which it was. */
async function failureOf(queue: Queue, documentId: string, error: unknown, timeoutMs: number | undefined): Promise<unknown> {
  const job = await queue.getJob(documentId).catch(() => undefined);
  if (job && (await job.isFailed().catch(() => false))) return new GreJobFailedError(documentId, job.failedReason, { cause: error });
  if (timeoutMs !== undefined && /timed out/i.test((error as Error)?.message ?? ''))
    return new GreQueueTimeoutError(documentId, timeoutMs, { cause: error });
  return error;
}
