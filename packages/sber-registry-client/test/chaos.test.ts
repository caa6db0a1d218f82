import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { redisUrlOrSkip } from '@internal/testkit';
import { Redis } from 'ioredis';
import type { SberSandbox } from 'sber-api-sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSberAuth, type SberTokens } from '../src/index.js';
import { redisSberTokenStore } from '../src/redis.js';
import { DEFAULT_CLIENT, login, startSberSandbox } from './sandbox-helpers.js';

const url = redisUrlOrSkip('sber-registry-client chaos test (8 processes on one refresh chain)');
const PROCESSES = 8;
const EXPIRIES = 6;
const TTL_SECONDS = 3;

describe.skipIf(!url)('chaos: 8 processes, one refresh-token chain, one of them killed while holding the lock', () => {
  let sandbox: SberSandbox;
  let redis: Redis;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    sandbox = await startSberSandbox({ accessTokenTtlSeconds: TTL_SECONDS });
    redis = new Redis(url!);
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await redis.quit();
    await sandbox.close();
  });

  it('exactly one refresh per expiry, the dead holder covered by the reserve, no rotated token refused, the chain intact', async () => {
    const key = `test:sber-chaos:${randomBytes(6).toString('hex')}`;
    const store = redisSberTokenStore(redis, { key });
    const tls = { pfx: sandbox.clientTls.pfx, passphrase: sandbox.clientTls.passphrase };
    const auth = createSberAuth({
      environment: { baseUrl: sandbox.url },
      loginBaseUrl: sandbox.loginUrl,
      clientId: DEFAULT_CLIENT.clientId,
      clientSecret: DEFAULT_CLIENT.clientSecret,
      tls,
      ca: sandbox.ca,
      store,
      refreshBeforeExpirySeconds: 1,
    });
    await auth.exchangeCode(await login(sandbox, auth), DEFAULT_CLIENT.redirectUri);
    const genStart = Number(await redis.hget(key, 'gen'));
    const before = { refreshes: sandbox.stats.refreshes, reserve: sandbox.stats.reserveRefreshes, refused: sandbox.stats.refusedRefreshes };

    const config = (extra: object) =>
      JSON.stringify({
        redisUrl: url,
        key,
        lockTtlMs: 3000,
        baseUrl: sandbox.url,
        clientId: DEFAULT_CLIENT.clientId,
        clientSecret: DEFAULT_CLIENT.clientSecret,
        pfx: Buffer.from(tls.pfx).toString('base64'),
        passphrase: tls.passphrase,
        ca: sandbox.ca,
        refreshBeforeExpirySeconds: 1,
        ...extra,
      });
    const seen = new Set<string>();
    let killed = false;
    let enough!: () => void;
    const reachedExpiries = new Promise<void>((resolve) => (enough = resolve));
    const done: Promise<number>[] = [];
    const ready: Promise<void>[] = [];
    for (let i = 0; i < PROCESSES; i++) {
      // process 0 renews 2 s before expiry, the others 1 s: it takes the lock first, refreshes twice, and is killed
      // holding it in its third refresh (after Sber answered, before the save)
      const victim = i === 0;
      const child = fork(new URL('./chaos/token-child.mjs', import.meta.url), {
        env: { ...process.env, CHAOS_CONFIG: config(victim ? { dieHoldingAt: 3, refreshBeforeExpirySeconds: 2 } : {}) },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      children.push(child);
      ready.push(new Promise((resolve) => child.once('message', () => resolve())));
      done.push(
        new Promise((resolve, reject) => {
          child.on('message', (m: { type: string; token?: string; calls?: number }) => {
            if (m.type === 'token') {
              seen.add(m.token!);
              if (seen.size >= EXPIRIES + 1 && killed) enough();
            } else if (m.type === 'holding') {
              child.kill('SIGKILL');
              killed = true;
            } else if (m.type === 'done') resolve(m.calls!);
          });
          child.on('exit', (code, signal) =>
            victim && signal === 'SIGKILL'
              ? resolve(-1)
              : code === 0
                ? undefined
                : reject(new Error(`child ${i} exited ${code ?? signal}`)),
          );
        }),
      );
    }
    await Promise.all(ready);
    await reachedExpiries;
    for (const c of children.slice(1)) c.send({ type: 'stop' });
    const calls = await Promise.all(done);
    expect(killed).toBe(true);

    const after = {
      refreshes: sandbox.stats.refreshes - before.refreshes,
      reserve: sandbox.stats.reserveRefreshes - before.reserve,
      refused: sandbox.stats.refusedRefreshes - before.refused,
    };
    const generations = Number(await redis.hget(key, 'gen')) - genStart;
    console.log(
      `sber chaos: ${generations} stored rotations, ${after.refreshes} refreshes at Sber (${after.reserve} with the reserve), ${after.refused} refused; ${calls.filter((c) => c > 0).reduce((a, b) => a + b, 0)} getToken calls`,
    );
    // every refresh became the next stored generation, except the one the killed holder never saved
    expect(after.refreshes).toBe(generations + 1);
    expect(after.reserve).toBe(1);
    expect(after.refused).toBe(0);
    expect(generations).toBeGreaterThanOrEqual(EXPIRIES);
    // the chain is intact: the stored refresh token is the newest and still rotates
    const stored = JSON.parse((await redis.hget(key, 'tokens'))!) as SberTokens;
    expect(await auth.getToken()).toBe(stored.accessToken);
    auth.invalidate(stored.accessToken);
    const next = await auth.getToken();
    expect(next).not.toBe(stored.accessToken);
    expect(sandbox.stats.refusedRefreshes - before.refused).toBe(0);
    expect(sandbox.stats.reserveRefreshes - before.reserve).toBe(1);
    await auth.close();
  }, 600_000);
});
