// One worker process of `demo --workers N` (forked by workers-mode.ts). Its configuration comes in WORKER_CONFIG
// (URLs, the sandbox's CA and credentials: never printed); it reports `ready`, then each `verdict` it decides, and
// closes gracefully (no new jobs, running steps finish) on SIGTERM or a `stop` message, then exits on its own.
import { Redis } from 'ioredis';
import { createSunatAuth } from 'oauth-sunat';
import { redisTokenStore } from 'oauth-sunat/redis';
import { createGreClient } from 'sunat-gre-client';
import { createGreWorker } from 'sunat-gre-queue';
import { Agent } from 'undici';

export interface WorkerConfig {
  redisUrl: string;
  queueName: string;
  ca?: string;
  authUrl: string;
  cpeUrl: string;
  credentials: { clientId: string; clientSecret: string; ruc: string; solUser: string; solPassword: string };
  pollIntervalMs: number;
}

/** What a worker tells the demo. */
export type WorkerMessage = { type: 'ready' } | { type: 'verdict'; documentId: string };

const config = JSON.parse(process.env.WORKER_CONFIG ?? '{}') as WorkerConfig;
const send = (m: WorkerMessage) => process.send?.(m);
const redis = new Redis(config.redisUrl);
redis.on('error', () => undefined); // it reconnects by itself; the worker's onError sees the same outage
const agent = new Agent({ connect: { ca: config.ca } });
// One SUNAT token for every worker process: the first asks, the others read it from Redis.
const auth = createSunatAuth({ ...config.credentials, baseUrl: config.authUrl, dispatcher: agent, store: redisTokenStore(redis) });
const client = createGreClient({ auth, baseUrl: config.cpeUrl, dispatcher: agent });
const worker = createGreWorker({
  connection: config.redisUrl,
  name: config.queueName,
  client,
  concurrency: 2,
  pollIntervalMs: config.pollIntervalMs,
  maxPollIntervalMs: config.pollIntervalMs * 8,
  onVerdict: (v) => {
    send({ type: 'verdict', documentId: v.documentId });
  },
});

let closing: Promise<void> | undefined;
const close = () =>
  (closing ??= (async () => {
    await worker.close();
    await auth.close();
    await agent.close();
    redis.disconnect();
    process.disconnect?.();
  })());
process.once('SIGTERM', () => void close());
process.on('message', (m: { type?: string }) => {
  if (m.type === 'stop') void close();
});

await worker.ready();
send({ type: 'ready' });
