// 1,000 debt registries (digest → raw GOST signature → JWS → create → poll to IMPLEMENTED) at concurrency 16
// against the sandbox (own process, mutual TLS), compared with bare undici sending the same pre-signed bodies.
// `--soak` (started by run.mjs --soak with --expose-gc): 5,000 registries with 5 % random faults; checks no
// duplicate, every result reached, heap stable, no unhandled rejection, and ends with soak-supervisor.mjs's marker.
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createCertificate, generateKeyPair } from 'gost2012';
import { gostSigner, signCompact } from 'jws-base64url';
import { DEFAULT_CLIENT } from 'sber-api-sandbox';
import { buildDebtRegistryDigest, rawGostSigner, signDigest } from 'sber-digest';
import { Agent, request } from 'undici';
import { quantile, report, withPeakRss } from '../../../scripts/bench-kit.mjs';
import { DONE_MARKER } from '../../../scripts/soak-supervisor.mjs';
import { createSberAgent, createSberAuth, createSberClient, memorySberTokenStore, SBER_TERMINAL_STATUSES } from '../dist/index.js';

const soak = process.argv.includes('--soak');
let unhandled = 0;
if (soak) process.on('unhandledRejection', () => unhandled++);
const N = Number(process.env.BENCH_N ?? (soak ? 5000 : 1000));
const C = 16;
const SCOPE = 'openid DEBT_REGISTRY FILES GET_CRYPTO_INFO';

const { privateKey, publicKey } = generateKeyPair('cryptopro-a');
const certificate = createCertificate({ publicKey, signingKey: privateKey, subject: { commonName: 'Bench signer' } });
const certUuid = randomUUID();

function startSandbox(extra = {}) {
  const child = fork(new URL('./sandbox-process.mjs', import.meta.url), [
    JSON.stringify({ requireJws: true, certificates: [{ uuid: certUuid, certificate: certificate.pem }], ...extra }),
  ]);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('message', (m) => {
      const ask = (type) =>
        new Promise((res) => {
          child.once('message', res);
          child.send({ type });
        });
      resolve({
        ...m,
        pfx: Buffer.from(m.pfx, 'base64'),
        stats: () => ask('stats'),
        close: () => {
          child.send({ type: 'close' });
          return new Promise((r) => child.once('exit', r));
        },
      });
    });
  });
}

async function login(sb, auth) {
  const url = auth.authorizationUrl({ scope: SCOPE, state: 's', nonce: 'n', redirectUri: DEFAULT_CLIENT.redirectUri });
  const browser = new Agent({ connect: { ca: sb.ca } });
  const res = await request(url, { dispatcher: browser });
  await res.body.dump();
  await browser.close();
  await auth.exchangeCode(new URL(res.headers.location).searchParams.get('code'), DEFAULT_CLIENT.redirectUri);
}

async function connect(sb, clientExtra = {}, hooks = undefined) {
  const agent = createSberAgent({ tls: { pfx: sb.pfx, passphrase: sb.passphrase }, ca: sb.ca, connections: C });
  const auth = createSberAuth({
    environment: { baseUrl: sb.url },
    loginBaseUrl: sb.loginUrl,
    clientId: DEFAULT_CLIENT.clientId,
    clientSecret: DEFAULT_CLIENT.clientSecret,
    dispatcher: agent,
    store: memorySberTokenStore(),
    hooks,
  });
  await login(sb, auth);
  const client = createSberClient({
    environment: { baseUrl: sb.url },
    auth,
    dispatcher: agent,
    pollDelay: { initialMs: 0, maxMs: 0 },
    hooks,
    ...clientExtra,
  });
  return { agent, auth, client };
}

let seq = 0;
const makeRegistries = (n) =>
  Array.from({ length: n }, () => ({
    externalId: randomUUID(),
    date: '2024-02-20',
    recordNum: String(++seq),
    number: String(seq),
    orgName: 'ООО Ромашка',
    orgTaxNumber: '7707083893',
  }));

