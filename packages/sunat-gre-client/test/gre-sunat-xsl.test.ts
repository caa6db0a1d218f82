// SUNAT's own GRE 2022 validation stylesheets (packages/testkit/fixtures/sunat-xsl) judge the guides this package
// builds: every guide the model accepts must draw no ERROR from them, and what the validator refuses SUNAT refuses
// for the same code. All guides go through one Saxon process (runSunatXsl), started once for this file.

import { runSunatXsl, type SunatXslResult, sunatXslOrSkip } from '@internal/testkit';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeDespatchAdvice } from '../src/gre/build.js';
import {
  buildDespatchAdvice,
  checkSunatObservations,
  findGuideProblems,
  type Guide,
  guideFileBaseName,
  type SenderGuide,
} from '../src/gre/index.js';
import { carrierGuide, RUC, senderGuide } from './gre-fixtures.js';
import { BUYER, CARRIER, customsLines, DRIVER, REASONS, randomGuide, SUBCONTRACTOR, senderFor } from './gre-random.js';

interface Case {
  name: string;
  guide: Guide;
}

/** Every reason × both modes, plus each optional part once. */
function acceptedCases(): Case[] {
  const cases: Case[] = [];
  for (const reason of REASONS)
    for (const mode of ['01', '02'] as const) cases.push({ name: `09 reason ${reason} mode ${mode}`, guide: senderFor(reason, mode) });
  const base = senderFor('01', '02');
  const withShipment = (name: string, shipment: Partial<SenderGuide['shipment']>, over: Partial<SenderGuide> = {}): Case => ({
    name,
    guide: { ...base, ...over, shipment: { ...base.shipment, ...shipment } },
  });
  cases.push(
    withShipment('09 note, line code and UNSPSC product code', {}, { note: 'Entregar en almacén B', lines: senderGuide().lines }),
    withShipment(
      '09 related factura without issuerRuc (defaults to the issuer)',
      {},
      {
        relatedDocuments: [
          { type: '01', number: 'F001-1' },
          { type: '09', number: 'T001-9' },
        ],
      },
    ),
    withShipment(
      '09 related documents of every type a 09 may cite',
      {},
      {
        relatedDocuments: [
          { type: '01', number: 'F001-1' },
          { type: '03', number: 'B001-2' },
          { type: '09', number: 'EG01-3' },
          { type: '12', number: 'MAQ01-123' },
          { type: '48', number: '0001-55' },
        ],
      },
    ),
    withShipment('09 arrival at the recipient establishment', {
      arrival: { ubigeo: '040101', address: 'Calle Mercaderes 210, Arequipa', establishmentCode: '0003', establishmentRuc: RUC.recipient },
    }),
    withShipment('09 indicators: transshipment, return empty', {
      indicators: [
        'SUNAT_Envio_IndicadorTransbordoProgramado',
        'SUNAT_Envio_IndicadorRetornoVehiculoVacio',
        'SUNAT_Envio_IndicadorRetornoVehiculoEnvaseVacio',
      ],
    }),
    withShipment('09 M1/L vehicle, private transport (main vehicle only, no drivers)', {
      indicators: ['SUNAT_Envio_IndicadorTrasladoVehiculoM1L'],
      vehicles: [{ plate: 'ABC123' }],
      drivers: undefined,
    }),
    withShipment('09 M1/L vehicle, public transport', {
      mode: '01',
      indicators: ['SUNAT_Envio_IndicadorTrasladoVehiculoM1L'],
      carrier: undefined,
      vehicles: undefined,
      drivers: undefined,
    }),
    withShipment('09 public transport with the carrier’s vehicles and drivers (TUC)', {
      mode: '01',
      carrier: CARRIER,
      indicators: ['SUNAT_Envio_IndicadorVehiculoConductoresTransp'],
      vehicles: [{ plate: 'F1A234', circulationCard: '15M12345678' }],
      drivers: [DRIVER],
    }),
    withShipment('09 vehicle authorisations (SUCAMEC on the tractor, MTC on the trailer)', {
      vehicles: [
        { plate: 'ABC123', authorization: { number: 'SUC-2026-0001', authority: '01' } },
        { plate: 'XYZ987', authorization: { number: 'MTC-778899', authority: '06' } },
      ],
    }),
    withShipment('09 two vehicles and two drivers, tonnes', {
      weightUnit: 'TNE',
      grossWeight: 3.25,
      vehicles: [{ plate: 'ABC123' }, { plate: 'XYZ987' }],
      drivers: [DRIVER, { ...DRIVER, documentType: '4', documentNumber: '001234567', license: 'B98765432', role: 'Secundario' }],
    }),
    {
      name: '09 import by airport',
      guide: senderFor('08', '02', { shipment: { ...senderFor('08', '02').shipment, port: { kind: 'airport', code: 'LIM' } } }),
    },
    {
      name: '09 import by the port of Paita',
      guide: senderFor('08', '02', {
        shipment: {
          ...senderFor('08', '02').shipment,
          port: { kind: 'port', code: 'PAI' },
          start: { ubigeo: '200501', address: 'Puerto de Paita' },
        },
      }),
    },
    {
      name: '09 export to an establishment (no port)',
      guide: senderFor('09', '01', {
        shipment: {
          ...senderFor('09', '01').shipment,
          port: undefined,
          arrival: {
            ubigeo: '070101',
            address: 'Av. Néstor Gambetta 100, Callao',
            establishmentCode: '0004',
            establishmentRuc: RUC.carrier,
          },
        },
      }),
    },
    {
      name: '09 import of a whole DAM (no per-line customs data)',
      guide: senderFor('08', '02', {
        shipment: { ...senderFor('08', '02').shipment, indicators: ['SUNAT_Envio_IndicadorTrasladoTotalDAMoDS'] },
        lines: [{ quantity: 1, unitCode: 'NIU', description: 'Mercancía de la DAM' }],
      }),
    },
    {
      name: '09 export in two sealed containers (no package count)',
      guide: senderFor('09', '02', {
        shipment: {
          ...senderFor('09', '02').shipment,
          packages: undefined,
          containers: [
            { number: 'MSCU1234567', seal: 'PR0001' },
            { number: 'MSCU7654321', seal: 'PR0002' },
          ],
        },
      }),
    },
    withShipment('09 sale with a container without seal', { containers: [{ number: 'TGHU0001' }] }),
    {
      name: '09 import with a DS (52)',
      guide: senderFor('08', '02', {
        relatedDocuments: [{ type: '52', number: '118-2026-18-000123' }],
        lines: customsLines('118-2026-18-000123'),
      }),
    },
    withShipment('09 georeferenced start (numbers) and arrival (strings)', {
      start: { ...base.shipment.start, coordinates: { latitude: -12.0464, longitude: -77.0428 } },
      arrival: { ...base.shipment.arrival, coordinates: { latitude: '-16.39889012', longitude: '-71.535' } },
    }),
    withShipment(
      '09 sale of rice citing an IVAP deposit (49), tariff subheading on a line',
      {},
      {
        relatedDocuments: [
          { type: '01', number: 'F001-1' },
          { type: '49', number: '4567890' },
        ],
        lines: [
          { quantity: 50, unitCode: 'KGM', description: 'Arroz pilado', tariffSubheading: '1006300000' },
          { quantity: 2, unitCode: 'NIU', description: 'Sacos vacíos' },
        ],
      },
    ),
    withShipment(
      '09 sale citing a detracción deposit (80), tariff subheading on a line',
      {},
      {
        relatedDocuments: [
          { type: '01', number: 'F001-1' },
          { type: '80', number: '123456789012345' },
        ],
        lines: [{ quantity: 5, unitCode: 'NIU', description: 'Azúcar rubia (sacos)', tariffSubheading: '1701140000' }],
      },
    ),
    {
      name: '09 many lines (120)',
      guide: {
        ...base,
        lines: Array.from({ length: 120 }, (_, i) => ({ quantity: i + 1, unitCode: 'NIU', description: `Producto ${i + 1}` })),
      },
    },
  );
  const c = carrierGuide();
  cases.push(
    { name: '31 sample', guide: c },
    {
      name: '31 with the freight payer and indicators',
      guide: carrierGuide({
        shipment: {
          ...c.shipment,
          indicators: [
            'SUNAT_Envio_IndicadorPagadorFlete_Remitente',
            'SUNAT_Envio_IndicadorTransbordoProgramado',
            'SUNAT_Envio_IndicadorRetornoVehiculoVacio',
          ],
        },
      }),
    },
    {
      name: '31 subcontracted, third-party payer',
      guide: carrierGuide({
        shipment: {
          ...c.shipment,
          indicators: ['SUNAT_Envio_IndicadorTrasporteSubcontratado', 'SUNAT_Envio_IndicadorPagadorFlete_Tercero'],
        },
        subcontractor: SUBCONTRACTOR,
        freightPayer: { documentType: '6', documentNumber: '20100070970', name: 'Supermercados Peruanos S.A.' },
      }),
    },
    {
      name: '31 subcontracted, the subcontractor pays, georeferenced points',
      guide: carrierGuide({
        shipment: {
          ...c.shipment,
          indicators: ['SUNAT_Envio_IndicadorTrasporteSubcontratado', 'SUNAT_Envio_IndicadorPagadorFlete_Subcontratador'],
          start: { ...c.shipment.start, coordinates: { latitude: '-12.05', longitude: '-77.03' } },
          arrival: { ...c.shipment.arrival, coordinates: { latitude: -13.5319, longitude: -71.9675 } },
        },
        subcontractor: SUBCONTRACTOR,
      }),
    },
    {
      name: '31 related electronic 09 and a detracción deposit (80), tariff subheading on the line',
      guide: carrierGuide({
        relatedDocuments: [
          { type: '09', number: 'T001-123', issuerRuc: RUC.sender },
          { type: '80', number: '99887766' },
        ],
        lines: [{ quantity: 100, unitCode: 'BX', description: 'Alcohol etílico', tariffSubheading: '2207100000' }],
      }),
    },
    {
      name: '31 related factura and 31',
      guide: carrierGuide({
        relatedDocuments: [
          { type: '01', number: 'F001-456', issuerRuc: RUC.sender },
          { type: '31', number: 'V001-3' },
        ],
      }),
    },
    {
      name: '31 related electronic 09 and DAM',
      guide: carrierGuide({
        relatedDocuments: [
          { type: '09', number: 'T001-123' },
          { type: '50', number: '118-2026-10-123456' },
        ],
      }),
    },
    {
      name: '31 without MTC, two vehicles',
      guide: carrierGuide({
        issuer: { ruc: RUC.carrier, name: 'Transportes Andinos E.I.R.L.' },
        shipment: {
          ...c.shipment,
          vehicles: [
            { plate: 'F1A234', circulationCard: '15M12345678' },
            { plate: 'T2B345', circulationCard: 'CHV0012345' },
          ],
        },
      }),
    },
    {
      name: '31 vehicle authorisation and TUC on the trailer',
      guide: carrierGuide({
        shipment: {
          ...c.shipment,
          vehicles: [
            { plate: 'F1A234', circulationCard: '15M12345678', authorization: { number: 'SENASA-123', authority: '04' } },
            { plate: 'T2B345', circulationCard: 'CHV0012345', authorization: { number: 'MTC-1', authority: '06' } },
          ],
        },
      }),
    },
    {
      name: '31 main vehicle without TUC (observation 4399)',
      guide: carrierGuide({ shipment: { ...c.shipment, vehicles: [{ plate: 'F1A234' }] } }),
    },
    {
      name: '31 sender with DNI, recipient with RUC',
      guide: carrierGuide({
        sender: BUYER,
        relatedDocuments: [],
        recipient: { documentType: '6', documentNumber: RUC.recipient, name: 'Distribuidora Ñandú S.A.' },
      }),
    },
  );
  return cases;
}

