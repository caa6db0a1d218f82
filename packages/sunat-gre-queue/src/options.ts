import type { RedisOptions as BullRedisOptions } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { GreQueueValidationError } from './errors.js';

/** A Redis URL, ioredis options, or your ioredis client (then you close it). */
export type RedisConnection = string | RedisOptions | Redis;

/** The queue name used when `name` is not given, by queues and workers alike. */
export const DEFAULT_QUEUE_NAME = 'sunat-gre';

/** Keep finished jobs: the completed ones (with their verdict) and the failed ones. */
export interface Retention {
  /** Seconds a completed job (and its verdict) is kept; default 7 days. */
  completedSeconds?: number;
  /** At most this many completed jobs; default 100 000. */
  completedCount?: number;
  /** Seconds a failed job is kept; default 30 days. */
  failedSeconds?: number;
}

export function retentionOf(r: Retention | undefined) {
  const completedSeconds = positive(r?.completedSeconds, 'retention.completedSeconds', 7 * 86_400);
  const completedCount = positive(r?.completedCount, 'retention.completedCount', 100_000);
  const failedSeconds = positive(r?.failedSeconds, 'retention.failedSeconds', 30 * 86_400);
  return { removeOnComplete: { age: completedSeconds, count: completedCount }, removeOnFail: { age: failedSeconds } };
}

/**
 * The connection options BullMQ opens its own connections with (it closes them on close()). From a client, only
 * its options are taken: a queue and a worker need several connections, one of them blocking.
 */
export function connectionOf(connection: RedisConnection | undefined): BullRedisOptions {
  let base: RedisOptions;
  if (connection instanceof Redis) base = connection.options;
  else if (typeof connection === 'string' && connection !== '') {
    const parsed = new Redis(connection, { lazyConnect: true });
    base = parsed.options;
    parsed.disconnect();
  } else if (typeof connection === 'object' && connection !== null) base = connection as RedisOptions;
  else throw new GreQueueValidationError('connection', 'must be a Redis URL, ioredis options or an ioredis client');
  // commands wait while Redis restarts instead of failing the step
  return { ...base, lazyConnect: false, maxRetriesPerRequest: null } as BullRedisOptions;
}

export function positive(v: unknown, field: string, dflt: number, min = 1): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new GreQueueValidationError(field, `must be an integer ≥ ${min}`);
  return v;
}

export function queueName(v: unknown): string {
  if (v === undefined) return DEFAULT_QUEUE_NAME;
  if (typeof v !== 'string' || !/^[A-Za-z0-9_.-]{1,100}$/.test(v))
    throw new GreQueueValidationError('name', 'must be 1–100 letters, digits, _ . -');
  return v;
}
