// sunat-gre-client benchmark: `submit` (validate, zip, hash, send, poll with backoff, read the CDR) against a
// baseline that makes the same HTTP calls with bare undici (token once, send, poll until final), both against
// the sandbox over HTTPS loopback (sandbox in a child process). Usage: node bench/run.mjs [--docs N] [--concurrency N]
import { fork } from 'node:child_process';
import os from 'node:os';
import { createHash } from 'node:crypto';
import { zipSync, strToU8 } from 'fflate';
import { Agent, request } from 'undici';
import { createSunatAuth } from 'oauth-sunat';
import { createGreClient } from '../dist/index.js';
import { quantile, report, withPeakRss } from '../../../scripts/bench-kit.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? dflt : Number(process.argv[i + 1]);
};
const DOCS = arg('docs', 1000);
const CONCURRENCY = arg('concurrency', 32);
const POLL_MS = arg('poll-ms', 2);
const ROUNDS = arg('rounds', 4);
const CLIENT = { clientId: 'bench-client', clientSecret: 'bench-secret', ruc: '20000000001', solUser: 'MODDATOS', solPassword: 'moddatos' };

const child = fork(new URL('./sandbox-child.mjs', import.meta.url), { env: { ...process.env, BENCH_CLIENT: JSON.stringify(CLIENT), BENCH_PENDING_POLLS: '1' } });
const ask = (type) =>
  new Promise((resolve) => {
    child.once('message', resolve);
    if (type) child.send({ type });
  });
const sandbox = await ask();
const stats = () => ask('stats');
const agent = new Agent({ connect: { ca: sandbox.ca }, connections: 64 });

/** A realistic unsigned DespatchAdvice (~3 KB), as @internal/testkit's despatchAdviceXml writes it. */
function xml(series, number) {
  const party = (id, name) =>
    `<cac:Party><cac:PartyIdentification><cbc:ID schemeID="6">${id}</cbc:ID></cac:PartyIdentification><cac:PartyLegalEntity><cbc:RegistrationName>${name}</cbc:RegistrationName></cac:PartyLegalEntity></cac:Party>`;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<DespatchAdvice xmlns="urn:oasis:names:specification:ubl:schema:xsd:DespatchAdvice-2" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2" xmlns:ext="urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2">` +
    `<ext:UBLExtensions><ext:UBLExtension><ext:ExtensionContent></ext:ExtensionContent></ext:UBLExtension></ext:UBLExtensions>` +
    `<cbc:UBLVersionID>2.1</cbc:UBLVersionID><cbc:CustomizationID>2.0</cbc:CustomizationID><cbc:ID>${series}-${number}</cbc:ID>` +
    `<cbc:IssueDate>2026-01-05</cbc:IssueDate><cbc:IssueTime>10:23:59</cbc:IssueTime><cbc:DespatchAdviceTypeCode listAgencyName="PE:SUNAT">09</cbc:DespatchAdviceTypeCode>` +
    `<cac:DespatchSupplierParty>${party(CLIENT.ruc, 'REMITENTE S.A.C.')}</cac:DespatchSupplierParty><cac:DeliveryCustomerParty>${party('20000000002', 'DESTINATARIO S.A.C.')}</cac:DeliveryCustomerParty>` +
    `<cac:Shipment><cbc:ID>SUNAT_Envio</cbc:ID><cbc:HandlingCode>01</cbc:HandlingCode><cbc:GrossWeightMeasure unitCode="KGM">10.000</cbc:GrossWeightMeasure>` +
    `<cac:ShipmentStage><cbc:TransportModeCode>02</cbc:TransportModeCode><cac:TransitPeriod><cbc:StartDate>2026-01-05</cbc:StartDate></cac:TransitPeriod></cac:ShipmentStage>` +
    `<cac:Delivery><cac:DeliveryAddress><cbc:ID>150101</cbc:ID><cac:AddressLine><cbc:Line>AV. DESTINO 123</cbc:Line></cac:AddressLine></cac:DeliveryAddress>` +
    `<cac:Despatch><cac:DespatchAddress><cbc:ID>150203</cbc:ID><cac:AddressLine><cbc:Line>AV. ORIGEN 456</cbc:Line></cac:AddressLine></cac:DespatchAddress></cac:Despatch></cac:Delivery>` +
    `<cac:TransportHandlingUnit><cac:TransportEquipment><cbc:ID>ABC123</cbc:ID></cac:TransportEquipment></cac:TransportHandlingUnit></cac:Shipment>` +
    `<cac:DespatchLine><cbc:ID>1</cbc:ID><cbc:DeliveredQuantity unitCode="NIU">1</cbc:DeliveredQuantity><cac:OrderLineReference><cbc:LineID>1</cbc:LineID></cac:OrderLineReference>` +
    `<cac:Item><cbc:Description>PRODUCTO DE PRUEBA</cbc:Description></cac:Item></cac:DespatchLine></DespatchAdvice>\n`
  );
}

