// Soak of sber-registry-client/redis (run by `run.mjs --soak` after the registries soak): 8 processes share one
// refresh-token chain through a redis-server of the soak's own, through 200 expiries of a 2-second access token;
// every 25 expiries the next lock holder is killed with SIGKILL after Sber rotated and before it saved, and
// replaced. Passes when every refresh but the killed ones became the next stored generation, each kill was
// covered by exactly one use of the reserve, and no refresh was refused.
import { fork } from 'node:child_process';
import { Redis } from 'ioredis';
import { DEFAULT_CLIENT, startSberSandbox } from 'sber-api-sandbox';
import { ownRedis } from '../../../scripts/bench-redis.mjs';
import { DONE_MARKER } from '../../../scripts/soak-supervisor.mjs';
import { createSberAuth } from '../dist/index.js';
import { redisSberTokenStore } from '../dist/redis.js';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? dflt : Number(process.argv[i + 1]);
};
const EXPIRIES = arg('expiries', 200);
const KILL_EVERY = 25;
const PROCESSES = 8;
const started = performance.now();
const server = await ownRedis();
const redis = new Redis(server.url);
const sandbox = await startSberSandbox({ accessTokenTtlSeconds: 2 });
const key = 'soak:sber-chain';
const tls = { pfx: sandbox.clientTls.pfx, passphrase: sandbox.clientTls.passphrase };
const auth = createSberAuth({
  environment: { baseUrl: sandbox.url },
  clientId: DEFAULT_CLIENT.clientId,
  clientSecret: DEFAULT_CLIENT.clientSecret,
  tls,
  ca: sandbox.ca,
  store: redisSberTokenStore(redis, { key }),
  refreshBeforeExpirySeconds: 1,
});
await auth.exchangeCode(
  await sandbox.authorize({ clientId: DEFAULT_CLIENT.clientId, scope: 'openid DEBT_REGISTRY', redirectUri: DEFAULT_CLIENT.redirectUri }),
  DEFAULT_CLIENT.redirectUri,
);
const genStart = Number(await redis.hget(key, 'gen'));
const config = JSON.stringify({
  redisUrl: server.url,
  key,
  lockTtlMs: 1000,
  baseUrl: sandbox.url,
  clientId: DEFAULT_CLIENT.clientId,
  clientSecret: DEFAULT_CLIENT.clientSecret,
  pfx: Buffer.from(tls.pfx).toString('base64'),
  passphrase: tls.passphrase,
  ca: sandbox.ca,
  refreshBeforeExpirySeconds: 1,
});

const seen = new Set();
const live = new Set();
let kills = 0;
let nextKillAt = KILL_EVERY;
let finish;
const finished = new Promise((resolve) => (finish = resolve));
const start = () =>
  new Promise((resolve) => {
    const child = fork(new URL('../test/chaos/token-child.mjs', import.meta.url), { env: { ...process.env, CHAOS_CONFIG: config } });
    child.on('message', (m) => {
      if (m.type === 'ready') {
        live.add(child);
        resolve(child);
      } else if (m.type === 'token') {
        seen.add(m.token);
        // No kill armed at the last expiry: the soak stops there, so no process would need the reserve after it.
        if (seen.size > nextKillAt && nextKillAt < EXPIRIES) {
          nextKillAt += KILL_EVERY;
          for (const c of live) c.send({ type: 'die-next' });
        }
        if (seen.size > EXPIRIES) finish();
      } else if (m.type === 'holding') {
        live.delete(child);
        child.kill('SIGKILL');
        kills++;
        for (const c of live) c.send({ type: 'live' });
        void start();
      }
    });
    child.once('exit', () => live.delete(child));
  });
await Promise.all(Array.from({ length: PROCESSES }, start));
await finished;
await Promise.all(
  [...live].map(
    (c) =>
      new Promise((resolve) => {
        c.once('exit', resolve);
        c.send({ type: 'stop' });
      }),
  ),
);

const generations = Number(await redis.hget(key, 'gen')) - genStart;
const { refreshes, reserveRefreshes, refusedRefreshes } = sandbox.stats;
console.log(
  `sber chain: ${generations} stored rotations (${seen.size} access tokens seen by the processes), ${refreshes} refreshes at Sber`,
);
console.log(
  `kills while holding the lock: ${kills}; reserve uses ${reserveRefreshes}; refused ${refusedRefreshes}; wall time ${((performance.now() - started) / 1000).toFixed(0)} s`,
);
const ok = refreshes === generations + kills && reserveRefreshes === kills && refusedRefreshes === 0 && generations >= EXPIRIES;
console.log(ok ? 'token chain soak: PASS' : 'token chain soak: FAIL');
if (!ok) process.exitCode = 1;
await auth.close();
await redis.quit();
await sandbox.close();
await server.stop();
console.log(DONE_MARKER);
