import { tryRedisLock } from '@internal/redis-kit';
import type { Redis } from 'ioredis';
import { SunatAuthValidationError } from './errors.js';
import type { StoredToken, TokenStore } from './store.js';

/** Options of {@link redisTokenStore}; a bad one throws {@link SunatAuthValidationError}. */
export interface RedisTokenStoreOptions {
  /** Put in front of every key (e.g. per tenant); default ''. */
  prefix?: string;
  /** How long a lock outlives a holder that died (it is extended while the holder lives); default 10 000. */
  lockTtlMs?: number;
}

/**
 * A TokenStore on Redis that every process with the same credentials shares: one token for all of them, kept with
 * its expiry (`PX`), and a lock so that only one process asks SUNAT for the next token (`SET NX PX`, released by
 * a compare-and-delete). Pass your ioredis client; this store never closes it.
 */
export function redisTokenStore(redis: Redis, options: RedisTokenStoreOptions = {}): TokenStore {
  if (typeof redis?.eval !== 'function' || typeof redis?.set !== 'function')
    throw new SunatAuthValidationError('redis', 'must be an ioredis client');
  const prefix = options.prefix ?? '';
  if (typeof prefix !== 'string') throw new SunatAuthValidationError('prefix', 'must be a string');
  const lockTtlMs = options.lockTtlMs ?? 10_000;
  if (!Number.isInteger(lockTtlMs) || lockTtlMs < 100)
    throw new SunatAuthValidationError('lockTtlMs', 'must be an integer ≥ 100 (milliseconds)');
  const store: TokenStore = {
    async get(key) {
      const raw = await redis.get(prefix + key);
      if (raw === null) return undefined;
      const t = parse(raw);
      return t && t.expiresAt > Date.now() ? t : undefined;
    },
    async set(key, value) {
      const ttl = Math.floor(value.expiresAt - Date.now());
      if (ttl <= 0) {
        await redis.del(prefix + key);
        return;
      }
      const stored: StoredToken = { token: value.token, expiresAt: value.expiresAt, issuedAt: value.issuedAt ?? Date.now() };
      await redis.set(prefix + key, JSON.stringify(stored), 'PX', ttl);
    },
    async delete(key) {
      await redis.del(prefix + key);
    },
    tryLock(key) {
      return tryRedisLock(redis, `${prefix}${key}:lock`, lockTtlMs);
    },
  };
  // the client's options (host, password) stay out of logs
  Object.defineProperty(store, Symbol.for('nodejs.util.inspect.custom'), { value: () => `TokenStore(redis${prefix ? ` ${prefix}` : ''})` });
  return store;
}

/** A value this store wrote; anything else reads as no token (SUNAT is asked again). */
function parse(raw: string): StoredToken | undefined {
  try {
    const v = JSON.parse(raw) as Partial<StoredToken>;
    if (typeof v?.token !== 'string' || typeof v.expiresAt !== 'number') return undefined;
    return { token: v.token, expiresAt: v.expiresAt, ...(typeof v.issuedAt === 'number' ? { issuedAt: v.issuedAt } : {}) };
  } catch {
    return undefined;
  }
}