async function pool(items, fn) {
  let next = 0;
  const latencies = [];
  const start = performance.now();
  await Promise.all(
    Array.from({ length: C }, async () => {
      while (next < items.length) {
        const item = items[next++];
        const t = performance.now();
        await fn(item);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { wallMs: performance.now() - start, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99), latencies };
}

// Signing: the real signers, wrapped to record what they produced so the HTTP runs can replay it.
const digestSigner = rawGostSigner({ privateKey, certificateUuid: certUuid });
const transportSigner = gostSigner({ privateKey });
const recordedDigest = new Map();
const recordedJws = new Map();
async function signAll(registries) {
  const bodies = [];
  let digestMs = 0;
  let jwsMs = 0;
  for (const r of registries) {
    let t = performance.now();
    const digest = buildDebtRegistryDigest(r);
    const sig = await signDigest(digest, digestSigner);
    recordedDigest.set(digest, Buffer.from(sig.base64Encoded, 'base64'));
    digestMs += performance.now() - t;
    t = performance.now();
    const jws = await signCompact(JSON.stringify({ ...r, digestSignatures: [sig] }), {
      protectedHeader: { alg: transportSigner.alg, kid: certUuid },
      signer: {
        alg: transportSigner.alg,
        sign: async (input) => {
          const s = await transportSigner.sign(input);
          recordedJws.set(Buffer.from(input).toString('latin1'), s);
          return s;
        },
      },
    });
    jwsMs += performance.now() - t;
    bodies.push(jws);
  }
  return { bodies, digestMs, jwsMs };
}
const replayDigest = { certificateUuid: certUuid, sign: async (bytes) => recordedDigest.get(Buffer.from(bytes).toString('utf8')) };
const replayTransport = { alg: 'gost34.10-2012', sign: async (input) => recordedJws.get(Buffer.from(input).toString('latin1')) };

/** Bare undici: POST the pre-signed JWS, then GET the state until IMPLEMENTED. No validation, retries or typing. */
async function baselineRun(sb, registries, bodies) {
  const { agent, auth } = await connect(sb);
  const token = await auth.getToken();
  const byId = new Map(registries.map((r, i) => [r.externalId, bodies[i]]));
  const result = await pool(registries, async (r) => {
    const res = await request(`${sb.url}/fintech/api/v1/debt-registries`, {
      method: 'POST',
      dispatcher: agent,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/jose', accept: 'application/json' },
      body: byId.get(r.externalId),
    });
    await res.body.text();
    if (res.statusCode !== 201) throw new Error(`baseline create ${res.statusCode}`);
    for (;;) {
      const st = await request(`${sb.url}/fintech/api/v1/debt-registries/${r.externalId}/state`, {
        dispatcher: agent,
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      });
      const s = JSON.parse(await st.body.text());
      if (s.bankStatus === 'IMPLEMENTED') break;
    }
  });
  await agent.close();
  return result;
}

async function clientRun(sb, registries, signers) {
  const { agent, client } = await connect(sb, { transportSignature: { signer: signers.transport, kid: certUuid } });
  const result = await pool(registries, async (r) => {
    await client.debtRegistries.create(r, { digestSigner: signers.digest });
    const final = await client.debtRegistries.waitForFinalState(r.externalId, { timeoutMs: 120_000 });
    if (final.bankStatus !== 'IMPLEMENTED') throw new Error(`client final ${final.bankStatus}`);
  });
  await agent.close();
  return result;
}

if (!soak) {
  // One warm sandbox process for every phase. Baseline and client run in alternating blocks of BLOCK
  // registries, so that load from elsewhere on the machine falls on both alike; times are summed per path.
  const BLOCK = 100;
  const sb = await startSandbox();
  {
    const warm = makeRegistries(200);
    const { bodies } = await signAll(warm);
    await baselineRun(sb, warm.slice(0, 100), bodies.slice(0, 100));
    await clientRun(sb, warm.slice(100), { digest: replayDigest, transport: replayTransport });
  }
  const forBase = makeRegistries(N);
  const forClient = makeRegistries(N);
  const signStart = performance.now();
  const signed = await signAll(forBase);
  const signMs = performance.now() - signStart;
  const { digestMs, jwsMs } = signed;
  await signAll(forClient);
  const base = { wallMs: 0, lat: [] };
  const cand = { wallMs: 0, lat: [] };
  let baseRss = 0;
  let candRss = 0;
  for (let from = 0; from < N; from += BLOCK) {
    const [b, bRss] = await withPeakRss(() => baselineRun(sb, forBase.slice(from, from + BLOCK), signed.bodies.slice(from, from + BLOCK)));
    const [c, cRss] = await withPeakRss(() =>
      clientRun(sb, forClient.slice(from, from + BLOCK), { digest: replayDigest, transport: replayTransport }),
    );
    base.wallMs += b.wallMs;
    cand.wallMs += c.wallMs;
    base.lat.push(...b.latencies);
    cand.lat.push(...c.latencies);
    baseRss = Math.max(baseRss, bRss);
    candRss = Math.max(candRss, cRss);
  }
  for (const r of [base, cand]) Object.assign(r, { p50: quantile(r.lat, 0.5), p99: quantile(r.lat, 0.99) });
  // End to end with the real signers inside the client (signing + HTTP in one run).
  const [e2e, e2eRss] = await withPeakRss(() => clientRun(sb, makeRegistries(N), { digest: digestSigner, transport: transportSigner }));
  const stats = await sb.stats();
  await sb.close();
  const expected = 200 + 2 * N + N;
  if (stats.stored !== expected || stats.duplicated !== 0)
    throw new Error(`stored ${stats.stored} of ${expected}, duplicated ${stats.duplicated}`);
  report(
    'sber-registry-client',
    [
      {
        name: `HTTP: ${N} registries create + poll to IMPLEMENTED, concurrency ${C} (client, signatures replayed)`,
        value: cand.wallMs,
        unit: 'ms',
        baseline: base.wallMs,
        baselineName: 'bare undici, pre-signed bodies',
        higherIsBetter: false,
        goal: Number((1 / 1.1).toFixed(3)),
      },
      {
        name: 'per-registry latency p50 (client)',
        value: cand.p50,
        unit: 'ms',
        baseline: base.p50,
        baselineName: 'bare undici p50',
        higherIsBetter: false,
      },
      {
        name: 'per-registry latency p99 (client)',
        value: cand.p99,
        unit: 'ms',
        baseline: base.p99,
        baselineName: 'bare undici p99',
        higherIsBetter: false,
      },
    ],
    {
      'signing, sequential (digest + raw GOST)': `${digestMs.toFixed(0)} ms (${(digestMs / N).toFixed(2)} ms/registry)`,
      'signing, sequential (JWS over the JSON)': `${jwsMs.toFixed(0)} ms (${(jwsMs / N).toFixed(2)} ms/registry)`,
      'signing total': `${signMs.toFixed(0)} ms`,
      'end to end, real signers inside the client': `${e2e.wallMs.toFixed(0)} ms (p50 ${e2e.p50.toFixed(1)} ms, p99 ${e2e.p99.toFixed(1)} ms); signing ≈ ${((100 * signMs) / e2e.wallMs).toFixed(0)} % of it`,
      'peak RSS MiB (baseline / client / end to end)': `${baseRss.toFixed(0)} / ${candRss.toFixed(0)} / ${e2eRss.toFixed(0)}`,
      'sandbox totals': `stored ${stats.stored}, duplicated ${stats.duplicated}, creates ${stats.creates}, polls ${stats.polls}, token requests ${stats.tokenRequests}`,
      'HTTP overhead vs baseline': `${(cand.wallMs / base.wallMs).toFixed(3)}x (goal ≤ 1.10x)`,
    },
  );
} else {
  const sb = await startSandbox({
    seed: 42,
    // Rules are tried in turn, each with its own draw: p per rule so that 5 % of each kind of request fails.
    faults: [
      ...['status503', 'reset', 'resetAfterStore'].map((kind) => ({ on: 'create', kind, probability: 1 - 0.95 ** (1 / 3) })),
      ...['status500', 'reset'].map((kind) => ({ on: 'state', kind, probability: 1 - 0.95 ** (1 / 2) })),
      { on: 'token', kind: 'status503', probability: 0.05 },
    ],
  });
  // Faults the client met: answers of 500 and more, and attempts that got no answer at all (resets).
  const seen = { requests: 0, responses: 0, errorStatus: 0, retries: 0 };
  const hooks = {
    onRequest: () => seen.requests++,
    onResponse: (e) => {
      seen.responses++;
      if (e.status >= 500) seen.errorStatus++;
    },
    onRetry: () => seen.retries++,
  };
  const { agent, auth, client } = await connect(
    sb,
    { transportSignature: { signer: transportSigner, kid: certUuid }, maxRetries: 8, retryDelay: { baseMs: 20, maxMs: 500 } },
    hooks,
  );
  const registries = makeRegistries(N);
  const finals = new Map();
  let heapAfterFirst = 0;
  const start = performance.now();
  const [run, rss] = await withPeakRss(async () => {
    for (let from = 0; from < N; from += 1000) {
      await pool(registries.slice(from, from + 1000), async (r) => {
        await client.debtRegistries.create(r, { digestSigner });
        finals.set(r.externalId, (await client.debtRegistries.waitForFinalState(r.externalId, { timeoutMs: 300_000 })).bankStatus);
      });
      if (from === 0) {
        global.gc?.();
        heapAfterFirst = process.memoryUsage().heapUsed;
      }
    }
  });
  const wallMs = performance.now() - start;
  global.gc?.();
  const heapEnd = process.memoryUsage().heapUsed;
  const stats = await sb.stats();
  await agent.close();
  await auth.close();
  await client.close();
  await sb.close();
  const reached = [...finals.values()].filter((s) => SBER_TERMINAL_STATUSES.has(s)).length;
  const heapRatio = heapEnd / heapAfterFirst;
  const faultsSeen = seen.errorStatus + (seen.requests - seen.responses);
  const checks = {
    'every result reached': reached === N,
    'nothing duplicated': stats.stored === N && stats.duplicated === 0,
    'heap within 10 %': global.gc !== undefined && heapRatio <= 1.1,
    'no unhandled rejection': unhandled === 0,
  };
  report('sber-registry-client-soak', [{ name: `soak: ${N} registries, 5 % faults, wall`, value: wallMs, unit: 'ms' }], {
    'results reached (terminal)': `${reached} / ${N}`,
    'stored / duplicated': `${stats.stored} / ${stats.duplicated}`,
    'faults met by the client': `${faultsSeen} of ${seen.requests} requests (${((100 * faultsSeen) / seen.requests).toFixed(1)} %: ${seen.errorStatus} answers ≥ 500, ${seen.requests - seen.responses} without an answer); retries ${seen.retries}`,
    'sandbox totals': `creates ${stats.creates}, polls ${stats.polls}, token requests ${stats.tokenRequests}`,
    'heap after first 1,000 → end (MiB)': `${(heapAfterFirst / 2 ** 20).toFixed(1)} → ${(heapEnd / 2 ** 20).toFixed(1)} (ratio ${heapRatio.toFixed(3)})${global.gc ? '' : ' (run with --expose-gc for exact figures)'}`,
    'peak RSS MiB': rss.toFixed(0),
    'unhandled rejections': String(unhandled),
    checks: Object.entries(checks)
      .map(([k, ok]) => `${k}: ${ok ? 'ok' : 'FAILED'}`)
      .join('; '),
  });
  void run;
  if (!Object.values(checks).every(Boolean)) {
    console.error('SOAK FAILED');
    process.exitCode = 1;
  }
  console.log(`active resources at the end: ${process.getActiveResourcesInfo().join(', ') || 'none'}`);
  console.log(DONE_MARKER);
}
