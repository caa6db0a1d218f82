import { randomBytes } from 'node:crypto';
import { redisUrlOrSkip } from '@internal/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tryRedisLock } from '../src/index.js';

const url = redisUrlOrSkip('@internal/redis-kit lock tests');

describe.skipIf(!url)('tryRedisLock', () => {
  let redis: Redis;
  const prefix = `redis-kit-test:${randomBytes(6).toString('hex')}:`;
  beforeAll(() => {
    redis = new Redis(url!);
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('one holder at a time; release frees the key for the next', async () => {
    const key = `${prefix}one`;
    const first = await tryRedisLock(redis, key, 10_000);
    expect(first).toBeDefined();
    expect(await tryRedisLock(redis, key, 10_000)).toBeUndefined();
    await first!.release();
    expect(await redis.exists(key)).toBe(0);
    const second = await tryRedisLock(redis, key, 10_000);
    expect(second).toBeDefined();
    await second!.release();
  });

  it('release leaves a lock another owner took over alone', async () => {
    const key = `${prefix}taken-over`;
    const mine = await tryRedisLock(redis, key, 10_000);
    // As if ours had expired and another process had taken the key.
    await redis.set(key, 'someone-else');
    await mine!.release();
    expect(await redis.get(key)).toBe('someone-else');
  });

  it('a living holder keeps extending its lock', async () => {
    const key = `${prefix}extended`;
    const lock = await tryRedisLock(redis, key, 300);
    // Shorten the TTL by hand; the next extension (every ttl/3) must lift it back to the full ttl. Waits for the
    // event, with no deadline but the test's watchdog.
    await redis.pexpire(key, 50_000);
    while ((await redis.pttl(key)) > 300) await new Promise((r) => setTimeout(r, 20));
    expect(await redis.get(key)).not.toBeNull();
    await lock!.release();
  });
});
