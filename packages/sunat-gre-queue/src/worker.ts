import { DelayedError, type Job, Worker } from 'bullmq';
import { GreAmbiguousSendError, type GreClient, GreError, SunatApiError } from 'sunat-gre-client';
import { buildDespatchAdvice, type Guide, type SigningOptions, signXml } from 'sunat-gre-client/gre';
import { type StoredDocument, sendInputOf, storedDocument } from './document.js';
import { GreJobPermanentError, GreQueueValidationError } from './errors.js';
import { connectionOf, positive, queueName, type RedisConnection } from './options.js';
import { type GreVerdict, verdictOf } from './verdict.js';

/** What a job carries between its steps (send, then polls). Never a token or a key: signing happens in the worker. */
export interface GreJobData {
  /** `RUC-TT-SERIE-NUMERO`, also the job id. */
  documentId: string;
  /** A typed guide, until a worker signs it into `document`. */
  guide?: Guide;
  /** The signed document, exactly as sent (and resent). */
  document?: StoredDocument;
  /** Sends started so far. */
  sends: number;
  /** Set before a send, cleared after its answer: a job found with it set was interrupted mid-send. */
  sending?: boolean;
  /** A send may have reached SUNAT without its answer: a 99/1033 to a later send means "stored by that one". */
  maybeStored?: boolean;
  /** The ticket, recorded before anything else happens after the send. */
  sent?: {
    /** SUNAT's ticket (numTicket). */
    ticket: string;
    /** The zip's file name as sent. */
    fileName: string;
    /** SHA-256 of the zip sent, lowercase hex. */
    hash: string;
    /** When SUNAT answered the send, ISO 8601. */
    receivedAt: string;
  };
  /** Polls made so far. */
  polls: number;
  /** Epoch milliseconds when polling began; `pollTimeoutMs` counts from it. */
  pollingSince?: number;
  /** Wait before the next poll, in milliseconds (doubles up to `maxPollIntervalMs`). */
  pollDelayMs?: number;
}

/** Options of {@link createGreWorker}; a bad one throws GreQueueValidationError. */
export interface GreWorkerOptions {
  /** Where the queue lives in Redis. */
  connection: RedisConnection;
  /** A sunat-gre-client; give it an oauth-sunat auth on `oauth-sunat/redis` so every worker shares one token. */
  client: GreClient;
  /** How typed guides are signed (the key stays in the worker process; Redis only ever sees signed XML). */
  signing?: SigningOptions;
  /** The BullMQ queue name, the same as the queue's; default `sunat-gre`. */
  name?: string;
  /** BullMQ key prefix, the same as the queue's; default `bull`. */
  prefix?: string;
  /** Jobs this worker runs at once; default 8. A job holds a slot only while it sends or polls, never while SUNAT works. */
  concurrency?: number;
  /** Steps (sends and polls) per `durationMs` across all workers of the queue; default 20 per 1000 ms. */
  rateLimit?: {
    /** Steps allowed per window. */
    max: number;
    /** Window length in milliseconds. */
    durationMs: number;
  };
  /** First wait before a poll, doubling up to `maxPollIntervalMs`; defaults 1000 and 60 000. */
  pollIntervalMs?: number;
  /** Longest wait between polls, in milliseconds; default 60 000. */
  maxPollIntervalMs?: number;
  /** A ticket still pending after this long fails the job (the ticket is in its data); default 2 h. */
  pollTimeoutMs?: number;
  /** Wait before resending after an ambiguous send; default 2000. At most `maxSends` sends per document (default 5). */
  resendDelayMs?: number;
  /** Most sends of one document (first send included); default 5. */
  maxSends?: number;
  /** BullMQ's job lock: a worker that dies frees its jobs after this (checked every `lockDurationMs`); default 30 000. */
  lockDurationMs?: number;
  /** Recoveries from a dead worker before a job fails; default 100 (every step may safely be repeated). */
  maxStalledCount?: number;
  /** Called with each verdict before the job completes; at least once per job (again if the worker dies in between). */
  onVerdict?(verdict: GreVerdict): void | Promise<void>;
  /** BullMQ worker errors (Redis connection lost, …); default: ignored, the worker reconnects by itself. */
  onError?(error: Error): void;
}

/** The consumer side of the queue, made by {@link createGreWorker}. */
export interface GreWorker {
  /** The underlying BullMQ Worker. */
  readonly worker: Worker<GreJobData, GreVerdict>;
  /** Resolves when the worker is connected and takes jobs. */
  ready(): Promise<void>;
  /** Graceful: takes no new job, lets the running steps finish (each is one HTTP call), then disconnects. */
  close(): Promise<void>;
}

