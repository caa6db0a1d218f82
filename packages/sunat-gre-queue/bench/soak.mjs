// Soak (pnpm bench --soak): 5,000 guides through 4 worker processes, the sandbox failing 5 % of all requests (every
// fault kind), a ready worker killed with SIGKILL every 1/12 of the verdicts and replaced, Redis restarted twice
// (at 1/3 and 2/3). Checks: every job completed (0 failed, 0 lost), each document accepted by SUNAT exactly once,
// one token for all workers; prints the figures. Run by run.mjs --soak, which checks that it exits on its own.
import { fork } from 'node:child_process';
import { numberArg } from '../../../scripts/bench-kit.mjs';
import { ownRedis } from '../../../scripts/bench-redis.mjs';
import { guides } from '../../../scripts/gre-bench/documents.mjs';
import { faultMix, forkSandbox } from '../../../scripts/gre-bench/sandbox.mjs';
import { DONE_MARKER } from '../../../scripts/soak-supervisor.mjs';
import { createGreQueue } from '../dist/index.js';

const N = numberArg('docs', 5000);
const WORKERS = 4;
const KILLS = 11;
const CLIENT = { clientId: 'soak-client', clientSecret: 'soak-secret', ruc: '20100070970', solUser: 'MODDATOS', solPassword: 'moddatos' };

let unhandled = 0;
process.on('unhandledRejection', () => unhandled++);
const started = performance.now();
const redis = await ownRedis();
const sandbox = await forkSandbox(import.meta.resolve('sunat-gre-sandbox'), { client: CLIENT, faults: faultMix(0.05), seed: 14 });
const queueName = 'gre-soak';
const queue = createGreQueue({ connection: redis.url, name: queueName, retryDelayMs: 50, attempts: 20 });
const env = JSON.stringify({
  redisUrl: redis.url,
  queueName,
  ca: sandbox.ca,
  authUrl: sandbox.authUrl,
  cpeUrl: sandbox.cpeUrl,
  credentials: CLIENT,
  concurrency: 8,
  pollMs: 50,
  lockDurationMs: 4000,
  connections: 32,
  retryMaxMs: 500,
  rateLimitMax: 100_000,
});
const ready = new Set();
const all = new Set();
const start = () =>
  new Promise((resolve) => {
    const c = fork(new URL('../test/worker-child.mjs', import.meta.url), { env: { ...process.env, GRE_WORKER_CONFIG: env } });
    all.add(c);
    c.once('message', () => {
      ready.add(c);
      resolve(c);
    });
    c.once('exit', () => {
      ready.delete(c);
      all.delete(c);
    });
  });
await Promise.all(Array.from({ length: WORKERS }, start));

const docs = guides(CLIENT.ruc, 'T500', N);
for (let i = 0; i < N; i += 500) await Promise.all(docs.slice(i, i + 500).map((d) => queue.enqueue(d)));

let kills = 0;
let restarts = 0;
const replacements = [];
const killEvery = Math.floor(N / (KILLS + 1));
let counts;
for (;;) {
  counts = await queue.queue.getJobCounts('completed', 'failed');
  if (counts.failed > 0 || counts.completed === N) break;
  if (kills < KILLS && counts.completed >= (kills + 1) * killEvery && ready.size > 1) {
    const victim = [...ready][kills % ready.size];
    ready.delete(victim);
    victim.kill('SIGKILL');
    kills++;
    replacements.push(start());
  }
  if (restarts < 2 && counts.completed >= ((restarts + 1) * N) / 3) {
    await redis.restart();
    restarts++;
  }
  await new Promise((r) => setTimeout(r, 200));
}
await Promise.all(replacements);

const failed = (await queue.queue.getFailed()).map((j) => `${j.id}: ${j.failedReason}`);
let resent = 0;
let byEarlier = 0;
let accepted = 0;
for (const d of docs) {
  const v = await queue.verdictOf(`${d.ruc}-09-${d.series}-${d.number}`);
  if (v?.state === 'accepted') accepted++;
  if (v?.sends > 1) resent++;
  if (v?.storedByEarlierSend) byEarlier++;
}
const audit = await sandbox.ask('audit');
const stats = await sandbox.ask('stats');
const lines = [
  `verdicts: ${accepted} / ${N} accepted; failed jobs ${failed.length}${failed.length ? ` (first: ${failed[0]})` : ''}`,
  `chaos: ${kills} workers killed with SIGKILL, Redis restarted ${restarts} times, ${stats.faults} faults injected`,
  `resent after an ambiguous or interrupted send: ${resent} (${byEarlier} confirmed stored by the earlier send via 1033)`,
  `SUNAT: ${audit.acceptedOnce} documents accepted once, ${audit.acceptedTwice} twice, ${audit.other} with another answer`,
  `token requests: ${stats.tokenRequests}; unhandled rejections: ${unhandled}; wall time ${((performance.now() - started) / 1000).toFixed(0)} s`,
];
for (const l of lines) console.log(l);
const ok = accepted === N && failed.length === 0 && audit.acceptedOnce === N && audit.acceptedTwice === 0 && unhandled === 0;
console.log(ok ? 'soak: PASS' : 'soak: FAIL');
if (!ok) process.exitCode = 1;

await Promise.all(
  [...all].map(
    (c) =>
      new Promise((resolve) => {
        c.once('exit', resolve);
        c.send({ type: 'stop' });
      }),
  ),
);
await queue.close();
await sandbox.close();
await redis.stop();
console.log(DONE_MARKER);
