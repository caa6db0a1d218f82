// sunat-gre-queue benchmark: guides per second through the queue with 1, 2 and 4 worker processes (8 jobs each),
// against the baseline of calling sunat-gre-client's `submit` directly at the same total concurrency, in the same
// run, against the sandbox (its own process) over HTTPS loopback and a redis-server of the bench's own.
// Usage: node bench/run.mjs [--docs N] [--poll-ms N] | --soak [--docs N] [--expiries N] (see soak.mjs)
import { fork } from 'node:child_process';
import { createSunatAuth } from 'oauth-sunat';
import { createGreClient } from 'sunat-gre-client';
import { Agent } from 'undici';
import { numberArg, report } from '../../../scripts/bench-kit.mjs';
import { ownRedis } from '../../../scripts/bench-redis.mjs';
import { guides } from '../../../scripts/gre-bench/documents.mjs';
import { forkSandbox } from '../../../scripts/gre-bench/sandbox.mjs';
import { supervise } from '../../../scripts/soak-supervisor.mjs';
import { createGreQueue } from '../dist/index.js';

if (process.argv.includes('--soak')) {
  const { ok } = await supervise(
    new URL('./soak.mjs', import.meta.url),
    process.argv.slice(2).filter((a) => a !== '--soak'),
    { maxMs: 1_800_000 },
  );
  if (!ok) process.exitCode = 1;
} else await bench();

async function bench() {
  const DOCS = numberArg('docs', 600);
  const POLL_MS = numberArg('poll-ms', 20);
  const PER_WORKER = 8;
  const CLIENT = {
    clientId: 'bench-client',
    clientSecret: 'bench-secret',
    ruc: '20100070970',
    solUser: 'MODDATOS',
    solPassword: 'moddatos',
  };

  const redis = await ownRedis();
  const sandbox = await forkSandbox(import.meta.resolve('sunat-gre-sandbox'), { client: CLIENT });
  const agent = new Agent({ connect: { ca: sandbox.ca }, connections: 64 });
  const auth = createSunatAuth({ ...CLIENT, baseUrl: sandbox.authUrl, dispatcher: agent });
  const client = createGreClient({
    auth,
    baseUrl: sandbox.cpeUrl,
    dispatcher: agent,
    pollIntervalMs: POLL_MS,
    maxPollIntervalMs: POLL_MS * 4,
  });
  let batchNo = 0;
  const batch = () => guides(CLIENT.ruc, `T${String(++batchNo).padStart(3, '0')}`, DOCS);

  /** Direct: `concurrency` submits in flight at a time. Returns guides per second. */
  async function direct(concurrency) {
    const docs = batch();
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < docs.length) {
          const r = await client.submit(docs[next++]);
          if (r.state !== 'accepted') throw new Error(`unexpected verdict ${r.code}`);
        }
      }),
    );
    return (DOCS * 1000) / (performance.now() - started);
  }

  /** Through the queue with `workers` processes, timed from the first enqueue (workers ready) to the last verdict. */
  async function queued(workers) {
    const queueName = `bench-${batchNo + 1}`;
    const queue = createGreQueue({ connection: redis.url, name: queueName });
    const env = JSON.stringify({
      redisUrl: redis.url,
      queueName,
      ca: sandbox.ca,
      authUrl: sandbox.authUrl,
      cpeUrl: sandbox.cpeUrl,
      credentials: CLIENT,
      concurrency: PER_WORKER,
      pollMs: POLL_MS,
      connections: 32,
      retryMaxMs: 500,
      rateLimitMax: 100_000,
    });
    const children = await Promise.all(
      Array.from(
        { length: workers },
        () =>
          new Promise((resolve) => {
            const c = fork(new URL('../test/worker-child.mjs', import.meta.url), { env: { ...process.env, GRE_WORKER_CONFIG: env } });
            c.once('message', () => resolve(c));
          }),
      ),
    );
    await queue.events.waitUntilReady();
    const docs = batch();
    let verdicts = 0;
    const all = new Promise((resolve) =>
      queue.onVerdict((v) => {
        if (v.state !== 'accepted') throw new Error(`unexpected verdict ${v.code}`);
        if (++verdicts === DOCS) resolve();
      }),
    );
    const started = performance.now();
    await Promise.all(docs.map((d) => queue.enqueue(d)));
    await all;
    const rate = (DOCS * 1000) / (performance.now() - started);
    await Promise.all(
      children.map(
        (c) =>
          new Promise((resolve) => {
            c.once('exit', resolve);
            c.send({ type: 'stop' });
          }),
      ),
    );
    await queue.close();
    return rate;
  }

  const rows = [];
  const notes = {};
  for (const workers of [1, 2, 4]) {
    const concurrency = workers * PER_WORKER;
    const base = await direct(concurrency);
    const rate = await queued(workers);
    rows.push({
      name: `queue, ${workers} worker process${workers > 1 ? 'es' : ''} × ${PER_WORKER}`,
      value: rate,
      unit: 'guides/s',
      baseline: base,
      baselineName: `direct submit ×${concurrency}`,
    });
    notes[`queue ${workers}w vs queue 1w`] = rate / rows[0].value;
  }
  const stats = await sandbox.ask('stats');
  notes.tokenRequests = stats.tokenRequests;
  notes.docsPerRun = DOCS;
  notes.note =
    'sandbox, workers and bench share one 2-core machine: the queue pays Redis round trips (enqueue, lock, updateData, moveToDelayed, complete) per step';
  report('sunat-gre-queue', rows, notes);
  await sandbox.close();
  await agent.close();
  await auth.close();
  await redis.stop();
}