/** Guides the validator refuses for one SUNAT code, that SUNAT's stylesheets must refuse for the same code. */
function refusedCases(): (Case & { code: string })[] {
  const base = senderFor('01', '02');
  const c = carrierGuide();
  const subcontracted = { ...c.shipment, indicators: ['SUNAT_Envio_IndicadorTrasporteSubcontratado' as const] };
  return [
    {
      name: '09 citing an IVAP deposit (49) without a tariff subheading',
      code: '3352',
      guide: { ...base, relatedDocuments: [{ type: '49', number: '4567890' }] },
    },
    {
      name: '31 citing a detracción deposit (80) without a tariff subheading',
      code: '3352',
      guide: carrierGuide({ relatedDocuments: [{ type: '80', number: '99887766' }] }),
    },
    {
      name: '09 tariff subheading of zeros',
      code: '3377',
      guide: { ...base, lines: [{ quantity: 1, unitCode: 'NIU', description: 'Arroz', tariffSubheading: '0000000000' }] },
    },
    {
      name: '09 georeference with 9 decimals',
      code: '3413',
      guide: {
        ...base,
        shipment: {
          ...base.shipment,
          arrival: { ...base.shipment.arrival, coordinates: { latitude: '-16.398890123', longitude: '-71.5' } },
        },
      },
    },
    {
      name: '31 subcontracted by its own issuer',
      code: '3390',
      guide: carrierGuide({ shipment: subcontracted, subcontractor: { ruc: RUC.carrier, name: 'Transportes Andinos E.I.R.L.' } }),
    },
    { name: '31 subcontracted without the subcontractor (observed)', code: '4424', guide: carrierGuide({ shipment: subcontracted }) },
    {
      name: '31 third party pays the freight, not named (observed)',
      code: '4401',
      guide: carrierGuide({ shipment: { ...c.shipment, indicators: ['SUNAT_Envio_IndicadorPagadorFlete_Tercero'] } }),
    },
    {
      name: '31 third-party freight payer with a malformed DNI',
      code: '3400',
      guide: carrierGuide({
        shipment: { ...c.shipment, indicators: ['SUNAT_Envio_IndicadorPagadorFlete_Tercero'] },
        freightPayer: { documentType: '1', documentNumber: '1234567', name: 'Ana Quispe' },
      }),
    },
  ];
}

