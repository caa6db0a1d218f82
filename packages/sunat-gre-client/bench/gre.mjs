// GRE documents: build + sign + zip + SHA-256 of a 1,000-line guide, against `xmlsec1 --sign` of the same XML
// (libxml2 + OpenSSL, process start included) measured in the same run. `node bench/gre.mjs` or runGreBench().
import { execFileSync } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { strToU8, zipSync } from 'fflate';
import { bestTimeMs, quantile, report, withPeakRss } from '../../../scripts/bench-kit.mjs';
import { buildDespatchAdvice, guideFileBaseName, signXml } from '../dist/gre.js';

const RUC = '20100070970';
const LINES = 1000;

function guide() {
  return {
    type: '09',
    series: 'T001',
    number: 1,
    issueDate: '2026-01-05',
    issueTime: '10:00:00',
    issuer: { ruc: RUC, name: 'Compañía Peruana de Envíos S.A.C.' },
    recipient: { documentType: '6', documentNumber: '20131312955', name: 'Distribuidora Ñandú S.A.' },
    shipment: {
      reason: '01',
      mode: '02',
      grossWeight: 1250.5,
      weightUnit: 'KGM',
      startDate: '2026-01-06',
      start: { ubigeo: '150203', address: 'Av. Argentina 1234, Callao' },
      arrival: { ubigeo: '040101', address: 'Calle Mercaderes 210, Arequipa' },
      vehicles: [{ plate: 'ABC123' }],
      drivers: [{ documentType: '1', documentNumber: '45678912', firstNames: 'José', lastNames: 'Muñoz', license: 'Q45678912' }],
    },
    lines: Array.from({ length: LINES }, (_, i) => ({
      quantity: i + 1,
      unitCode: 'NIU',
      description: `Producto número ${i + 1} – café & té <orgánico>`,
      code: `P${i + 1}`,
    })),
  };
}

export async function runGreBench({ runs = 30 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'gre-bench-'));
  try {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' });
    writeFileSync(join(dir, 'k.pem'), keyPem);
    execFileSync(
      'openssl',
      ['req', '-x509', '-key', join(dir, 'k.pem'), '-subj', '/CN=GRE BENCH', '-days', '1', '-out', join(dir, 'c.pem')],
      { stdio: 'ignore' },
    );
    const certificate = execFileSync('openssl', ['x509', '-in', join(dir, 'c.pem')]).toString();
    const signing = { privateKey: keyPem, certificate };
    const g = guide();

    const pipeline = () => {
      const xml = signXml(buildDespatchAdvice(g), signing);
      const base = guideFileBaseName(g);
      const zip = zipSync({ [`${base}.xml`]: strToU8(xml) }, { level: 6 });
      return { xml, zip, hash: createHash('sha256').update(zip).digest('hex') };
    };
    const times = [];
    const [sample, peakMiB] = await withPeakRss(async () => {
      let last;
      for (let i = 0; i < runs; i++) {
        const t = performance.now();
        last = pipeline();
        times.push(performance.now() - t);
      }
      return last;
    });
    const stage = (fn) => bestTimeMs(fn, 10);
    const unsigned = buildDespatchAdvice(g);
    const buildMs = await stage(() => buildDespatchAdvice(g));
    const signMs = await stage(() => signXml(unsigned, signing));

    // baseline: the same XML signed by xmlsec1 from a template (what PHP/Java stacks shell out to)
    const template = unsigned.replace(
      '<ext:ExtensionContent></ext:ExtensionContent>',
      '<ext:ExtensionContent><ds:Signature Id="SignSUNAT"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"/>' +
        '<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/><ds:Reference URI=""><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/></ds:Transforms>' +
        '<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue/></ds:Reference></ds:SignedInfo><ds:SignatureValue/><ds:KeyInfo><ds:X509Data/></ds:KeyInfo></ds:Signature></ext:ExtensionContent>',
    );
    writeFileSync(join(dir, 't.xml'), template);
    let xmlsecMs;
    try {
      xmlsecMs = await bestTimeMs(
        () =>
          execFileSync('xmlsec1', ['--sign', '--privkey-pem', `${join(dir, 'k.pem')},${join(dir, 'c.pem')}`, join(dir, 't.xml')], {
            stdio: ['ignore', 'pipe', 'ignore'],
          }),
        10,
      );
    } catch {
      xmlsecMs = undefined; // xmlsec1 not installed: report the candidate alone
    }
    const median = quantile(times, 0.5);
    report(
      'sunat-gre-client-gre',
      [
        {
          name: `build+sign+zip+sha256, ${LINES} lines (median of ${runs})`,
          value: median,
          unit: 'ms',
          higherIsBetter: false,
          ...(xmlsecMs === undefined ? {} : { baseline: xmlsecMs, baselineName: 'xmlsec1 --sign alone (same XML)' }),
        },
        { name: 'signXml alone (best of 10)', value: signMs, unit: 'ms', higherIsBetter: false },
        { name: 'buildDespatchAdvice alone (best of 10)', value: buildMs, unit: 'ms', higherIsBetter: false },
      ],
      {
        goalMs: 50,
        meetsGoal: median < 50 ? 'yes' : 'NO',
        p95Ms: quantile(times, 0.95),
        peakRssMiB: peakMiB,
        xmlBytes: Buffer.byteLength(sample.xml),
        zipBytes: sample.zip.length,
      },
    );
    return { medianMs: median, p95Ms: quantile(times, 0.95), buildMs, signMs, xmlsecMs, peakRssMiB: peakMiB };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runGreBench();
