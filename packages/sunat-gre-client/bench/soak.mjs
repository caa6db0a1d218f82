// Soak: 20,000 submissions through the sandbox with 5 % random faults (503, 500, reset, reset after store, gateway
// HTML, slow), at concurrency 32. Checks that every document reaches its verdict, that SUNAT stores each exactly
// once (an ambiguous send is resent and a 99/1033 read as "the first copy was stored"), that the heap after the
// run is within 10 % of the heap after the first 1,000, and that no rejection goes unhandled. Run by run.mjs
// --soak in a child process with --expose-gc, which then checks that this process exits on its own.
import { createSunatAuth } from 'oauth-sunat';
import { Agent } from 'undici';
import { numberArg, quantile, report } from '../../../scripts/bench-kit.mjs';
import { guide } from '../../../scripts/gre-bench/documents.mjs';
import { faultMix, forkSandbox } from '../../../scripts/gre-bench/sandbox.mjs';
import { DONE_MARKER } from '../../../scripts/soak-supervisor.mjs';
import { createGreClient, GreAmbiguousSendError } from '../dist/index.js';

let unhandled = 0;
process.on('unhandledRejection', () => unhandled++);

const N = numberArg('docs', 20_000);
const CONCURRENCY = 32;
const BLOCK = 1000;
const FAULT_RATE = 0.05;
const CLIENT = { clientId: 'soak-client', clientSecret: 'soak-secret', ruc: '20000000001', solUser: 'MODDATOS', solPassword: 'moddatos' };
const sandbox = await forkSandbox(import.meta.resolve('sunat-gre-sandbox'), { client: CLIENT, faults: faultMix(FAULT_RATE), seed: 20 });
const agent = new Agent({ connect: { ca: sandbox.ca }, connections: CONCURRENCY });
const auth = createSunatAuth({ ...CLIENT, baseUrl: sandbox.authUrl, dispatcher: agent, maxRetries: 5 });
const client = createGreClient({
  auth,
  baseUrl: sandbox.cpeUrl,
  dispatcher: agent,
  pollIntervalMs: 10,
  maxPollIntervalMs: 100,
  retryBaseMs: 20,
  retryMaxMs: 500,
  maxRetries: 5,
});

// Fixed-size records, allocated before the first heap reading: 0 not reached, 1 accepted, 2 accepted after a
// resend, 3 stored by an ambiguous send and confirmed by the resend's 1033.
const outcome = new Uint8Array(N);
const latencies = new Float64Array(N);
const counts = { ambiguous: 0, failures: 0 };
let firstFailure;
const SERIES = 'T900';
const doc = (i) => guide(CLIENT.ruc, SERIES, i + 1);

/** Submits one guide; an ambiguous send is sent again, and a 1033 after one means the first copy was stored. */
async function deliver(i) {
  const started = performance.now();
  for (let attempt = 1; ; attempt++) {
    try {
      const r = await client.submit(doc(i));
      if (r.state === 'accepted' && r.cdr?.responseCode === '0') outcome[i] = attempt === 1 ? 1 : 2;
      else if (attempt > 1 && r.state === 'rejected' && r.error?.code === '1033') outcome[i] = 3;
      else throw new Error(`unexpected verdict ${r.code} ${r.error?.code ?? ''} on attempt ${attempt}`);
      latencies[i] = performance.now() - started;
      return;
    } catch (error) {
      if (GreAmbiguousSendError.isInstance(error) && attempt < 6) {
        counts.ambiguous++;
        continue;
      }
      counts.failures++;
      firstFailure ??= `${error?.name}: ${error?.message}`;
      return;
    }
  }
}

async function pool(from, to) {
  let next = from;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < to) await deliver(next++);
    }),
  );
}

const mib = (b) => (b / 2 ** 20).toFixed(1);
const start = performance.now();
let heapFirst = 0;
let peakRss = 0;
const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 100);
for (let from = 0; from < N; from += BLOCK) {
  await pool(from, Math.min(N, from + BLOCK));
  if (from === 0) {
    globalThis.gc();
    heapFirst = process.memoryUsage().heapUsed;
  }
}
const wallMs = performance.now() - start;
clearInterval(rssTimer);
globalThis.gc();
const heapEnd = process.memoryUsage().heapUsed;
const stats = await sandbox.ask('stats');
const audit = await sandbox.ask('audit');
await agent.close();
await auth.close();
await sandbox.close();

const by = (k) => outcome.reduce((n, o) => n + (o === k ? 1 : 0), 0);
const reached = N - by(0);
const heapRatio = heapEnd / heapFirst;
const checks = {
  'every document reached its verdict': reached === N && counts.failures === 0,
  'each document accepted exactly once at SUNAT': audit.documents === N && audit.acceptedOnce === N && audit.acceptedTwice === 0,
  'every extra copy was refused as 1033': audit.extraCopiesAll1033 && audit.receivedMore === by(3),
  'heap within 10 %': heapRatio <= 1.1,
  'no unhandled rejection': unhandled === 0,
  'one token request': stats.tokenRequests === 1,
};
report(
  'sunat-gre-client-soak',
  [{ name: `soak: ${N} submissions @${CONCURRENCY}, ${FAULT_RATE * 100} % random faults, wall`, value: wallMs, unit: 'ms' }],
  {
    'verdicts reached': `${reached} / ${N} (accepted at once ${by(1)}, after a resend ${by(2)}, stored by an ambiguous send and confirmed by 1033 ${by(3)}; failures ${counts.failures}${firstFailure ? `: ${firstFailure}` : ''})`,
    'faults injected by the sandbox': `${stats.faults} (${((100 * stats.faults) / (stats.sends + stats.polls + stats.tokenRequests + stats.faults)).toFixed(1)} % of about ${stats.sends + stats.polls + stats.tokenRequests + stats.faults} requests); ambiguous sends resent: ${counts.ambiguous}`,
    'stats.received': `${audit.receivedOnce} documents received once, ${audit.receivedMore} twice or more (each extra copy answered 1033: ${audit.extraCopiesAll1033 ? 'yes' : 'NO'})`,
    'stored (accepted) per document': `exactly once ${audit.acceptedOnce}, twice ${audit.acceptedTwice}, never ${audit.acceptedNever} → duplicates ${audit.acceptedTwice}`,
    'sandbox totals': `tickets ${stats.sends}, polls ${stats.polls}, token requests ${stats.tokenRequests}`,
    'latency per document p50 / p99 ms': `${quantile(latencies, 0.5).toFixed(1)} / ${quantile(latencies, 0.99).toFixed(1)}`,
    'heap after first 1,000 → end (MiB)': `${mib(heapFirst)} → ${mib(heapEnd)} (ratio ${heapRatio.toFixed(3)})`,
    'peak RSS MiB': mib(peakRss),
    'unhandled rejections': String(unhandled),
    checks: Object.entries(checks)
      .map(([k, ok]) => `${k}: ${ok ? 'ok' : 'FAILED'}`)
      .join('; '),
  },
);
if (!Object.values(checks).every(Boolean)) {
  console.error('SOAK FAILED');
  process.exitCode = 1;
}
console.log(`active resources at the end: ${process.getActiveResourcesInfo().join(', ') || 'none'}`);
console.log(DONE_MARKER);
