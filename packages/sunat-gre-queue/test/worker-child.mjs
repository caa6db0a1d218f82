// One worker process of the chaos test (test/chaos.test.ts) and of the bench and soak (bench/): a GRE worker whose
// client shares one SUNAT token with the other processes through oauth-sunat/redis. Its settings come as JSON in
// GRE_WORKER_CONFIG. Reports `ready` once it takes jobs; `stop` closes it gracefully (the chaos test and the soak
// also kill it with SIGKILL at any moment).
import { Redis } from 'ioredis';
import { createSunatAuth } from 'oauth-sunat';
import { redisTokenStore } from 'oauth-sunat/redis';
import { createGreClient } from 'sunat-gre-client';
import { Agent } from 'undici';
import { createGreWorker } from '../dist/index.js';

const env = JSON.parse(process.env.GRE_WORKER_CONFIG);
const pollMs = env.pollMs ?? 50;
const redis = new Redis(env.redisUrl);
redis.on('error', () => undefined); // Redis restarts during the chaos runs: ioredis reconnects by itself
const agent = new Agent({ connect: { ca: env.ca }, connections: env.connections ?? 16 });
const auth = createSunatAuth({
  ...env.credentials,
  baseUrl: env.authUrl,
  dispatcher: agent,
  maxRetries: 5,
  store: redisTokenStore(redis, { lockTtlMs: 5000 }),
});
const client = createGreClient({
  auth,
  baseUrl: env.cpeUrl,
  dispatcher: agent,
  retryBaseMs: 20,
  retryMaxMs: env.retryMaxMs ?? 200,
  maxRetries: 5,
});
const worker = createGreWorker({
  connection: env.redisUrl,
  name: env.queueName,
  client,
  concurrency: env.concurrency ?? 8,
  rateLimit: { max: env.rateLimitMax ?? 10_000, durationMs: 1000 },
  pollIntervalMs: pollMs,
  maxPollIntervalMs: pollMs * 4,
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