// -------------------------------------------------------------------------------------------------------------------

const hasSaxon = sunatXslOrSkip();

describe.skipIf(!hasSaxon)("SUNAT's GRE stylesheets on the guides this package builds", () => {
  const accepted = acceptedCases();
  const refused = refusedCases();
  // A fixed sample in CI; GRE_XSL_SEED / GRE_XSL_RUNS explore others (each guide costs Saxon ~0.1–0.5 s).
  const random = fc.sample(randomGuide, {
    numRuns: Number(process.env.GRE_XSL_RUNS ?? 160),
    seed: Number(process.env.GRE_XSL_SEED ?? 2026),
  });
  let acceptedResults: SunatXslResult[];
  let randomResults: SunatXslResult[];
  let refusedResults: SunatXslResult[];

  beforeAll(() => {
    const inputs = [...accepted.map((c) => c.guide), ...random, ...refused.map((c) => c.guide)].map((g) => ({
      type: g.type,
      xml: writeDespatchAdvice(g),
      fileName: `${guideFileBaseName(g)}.xml`,
    }));
    const results = runSunatXsl(inputs);
    acceptedResults = results.slice(0, accepted.length);
    randomResults = results.slice(accepted.length, accepted.length + random.length);
    refusedResults = results.slice(accepted.length + random.length);
  }, 600_000);

  it('covers every reason of catalogue 20, both modes, both guide types', () => {
    const guides = accepted.map((c) => c.guide);
    for (const reason of REASONS)
      for (const mode of ['01', '02'])
        expect(guides.some((g) => g.type === '09' && g.shipment.reason === reason && g.shipment.mode === mode)).toBe(true);
    expect(guides.some((g) => g.type === '31')).toBe(true);
  });

  it('every hand-made guide passes the validator and draws no ERROR from SUNAT', () => {
    const failures: string[] = [];
    accepted.forEach((c, i) => {
      const problems = findGuideProblems(c.guide).map((p) => p.message);
      if (problems.length) failures.push(`${c.name}: validator: ${problems.join('; ')}`);
      if (!problems.length) expect(() => buildDespatchAdvice(c.guide)).not.toThrow();
      const errors = acceptedResults[i]!.errors;
      if (errors.length) failures.push(`${c.name}: SUNAT: ${errors.map((e) => e.text).join(' | ')}`);
    });
    expect(failures.join('\n')).toBe('');
  });

  it('the model’s new parts: what the validator refuses, SUNAT refuses (or observes) for the same code', () => {
    const failures: string[] = [];
    refused.forEach((c, i) => {
      const ours = findGuideProblems(c.guide).map((p) => p.sunatCode);
      const r = refusedResults[i]!;
      const theirs = (c.code >= '4000' ? r.warnings : r.errors).map((e) => e.code);
      if (!ours.includes(c.code)) failures.push(`${c.name}: validator gave ${ours.join(' ') || 'nothing'}`);
      if (!theirs.includes(c.code)) failures.push(`${c.name}: SUNAT gave ${theirs.join(' ') || 'nothing'}`);
    });
    expect(failures.join('\n')).toBe('');
  });

  it('property: whatever the validator accepts, SUNAT accepts; what it refuses, SUNAT refuses for the same code', () => {
    const failures: string[] = [];
    let acceptedCount = 0;
    let comparedRefusals = 0;
    random.forEach((g, i) => {
      const problems = findGuideProblems(g);
      const r = randomResults[i]!;
      const label = `#${i} (${g.type}${g.type === '09' ? ` reason ${g.shipment.reason} mode ${g.shipment.mode}` : ''})`;
      if (problems.length === 0) {
        acceptedCount++;
        if (r.errors.length) failures.push(`${label} accepted, SUNAT: ${r.errors.map((e) => e.text).join(' | ')}`);
        return;
      }
      // Each SUNAT-coded problem must be one SUNAT reports (as an error, or as an observation for its 4000+ codes).
      for (const p of problems) {
        if (!p.sunatCode) continue;
        comparedRefusals++;
        const reported = [...r.errors, ...r.warnings].some((e) => e.code === p.sunatCode);
        if (!reported)
          failures.push(
            `${label} refused ${p.field} (${p.sunatCode}), SUNAT: ${[...r.errors, ...r.warnings].map((e) => e.code).join(' ') || 'nothing'}`,
          );
      }
    });
    expect(failures.join('\n')).toBe('');
    // both sides are exercised
    expect(acceptedCount).toBeGreaterThan(15);
    expect(comparedRefusals).toBeGreaterThan(50);
  });

  it('property: the observations the rules give an accepted guide are the ones SUNAT gives it (for the codes they know)', () => {
    const KNOWN = new Set(['4375', '4378', '4386', '4391', '4399', '4424', '4425', '4426']);
    const failures: string[] = [];
    const seen = new Set<string>();
    [...accepted.map((c) => c.guide), ...random].forEach((g, i) => {
      if (findGuideProblems(g).length) return;
      const r = i < accepted.length ? acceptedResults[i]! : randomResults[i - accepted.length]!;
      const ours: string[] = [];
      checkSunatObservations(g, (_field, _message, code) => ours.push(code));
      const theirs = r.warnings.map((w) => w.code).filter((c) => KNOWN.has(c));
      ours.forEach((c) => seen.add(c));
      if ([...ours].sort().join(' ') !== [...theirs].sort().join(' '))
        failures.push(`#${i} (${g.type}): rules ${ours.join(' ') || 'none'}, SUNAT ${theirs.join(' ') || 'none'}`);
    });
    expect(failures.join('\n')).toBe('');
    // the guides draw these (4375/4378 only where the validator lets a supplier/buyer be left out)
    expect([...seen]).toEqual(expect.arrayContaining(['4386', '4391', '4399']));
  });
});
