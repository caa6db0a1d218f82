// One worker process of the bench and the soak. Reports `ready` once it takes jobs; `stop` closes it gracefully.
import { Redis } from 'ioredis';
import { createSunatAuth } from 'oauth-sunat';
import { redisTokenStore } from 'oauth-sunat/redis';
import { createGreClient } from 'sunat-gre-client';
import { Agent } from 'undici';
import { createGreWorker } from '../dist/index.js';

const env = JSON.parse(process.env.BENCH_WORKER);
const redis = new Redis(env.redisUrl);
redis.on('error', () => undefined);
const agent = new Agent({ connect: { ca: env.ca }, connections: 32 });
const auth = createSunatAuth({
  ...env.credentials,
  baseUrl: env.authUrl,
  dispatcher: agent,
  maxRetries: 5,
  store: redisTokenStore(redis, { lockTtlMs: 5000 }),
});
const client = createGreClient({ auth, baseUrl: env.cpeUrl, dispatcher: agent, retryBaseMs: 20, retryMaxMs: 500, maxRetries: 5 });
const worker = createGreWorker({
  connection: env.redisUrl,
  name: env.queueName,
  client,
  concurrency: env.concurrency,
  rateLimit: { max: 100_000, durationMs: 1000 },
  pollIntervalMs: env.pollMs,
  maxPollIntervalMs: env.pollMs * 4,
  resendDelayMs: 50,
  lockDurationMs: env.lockDurationMs ?? 30_000,
});
await worker.ready();
process.send({ type: 'ready' });
process.on('message', async (m) => {
  if (m.type !== 'stop') return;
  await worker.close();
  await auth.close();
  await agent.close();
  redis.disconnect();
  process.disconnect();
});