/** The consumer side: validate, send, record the ticket, poll with delayed jobs, store and announce the verdict. */
export function createGreWorker(options: GreWorkerOptions): GreWorker {
  const { client, signing, onVerdict } = options;
  if (typeof client?.send !== 'function' || typeof client?.getStatus !== 'function')
    throw new GreQueueValidationError('client', 'must be a sunat-gre-client GreClient (send, getStatus)');
  const pollIntervalMs = positive(options.pollIntervalMs, 'pollIntervalMs', 1000);
  const maxPollIntervalMs = Math.max(pollIntervalMs, positive(options.maxPollIntervalMs, 'maxPollIntervalMs', 60_000));
  const pollTimeoutMs = positive(options.pollTimeoutMs, 'pollTimeoutMs', 2 * 3_600_000);
  const resendDelayMs = positive(options.resendDelayMs, 'resendDelayMs', 2000);
  const maxSends = positive(options.maxSends, 'maxSends', 5);
  const lockDurationMs = positive(options.lockDurationMs, 'lockDurationMs', 30_000, 1000);
  const rate = options.rateLimit ?? { max: 20, durationMs: 1000 };
  const limiter = { max: positive(rate.max, 'rateLimit.max', 20), duration: positive(rate.durationMs, 'rateLimit.durationMs', 1000) };

  async function step(job: Job<GreJobData, GreVerdict>, token?: string): Promise<GreVerdict> {
    let d = job.data;
    const save = async (patch: Partial<GreJobData>): Promise<void> => {
      d = { ...d, ...patch };
      await job.updateData(d);
    };
    const later = async (delayMs: number): Promise<never> => {
      await job.moveToDelayed(Date.now() + delayMs, token);
      throw new DelayedError();
    };

    if (!d.sent) {
      if (!d.document) {
        if (!d.guide) throw new GreJobPermanentError(d.documentId, 'the job has neither a guide nor a document');
        if (!signing) throw new GreJobPermanentError(d.documentId, 'a typed guide needs the worker option `signing`');
        const g = d.guide;
        const xml = permanent(() =>
          signXml(buildDespatchAdvice(g), signing, { algorithm: signing.algorithm, signatureId: signing.signatureId ?? g.signatureId }),
        );
        await save({
          document: storedDocument({ ruc: g.issuer.ruc, type: g.type, series: g.series, number: Number(g.number), xml }),
          guide: undefined,
        });
      }
      // found mid-send: the worker before us died (or lost Redis) after it may have reached SUNAT
      if (d.sending) d = { ...d, maybeStored: true };
      if (d.sends >= maxSends)
        throw new GreJobPermanentError(
          d.documentId,
          `${d.sends} sends without an answer; look the guide up in SOL before sending it again`,
        );
      await save({ sending: true, sends: d.sends + 1 });
      let sent;
      try {
        sent = await client.send(sendInputOf(d.document!));
      } catch (error) {
        if (GreAmbiguousSendError.isInstance(error)) {
          // as sunat-gre-client advises: never a blind resend; the resend's 1033 will tell that the first was stored
          await save({ sending: false, maybeStored: true });
          return later(resendDelayMs * d.sends);
        }
        // the client is sure it did not reach SUNAT
        await save({ sending: false });
        throw retryOrNot(error);
      }
      await save({
        sending: false,
        sent: { ticket: sent.ticket, fileName: sent.fileName, hash: sent.hash, receivedAt: sent.receivedAt.toISOString() },
        pollingSince: Date.now(),
        pollDelayMs: pollIntervalMs,
      });
      return later(pollIntervalMs);
    }

    let status;
    try {
      status = await client.getStatus(d.sent.ticket);
    } catch (error) {
      throw retryOrNot(error);
    }
    if (status.state === 'pending') {
      if (Date.now() - (d.pollingSince ?? 0) > pollTimeoutMs)
        throw new GreJobPermanentError(
          d.documentId,
          `ticket ${d.sent.ticket} still pending after ${pollTimeoutMs} ms; the document is at SUNAT: ask getStatus(ticket) later, do not resend`,
        );
      const delay = d.pollDelayMs ?? pollIntervalMs;
      await save({ polls: d.polls + 1, pollDelayMs: Math.min(delay * 2, maxPollIntervalMs) });
      return later(delay * (0.8 + Math.random() * 0.4));
    }
    const verdict = verdictOf(d.documentId, status, d.sent, { maybeStored: d.maybeStored === true, sends: d.sends, polls: d.polls + 1 });
    if (onVerdict) {
      try {
        await onVerdict(verdict);
      } catch (error) {
        options.onError?.(error as Error);
      }
    }
    return verdict;
  }

  const prefix = options.prefix;
  const worker = new Worker<GreJobData, GreVerdict>(queueName(options.name), step, {
    connection: connectionOf(options.connection),
    ...(prefix ? { prefix } : {}),
    concurrency: positive(options.concurrency, 'concurrency', 8),
    limiter,
    lockDuration: lockDurationMs,
    stalledInterval: lockDurationMs,
    maxStalledCount: positive(options.maxStalledCount, 'maxStalledCount', 100),
  });
  worker.on('error', (error) => options.onError?.(error));

  return {
    worker,
    ready: () => worker.waitUntilReady().then(() => undefined),
    close: () => worker.close(),
  };
}

/** Failures that repeating cannot fix fail the job at once; the rest are retried with backoff (the job's attempts). */
function retryOrNot(error: unknown): unknown {
  if (GreError.isInstance(error) && (error.code === 'VALIDATION' || (SunatApiError.isInstance(error) && !error.retryable)))
    return new GreJobPermanentError(undefined, (error as Error).message, { cause: error });
  const auth = error as { name?: unknown; kind?: unknown; status?: unknown };
  if (
    auth?.name === 'SunatAuthError' &&
    (auth.kind === 'validation' || (auth.kind === 'http' && typeof auth.status === 'number' && auth.status < 500 && auth.status !== 429))
  )
    return new GreJobPermanentError(undefined, (error as Error).message, { cause: error });
  return error;
}

function permanent<T>(make: () => T): T {
  try {
    return make();
  } catch (error) {
    throw retryOrNot(error);
  }
}
