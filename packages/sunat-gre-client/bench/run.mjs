// sunat-gre-client benchmark: `submit` (validate, zip, hash, send, poll with backoff, read the CDR) against a
// baseline that makes the same HTTP calls with bare undici (token once, zip + hash, send, poll until final), both
// against the sandbox over HTTPS loopback (sandbox in a child process); then the GRE build + sign bench.
// Usage: node bench/run.mjs [--docs N] [--concurrency N] [--pairs N] [--poll-ms N] | --soak (see soak.mjs)
import { createHash } from 'node:crypto';
import os from 'node:os';
import v8 from 'node:v8';
import vm from 'node:vm';
import { strToU8, zipSync } from 'fflate';
import { createSunatAuth } from 'oauth-sunat';
import { Agent, request } from 'undici';
import { numberArg, quantile, report, withPeakRss } from '../../../scripts/bench-kit.mjs';
import { guides } from '../../../scripts/gre-bench/documents.mjs';
import { forkSandbox } from '../../../scripts/gre-bench/sandbox.mjs';
import { supervise } from '../../../scripts/soak-supervisor.mjs';
import { createGreClient } from '../dist/index.js';
import { runGreBench } from './gre.mjs';

if (process.argv.includes('--soak')) {
  // The soak runs in a child with --expose-gc; the parent checks that it exits on its own.
  const { ok } = await supervise(
    new URL('./soak.mjs', import.meta.url),
    process.argv.slice(2).filter((a) => a !== '--soak'),
  );
  if (!ok) process.exitCode = 1;
} else await bench();

