import { type RedisLock, tryRedisLock } from '@internal/redis-kit';
import type { Redis } from 'ioredis';
import { SberAuthError, SberValidationError } from './errors.js';
import { checkTokens, type SberRotation, type SberTokenStore, type SberTokens } from './store.js';

/** Options of {@link redisSberTokenStore}; `key` is required. */
export interface RedisSberTokenStoreOptions {
  /** The Redis hash holding this client's (and user's) tokens, e.g. `sber:7710000001`. One key per token chain. */
  key: string;
  /** How long the refresh lock outlives a holder that died (it is extended while the holder lives); default 10 000. */
  lockTtlMs?: number;
  /** How long a process waits for another's refresh before giving up with STORE_FAILED; default 60 000. */
  lockWaitMs?: number;
  /** With replicas: `WAIT` for this many to acknowledge a new pair before the lock is released; default 0. */
  waitReplicas?: number;
}

/** Saves only when the generation is still the one read under the lock: a refresher that lost its lock cannot overwrite. */
const COMPARE_AND_SET = `if (redis.call('hget', KEYS[1], 'gen') or '0') ~= ARGV[1] then return 0 end
redis.call('hset', KEYS[1], 'tokens', ARGV[2], 'gen', tostring(tonumber(ARGV[1]) + 1))
return 1`;
/** An unconditional save (a code exchange): a new chain, a new generation. */
const SAVE = `redis.call('hincrby', KEYS[1], 'gen', 1)
redis.call('hset', KEYS[1], 'tokens', ARGV[1])
return 1`;

const FIRST_WAIT_MS = 20;
const LONGEST_WAIT_MS = 250;

/**
 * SberBusiness ID tokens on Redis, shared by every process that uses the same key. `rotate` runs the refresh
 * under a lock (`SET NX PX`, extended while its holder lives, compare-and-delete release) and saves the new
 * pair with a compare-and-set on a generation number, before the lock is released. Pass your ioredis client;
 * this store never closes it.
 */
export function redisSberTokenStore(redis: Redis, options: RedisSberTokenStoreOptions): SberTokenStore {
  if (typeof redis?.eval !== 'function' || typeof redis?.hmget !== 'function')
    throw new SberValidationError('redis', 'must be an ioredis client');
  if (typeof options !== 'object' || options === null) throw new SberValidationError('options', 'must be an object with key');
  const key = options.key;
  if (typeof key !== 'string' || key.length === 0)
    throw new SberValidationError('key', 'must be a non-empty string (one Redis key per token chain)');
  const lockTtlMs = integer(options.lockTtlMs, 'lockTtlMs', 10_000, 100);
  const lockWaitMs = integer(options.lockWaitMs, 'lockWaitMs', 60_000, 1);
  const waitReplicas = integer(options.waitReplicas, 'waitReplicas', 0, 0);

  async function read(): Promise<{ gen: string; tokens: SberTokens | undefined }> {
    const [gen, raw] = await redis.hmget(key, 'gen', 'tokens');
    if (raw === null || raw === undefined) return { gen: gen ?? '0', tokens: undefined };
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      throw new SberValidationError('redis tokens', `must be JSON written by redisSberTokenStore (key ${key})`);
    }
    return { gen: gen ?? '0', tokens: checkTokens(json, 'redis tokens') };
  }

  async function replicated(): Promise<void> {
    if (waitReplicas === 0) return;
    const acked = Number(await redis.call('WAIT', String(waitReplicas), String(lockWaitMs)));
    if (acked < waitReplicas)
      throw new SberAuthError(
        'STORE_FAILED',
        `The new tokens reached Redis but only ${acked} of ${waitReplicas} replicas acknowledged them within ${lockWaitMs} ms; they were not used`,
      );
  }

  async function lock(): Promise<RedisLock> {
    const deadline = Date.now() + lockWaitMs;
    for (let wait = FIRST_WAIT_MS; ; wait = Math.min(wait * 2, LONGEST_WAIT_MS)) {
      const held = await tryRedisLock(redis, `${key}:lock`, lockTtlMs);
      if (held) return held;
      const left = deadline - Date.now();
      if (left <= 0)
        throw new SberAuthError('STORE_FAILED', `Another process held the token refresh lock of ${key} for more than ${lockWaitMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, Math.min(wait, left)));
    }
  }

  const store: SberTokenStore = {
    async load() {
      return (await read()).tokens;
    },
    async save(tokens) {
      await redis.eval(SAVE, 1, key, JSON.stringify(checkTokens(tokens)));
      await replicated();
    },
    async rotate(rotation: SberRotation) {
      const held = await lock();
      try {
        const { gen, tokens } = await read();
        const next = await rotation(tokens);
        if (next === undefined) return tokens;
        const saved = await redis.eval(COMPARE_AND_SET, 1, key, gen, JSON.stringify(checkTokens(next)));
        // lost the lock while refreshing (paused longer than lockTtlMs) and another process saved: theirs wins
        if (Number(saved) !== 1) return (await read()).tokens;
        await replicated();
        return next;
      } finally {
        // a release that fails leaves the lock to its expiry: the others wait a little longer, nothing breaks
        await held.release().catch(() => undefined);
      }
    },
  };
  Object.defineProperty(store, Symbol.for('nodejs.util.inspect.custom'), { value: () => `SberTokenStore(redis ${key})` });
  return store;
}

function integer(v: unknown, field: string, dflt: number, min: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new SberValidationError(field, `must be an integer ≥ ${min}`);
  return v;
}
