// One of the processes of chaos.test.ts: calls getToken in a loop on a shared Redis store and reports each
// new access token. With `dieHoldingAt` N (or after a `die-next` message), it announces and then hangs inside its
// Nth (next) refresh, after Sber answered and before the pair is saved, holding the lock: the parent kills it there
// with SIGKILL. Also forked by bench/token-chain-soak.mjs.
import { Redis } from 'ioredis';
import { createSberAuth } from '../../dist/index.js';
import { redisSberTokenStore } from '../../dist/redis.js';

const env = JSON.parse(process.env.CHAOS_CONFIG);
const redis = new Redis(env.redisUrl);
const shared = redisSberTokenStore(redis, { key: env.key, lockTtlMs: env.lockTtlMs });
let refreshes = 0;
let dieNext = false;
const store = {
  load: () => shared.load(),
  save: (t) => shared.save(t),
  rotate: (rotation) =>
    shared.rotate(async (stored) => {
      const next = await rotation(stored);
      if (next && (dieNext || (env.dieHoldingAt && ++refreshes >= env.dieHoldingAt))) {
        process.send({ type: 'holding' });
        await new Promise(() => {}); // never saves, never releases: only SIGKILL ends this
      }
      return next;
    }),
};
const auth = createSberAuth({
  environment: { baseUrl: env.baseUrl },
  clientId: env.clientId,
  clientSecret: env.clientSecret,
  tls: { pfx: Buffer.from(env.pfx, 'base64'), passphrase: env.passphrase },
  ca: env.ca,
  store,
  refreshBeforeExpirySeconds: env.refreshBeforeExpirySeconds,
  retryDelay: { baseMs: 20, maxMs: 200 },
});

let running = true;
process.on('message', (m) => {
  if (m.type === 'stop') running = false;
  else if (m.type === 'die-next') dieNext = true;
  else if (m.type === 'live') dieNext = false;
});
process.send({ type: 'ready' });
let last;
let calls = 0;
while (running) {
  const token = await auth.getToken();
  calls++;
  if (token !== last) process.send({ type: 'token', token });
  last = token;
  await new Promise((r) => setTimeout(r, 10));
}
await auth.close();
await redis.quit();
process.send({ type: 'done', calls });
process.disconnect();
