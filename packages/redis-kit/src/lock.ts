import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

/** Deletes the lock only while it still holds our value: an expired lock taken over by another stays theirs. */
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0";
/** Extends the lock only while it is still ours. */
const EXTEND = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0";

export interface RedisLock {
  release(): Promise<void>;
}

/**
 * `SET key <random> NX PX ttl`: held while this process lives (extended every third of `ttlMs`), released by a
 * compare-and-delete. A holder that dies stops extending it, so the lock frees itself within `ttlMs`.
 */
export async function tryRedisLock(redis: Redis, key: string, ttlMs: number): Promise<RedisLock | undefined> {
  const owner = randomBytes(16).toString('hex');
  if ((await redis.set(key, owner, 'PX', ttlMs, 'NX')) !== 'OK') return undefined;
  const timer = setInterval(
    () => {
      redis.eval(EXTEND, 1, key, owner, String(ttlMs)).catch(() => undefined);
    },
    Math.max(1, Math.floor(ttlMs / 3)),
  );
  timer.unref();
  return {
    async release() {
      clearInterval(timer);
      await redis.eval(RELEASE, 1, key, owner);
    },
  };
}
