// One worker process of chaos.test.ts: a GRE worker whose client shares one SUNAT token through oauth-sunat/redis.
// Reports `ready` once it takes jobs; the parent kills it with SIGKILL at any moment.
import { Redis } from 'ioredis';
import { createSunatAuth } from 'oauth-sunat';
import { redisTokenStore } from 'oauth-sunat/redis';
import { createGreClient } from 'sunat-gre-client';
import { Agent } from 'undici';
import { createGreWorker } from '../../dist/index.js';

const env = JSON.parse(process.env.CHAOS_CONFIG);
const redis = new Redis(env.redisUrl);
redis.on('error', () => undefined); // Redis restarts during the run: ioredis reconnects by itself
const agent = new Agent({ connect: { ca: env.ca }, connections: 16 });
const auth = createSunatAuth({
  ...env.credentials,
  baseUrl: env.authUrl,
  dispatcher: agent,
  maxRetries: 5,
  store: redisTokenStore(redis, { lockTtlMs: 5000 }),
});
const client = createGreClient({ auth, baseUrl: env.cpeUrl, dispatcher: agent, retryBaseMs: 20, retryMaxMs: 200, maxRetries: 5 });
const worker = createGreWorker({
  connection: env.redisUrl,
  name: env.queueName,
  client,
  concurrency: 8,
  rateLimit: { max: 10_000, durationMs: 1000 },
  pollIntervalMs: 50,
  maxPollIntervalMs: 200,
  resendDelayMs: 50,
  lockDurationMs: 4000,
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