let seriesNo = 0;
/** A batch of documents on a series of its own, so that no run meets another's numbers (1033). */
function batch(n) {
  const series = `T${String(++seriesNo).padStart(3, '0')}`;
  return Array.from({ length: n }, (_, i) => ({ ruc: CLIENT.ruc, type: '09', series, number: i + 1, xml: xml(series, i + 1) }));
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

const authOptions = { ...CLIENT, baseUrl: sandbox.authUrl, dispatcher: agent };

async function candidate(docs) {
  const auth = createSunatAuth({ clientId: CLIENT.clientId, clientSecret: CLIENT.clientSecret, ruc: CLIENT.ruc, solUser: CLIENT.solUser, solPassword: CLIENT.solPassword, baseUrl: sandbox.authUrl, dispatcher: agent });
  const client = createGreClient({ auth, baseUrl: sandbox.cpeUrl, dispatcher: agent, pollIntervalMs: POLL_MS, maxPollIntervalMs: POLL_MS });
  return pool(docs, async (doc) => {
    const r = await client.submit(doc);
    if (r.state !== 'accepted' || !r.cdr) throw new Error(`unexpected ${r.code}`);
  });
}

async function baseline(docs) {
  const form = new URLSearchParams({ grant_type: 'password', scope: 'https://api-cpe.sunat.gob.pe', client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret, username: CLIENT.ruc + CLIENT.solUser, password: CLIENT.solPassword });
  const t = await request(`${sandbox.authUrl}/clientessol/${CLIENT.clientId}/oauth2/token/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString(), dispatcher: agent });
  const token = (await t.body.json()).access_token;
  const headers = { authorization: `Bearer ${token}`, accept: 'application/json' };
  return pool(docs, async (doc) => {
    const base = `${doc.ruc}-${doc.type}-${doc.series}-${doc.number}`;
    const zip = zipSync({ [`${base}.xml`]: strToU8(doc.xml) });
    const body = JSON.stringify({ archivo: { nomArchivo: `${base}.zip`, arcGreZip: Buffer.from(zip).toString('base64'), hashZip: createHash('sha256').update(zip).digest('hex') } });
    const s = await request(`${sandbox.cpeUrl}/contribuyente/gem/comprobantes/${base}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body, dispatcher: agent });
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
  const start = performance.now();
  const cpu = process.cpuUsage();
  const [latencies, peakRss] = await withPeakRss(() => fn(docs));
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  const after = await stats();
  return { wallMs, cpuMs, latencies, peakRss, tokens: after.tokenRequests - before.tokenRequests, sends: after.sends - before.sends, polls: after.polls - before.polls, duplicates: after.duplicates };
}

// warm-up: TLS sessions, JIT
await baseline(batch(100));
await candidate(batch(100));

const runs = { candidate: [], baseline: [] };
// ABBA order, so that a drift in the machine's load or the sandbox's state favours neither side
for (let r = 0; r < ROUNDS; r++) {
  const order = r % 2 === 0 ? ['baseline', 'candidate'] : ['candidate', 'baseline'];
  for (const side of order) runs[side].push(await measure(side === 'baseline' ? baseline : candidate));
}
const best = (list) => list.reduce((a, b) => (b.wallMs < a.wallMs ? b : a));
const c = best(runs.candidate);
const b = best(runs.baseline);
const leastCpu = (list) => Math.min(...list.map((r) => r.cpuMs));
const fmt = (x) => x.toFixed(1);

report(
  'sunat-gre-client',
  [
    { name: `submit ×${DOCS} @${CONCURRENCY} wall time`, value: c.wallMs, unit: 'ms', baseline: b.wallMs, baselineName: 'bare undici', higherIsBetter: false, goal: 1 / 1.1 },
    { name: 'submit p50 latency', value: quantile(c.latencies, 0.5), unit: 'ms', baseline: quantile(b.latencies, 0.5), baselineName: 'bare undici', higherIsBetter: false },
    { name: 'submit p99 latency', value: quantile(c.latencies, 0.99), unit: 'ms', baseline: quantile(b.latencies, 0.99), baselineName: 'bare undici', higherIsBetter: false },
    { name: 'client process CPU time', value: leastCpu(runs.candidate), unit: 'ms', baseline: leastCpu(runs.baseline), baselineName: 'bare undici', higherIsBetter: false, goal: 1 / 1.1 },
    { name: 'throughput', value: (DOCS * 1000) / c.wallMs, unit: 'docs/s', baseline: (DOCS * 1000) / b.wallMs, baselineName: 'bare undici', goal: 1 / 1.1 },
  ],
  {
    'overhead (candidate/baseline wall time)': `${(c.wallMs / b.wallMs).toFixed(3)}x (goal ≤ 1.10x)`,
    'token requests per candidate run': c.tokens,
    'requests per candidate run': `${c.sends} sends, ${c.polls} polls (baseline ${b.sends}/${b.polls})`,
    'documents stored twice': c.duplicates,
    'peak RSS MiB (candidate / baseline)': `${fmt(c.peakRss)} / ${fmt(b.peakRss)}`,
    'all wall times ms (candidate)': runs.candidate.map((r) => fmt(r.wallMs)).join(', '),
    'all wall times ms (baseline)': runs.baseline.map((r) => fmt(r.wallMs)).join(', '),
    'machine load average (1 min) at the end': os.loadavg()[0].toFixed(2),
    'poll interval ms': POLL_MS,
  },
);
if (c.tokens !== 1) console.error(`!! expected exactly one token request per candidate run, saw ${c.tokens}`);
await agent.close();
child.send({ type: 'close' });