async function bench() {
  const DOCS = numberArg('docs', 1000);
  const CONCURRENCY = numberArg('concurrency', 32);
  const POLL_MS = numberArg('poll-ms', 2);
  const PAIRS = numberArg('pairs', 9);
  const CLIENT = {
    clientId: 'bench-client',
    clientSecret: 'bench-secret',
    ruc: '20000000001',
    solUser: 'MODDATOS',
    solPassword: 'moddatos',
  };

  // A full collection before each timed run, so that no run pays for the garbage of the one before it.
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc');

  const sandbox = await forkSandbox(import.meta.resolve('sunat-gre-sandbox'), { client: CLIENT });
  const stats = () => sandbox.ask('stats');
  const agent = new Agent({ connect: { ca: sandbox.ca }, connections: 64 });

  let seriesNo = 0;
  /** A batch of documents on a series of its own, so that no run meets another's numbers (1033). */
  function batch(n) {
    return guides(CLIENT.ruc, `T${String(++seriesNo).padStart(3, '0')}`, n);
  }

  async function pool(items, fn) {
    const latencies = [];
    let i = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (i < items.length) {
          const item = items[i++];
          const t = performance.now();
          await fn(item);
          latencies.push(performance.now() - t);
        }
      }),
    );
    return latencies;
  }

  async function candidate(docs) {
    const auth = createSunatAuth({ ...CLIENT, baseUrl: sandbox.authUrl, dispatcher: agent });
    const client = createGreClient({
      auth,
      baseUrl: sandbox.cpeUrl,
      dispatcher: agent,
      pollIntervalMs: POLL_MS,
      maxPollIntervalMs: POLL_MS,
    });
    return pool(docs, async (doc) => {
      const r = await client.submit(doc);
      if (r.state !== 'accepted' || !r.cdr) throw new Error(`unexpected ${r.code}`);
    });
  }

  async function baseline(docs) {
    const form = new URLSearchParams({
      grant_type: 'password',
      scope: 'https://api-cpe.sunat.gob.pe',
      client_id: CLIENT.clientId,
      client_secret: CLIENT.clientSecret,
      username: CLIENT.ruc + CLIENT.solUser,
      password: CLIENT.solPassword,
    });
    const t = await request(`${sandbox.authUrl}/clientessol/${CLIENT.clientId}/oauth2/token/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      dispatcher: agent,
    });
    const token = (await t.body.json()).access_token;
    const headers = { authorization: `Bearer ${token}`, accept: 'application/json' };
    return pool(docs, async (doc) => {
      const base = `${doc.ruc}-${doc.type}-${doc.series}-${doc.number}`;
      const zip = zipSync({ [`${base}.xml`]: strToU8(doc.xml) });
      const body = JSON.stringify({
        archivo: {
          nomArchivo: `${base}.zip`,
          arcGreZip: Buffer.from(zip).toString('base64'),
          hashZip: createHash('sha256').update(zip).digest('hex'),
        },
      });
      const s = await request(`${sandbox.cpeUrl}/contribuyente/gem/comprobantes/${base}`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body,
        dispatcher: agent,
      });
      const { numTicket } = await s.body.json();
      for (;;) {
        const p = await request(`${sandbox.cpeUrl}/contribuyente/gem/comprobantes/envios/${numTicket}`, { headers, dispatcher: agent });
        const st = await p.body.json();
        if (st.codRespuesta === '0') return;
        if (st.codRespuesta !== '98') throw new Error(`unexpected ${st.codRespuesta}`);
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    });
  }

  async function measure(fn) {
    const before = await stats();
    const docs = batch(DOCS);
    gc();
    const start = performance.now();
    const cpu = process.cpuUsage();
    const [latencies, peakRss] = await withPeakRss(() => fn(docs));
    const wallMs = performance.now() - start;
    const used = process.cpuUsage(cpu);
    const after = await stats();
    return {
      wallMs,
      cpuMs: (used.user + used.system) / 1000,
      latencies,
      peakRss,
      tokens: after.tokenRequests - before.tokenRequests,
      sends: after.sends - before.sends,
      polls: after.polls - before.polls,
      duplicates: after.duplicates,
    };
  }

  // warm-up: TLS sessions, JIT
  await baseline(batch(200));
  await candidate(batch(200));

  // Pairs of runs, the order alternating (BC, CB, ...) so that a drift in the machine's load or in the sandbox's
  // state favours neither side; each pair gives one ratio, and the median pair is the result.
  const pairs = [];
  for (let r = 0; r < PAIRS; r++) {
    const pair = {};
    for (const side of r % 2 === 0 ? ['baseline', 'candidate'] : ['candidate', 'baseline'])
      pair[side] = await measure(side === 'baseline' ? baseline : candidate);
    pair.ratio = pair.candidate.wallMs / pair.baseline.wallMs;
    pairs.push(pair);
  }
  await agent.close();
  await sandbox.close();

  const byRatio = [...pairs].sort((a, b) => a.ratio - b.ratio);
  const mid = byRatio[Math.floor(byRatio.length / 2)];
  const all = (side, key) => pairs.map((p) => p[side][key]);
  const lat = (side) => pairs.flatMap((p) => p[side].latencies);
  const median = (xs) => quantile(xs, 0.5);
  const fmt = (x) => x.toFixed(1);
  const cl = lat('candidate');
  const bl = lat('baseline');
  const tokens = all('candidate', 'tokens');

  report(
    'sunat-gre-client',
    [
      {
        name: `submit ×${DOCS} @${CONCURRENCY} wall time (median of ${PAIRS} pairs)`,
        value: mid.candidate.wallMs,
        unit: 'ms',
        baseline: mid.baseline.wallMs,
        baselineName: 'bare undici',
        higherIsBetter: false,
        goal: 1 / 1.1,
      },
      {
        name: `submit p50 latency (all ${PAIRS * DOCS} calls)`,
        value: quantile(cl, 0.5),
        unit: 'ms',
        baseline: quantile(bl, 0.5),
        baselineName: 'bare undici',
        higherIsBetter: false,
      },
      {
        name: `submit p99 latency (all ${PAIRS * DOCS} calls)`,
        value: quantile(cl, 0.99),
        unit: 'ms',
        baseline: quantile(bl, 0.99),
        baselineName: 'bare undici',
        higherIsBetter: false,
      },
      {
        name: 'client process CPU time per run (median)',
        value: median(all('candidate', 'cpuMs')),
        unit: 'ms',
        baseline: median(all('baseline', 'cpuMs')),
        baselineName: 'bare undici',
        higherIsBetter: false,
      },
      {
        name: 'throughput (median pair)',
        value: (DOCS * 1000) / mid.candidate.wallMs,
        unit: 'docs/s',
        baseline: (DOCS * 1000) / mid.baseline.wallMs,
        baselineName: 'bare undici',
        goal: 1 / 1.1,
      },
    ],
    {
      'overhead (candidate/baseline wall time, median pair)': `${mid.ratio.toFixed(3)}x (goal ≤ 1.10x; pairs ${byRatio.map((p) => p.ratio.toFixed(2)).join(' ')})`,
      'overhead, best run of each side': `${(Math.min(...all('candidate', 'wallMs')) / Math.min(...all('baseline', 'wallMs'))).toFixed(3)}x`,
      'token requests per candidate run': tokens.join(', '),
      'requests per candidate run': `${mid.candidate.sends} sends, ${mid.candidate.polls} polls (baseline ${mid.baseline.sends}/${mid.baseline.polls})`,
      'documents stored twice': pairs.at(-1).candidate.duplicates,
      'peak RSS MiB (candidate / baseline)': `${fmt(Math.max(...all('candidate', 'peakRss')))} / ${fmt(Math.max(...all('baseline', 'peakRss')))}`,
      'wall times ms (candidate)': all('candidate', 'wallMs').map(fmt).join(', '),
      'wall times ms (baseline)': all('baseline', 'wallMs').map(fmt).join(', '),
      'machine load average (1 min) at the end': os.loadavg()[0].toFixed(2),
      'poll interval ms': POLL_MS,
    },
  );
  if (tokens.some((n) => n !== 1)) {
    console.error(`!! expected exactly one token request per candidate run, saw ${tokens.join(', ')}`);
    process.exitCode = 1;
  }

  await runGreBench();
}
