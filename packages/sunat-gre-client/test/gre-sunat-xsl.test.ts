// SUNAT's own GRE 2022 validation stylesheets (packages/testkit/fixtures/sunat-xsl) judge the guides this package
// builds: every guide the model accepts must draw no ERROR from them, and what the validator refuses SUNAT refuses
// for the same code. All guides go through one Saxon process (runSunatXsl), started once for this file.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { runSunatXsl, sunatXslOrSkip, type SunatXslResult } from '@internal/testkit';
import { buildDespatchAdvice, checkSunatObservations, findGuideProblems, guideFileBaseName, type Guide, type GuideLine, type RelatedDocument, type SenderGuide, type ShipmentIndicator, type TransferReason } from '../src/gre/index.js';
import { writeDespatchAdvice } from '../src/gre/build.js';
import { carrierGuide, RUC, senderGuide } from './gre-fixtures.js';

const REASONS: TransferReason[] = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '13', '14', '17', '18'];
const OTHER_PARTY = { documentType: '6', documentNumber: RUC.other, name: 'Proveedora Andina S.R.L.' } as const;
const BUYER = { documentType: '1', documentNumber: '41784439', name: 'María Fernández Núñez' } as const;
const SELF = { documentType: '6', documentNumber: RUC.sender, name: 'Compañía Peruana de Envíos S.A.C.' } as const;
const CARRIER = { ruc: RUC.carrier, name: 'Transportes Andinos E.I.R.L.', mtcRegistration: '1587462CNG' };
const DRIVER = { documentType: '1', documentNumber: '12345678', firstNames: 'Raúl', lastNames: 'Quispe Mamani', license: 'Q12345678' } as const;
const DAM_IMPORT = '118-2026-10-123456';
const DAM_EXPORT = '118-2026-40-654321';
const customsLines = (declaration: string): GuideLine[] => [
  { quantity: 10, unitCode: 'KG', description: 'Repuestos de maquinaria', customs: { declaration, item: 1 } },
  { quantity: 3, unitCode: 'U', description: 'Motores eléctricos', customs: { declaration, item: '2' } },
];

/** A valid 09 guide for each reason and mode, with what SUNAT asks of that reason. */
function senderFor(reason: TransferReason, mode: '01' | '02', over: Partial<SenderGuide> = {}): SenderGuide {
  const g = senderGuide({ relatedDocuments: [{ type: '01', number: 'F001-456' }] });
  g.shipment = { ...g.shipment, reason, mode };
  g.shipment.start = { ubigeo: '150203', address: 'Av. Argentina 1234, Callao' };
  if (mode === '01') {
    g.shipment.carrier = CARRIER;
    delete g.shipment.vehicles;
    delete g.shipment.drivers;
  }
  if (reason === '02' || reason === '04' || reason === '07') g.recipient = SELF;
  if (reason === '02' || reason === '07') g.seller = OTHER_PARTY;
  if (reason === '02') g.relatedDocuments = [{ type: '04', number: 'L001-77' }];
  if (reason === '07') g.relatedDocuments = [{ type: '01', number: 'F001-456', issuerRuc: RUC.other }];
  if (reason === '03') g.buyer = BUYER;
  if (reason === '04') {
    g.shipment.start = { ...g.shipment.start, establishmentCode: '0001', establishmentRuc: RUC.sender };
    g.shipment.arrival = { ...g.shipment.arrival, establishmentCode: '0002', establishmentRuc: RUC.sender };
    g.relatedDocuments = [];
  }
  if (reason === '08' || reason === '09') {
    const dam = reason === '08' ? DAM_IMPORT : DAM_EXPORT;
    g.relatedDocuments = [{ type: '50', number: dam }];
    g.shipment = { ...g.shipment, port: { kind: 'port', code: 'CLL' }, packages: 4, netWeight: 1200 };
    // the port's ubigeo (Callao, 070101) is where an import starts and an export ends (3364)
    if (reason === '08') g.shipment.start = { ubigeo: '070101', address: 'Terminal Portuario del Callao' };
    else g.shipment.arrival = { ubigeo: '070101', address: 'Terminal Portuario del Callao' };
    g.lines = customsLines(dam);
  }
  if (reason === '13') g.shipment.reasonDescription = 'Traslado de muestras para exhibición';
  return { ...g, ...over };
}

interface Case {
  name: string;
  guide: Guide;
}

/** Every reason × both modes, plus each optional part once. */
function acceptedCases(): Case[] {
  const cases: Case[] = [];
  for (const reason of REASONS) for (const mode of ['01', '02'] as const) cases.push({ name: `09 reason ${reason} mode ${mode}`, guide: senderFor(reason, mode) });
  const base = senderFor('01', '02');
  const withShipment = (name: string, shipment: Partial<SenderGuide['shipment']>, over: Partial<SenderGuide> = {}): Case => ({
    name,
    guide: { ...base, ...over, shipment: { ...base.shipment, ...shipment } },
  });
  cases.push(
    withShipment('09 note, line code and UNSPSC product code', {}, { note: 'Entregar en almacén B', lines: senderGuide().lines }),
    withShipment('09 related factura without issuerRuc (defaults to the issuer)', {}, { relatedDocuments: [{ type: '01', number: 'F001-1' }, { type: '09', number: 'T001-9' }] }),
    withShipment('09 related documents of every type a 09 may cite', {}, {
      relatedDocuments: [
        { type: '01', number: 'F001-1' },
        { type: '03', number: 'B001-2' },
        { type: '09', number: 'EG01-3' },
        { type: '12', number: 'MAQ01-123' },
        { type: '48', number: '0001-55' },
      ],
    }),
    withShipment('09 arrival at the recipient establishment', { arrival: { ubigeo: '040101', address: 'Calle Mercaderes 210, Arequipa', establishmentCode: '0003', establishmentRuc: RUC.recipient } }),
    withShipment('09 indicators: transshipment, return empty', { indicators: ['SUNAT_Envio_IndicadorTransbordoProgramado', 'SUNAT_Envio_IndicadorRetornoVehiculoVacio', 'SUNAT_Envio_IndicadorRetornoVehiculoEnvaseVacio'] }),
    withShipment('09 M1/L vehicle, private transport (main vehicle only, no drivers)', { indicators: ['SUNAT_Envio_IndicadorTrasladoVehiculoM1L'], vehicles: [{ plate: 'ABC123' }], drivers: undefined }),
    withShipment('09 M1/L vehicle, public transport', { mode: '01', indicators: ['SUNAT_Envio_IndicadorTrasladoVehiculoM1L'], carrier: undefined, vehicles: undefined, drivers: undefined }),
    withShipment('09 public transport with the carrier’s vehicles and drivers (TUC)', {
      mode: '01',
      carrier: CARRIER,
      indicators: ['SUNAT_Envio_IndicadorVehiculoConductoresTransp'],
      vehicles: [{ plate: 'F1A234', circulationCard: '15M12345678' }],
      drivers: [DRIVER],
    }),
    withShipment('09 vehicle authorisations (SUCAMEC on the tractor, MTC on the trailer)', {
      vehicles: [{ plate: 'ABC123', authorization: { number: 'SUC-2026-0001', authority: '01' } }, { plate: 'XYZ987', authorization: { number: 'MTC-778899', authority: '06' } }],
    }),
    withShipment('09 two vehicles and two drivers, tonnes', {
      weightUnit: 'TNE',
      grossWeight: 3.25,
      vehicles: [{ plate: 'ABC123' }, { plate: 'XYZ987' }],
      drivers: [DRIVER, { ...DRIVER, documentType: '4', documentNumber: '001234567', license: 'B98765432', role: 'Secundario' }],
    }),
    { name: '09 import by airport', guide: senderFor('08', '02', { shipment: { ...senderFor('08', '02').shipment, port: { kind: 'airport', code: 'LIM' } } }) },
    { name: '09 import by the port of Paita', guide: senderFor('08', '02', { shipment: { ...senderFor('08', '02').shipment, port: { kind: 'port', code: 'PAI' }, start: { ubigeo: '200501', address: 'Puerto de Paita' } } }) },
    { name: '09 export to an establishment (no port)', guide: senderFor('09', '01', { shipment: { ...senderFor('09', '01').shipment, port: undefined, arrival: { ubigeo: '070101', address: 'Av. Néstor Gambetta 100, Callao', establishmentCode: '0004', establishmentRuc: RUC.carrier } } }) },
    {
      name: '09 import of a whole DAM (no per-line customs data)',
      guide: senderFor('08', '02', {
        shipment: { ...senderFor('08', '02').shipment, indicators: ['SUNAT_Envio_IndicadorTrasladoTotalDAMoDS'] },
        lines: [{ quantity: 1, unitCode: 'NIU', description: 'Mercancía de la DAM' }],
      }),
    },
    {
      name: '09 export in two sealed containers (no package count)',
      guide: senderFor('09', '02', { shipment: { ...senderFor('09', '02').shipment, packages: undefined, containers: [{ number: 'MSCU1234567', seal: 'PR0001' }, { number: 'MSCU7654321', seal: 'PR0002' }] } }),
    },
    withShipment('09 sale with a container without seal', { containers: [{ number: 'TGHU0001' }] }),
    { name: '09 import with a DS (52)', guide: senderFor('08', '02', { relatedDocuments: [{ type: '52', number: '118-2026-18-000123' }], lines: customsLines('118-2026-18-000123') }) },
    { name: '09 many lines (120)', guide: { ...base, lines: Array.from({ length: 120 }, (_, i) => ({ quantity: i + 1, unitCode: 'NIU', description: `Producto ${i + 1}` })) } },
  );
  const c = carrierGuide();
  cases.push(
    { name: '31 sample', guide: c },
    { name: '31 with the freight payer and indicators', guide: carrierGuide({ shipment: { ...c.shipment, indicators: ['SUNAT_Envio_IndicadorPagadorFlete_Remitente', 'SUNAT_Envio_IndicadorTransbordoProgramado', 'SUNAT_Envio_IndicadorRetornoVehiculoVacio'] } }) },
    { name: '31 subcontracted, third-party payer', guide: carrierGuide({ shipment: { ...c.shipment, indicators: ['SUNAT_Envio_IndicadorTrasporteSubcontratado', 'SUNAT_Envio_IndicadorPagadorFlete_Tercero'] } }) },
    { name: '31 related factura and 31', guide: carrierGuide({ relatedDocuments: [{ type: '01', number: 'F001-456', issuerRuc: RUC.sender }, { type: '31', number: 'V001-3' }] }) },
    { name: '31 related electronic 09 and DAM', guide: carrierGuide({ relatedDocuments: [{ type: '09', number: 'T001-123' }, { type: '50', number: '118-2026-10-123456' }] }) },
    { name: '31 without MTC, two vehicles', guide: carrierGuide({ issuer: { ruc: RUC.carrier, name: 'Transportes Andinos E.I.R.L.' }, shipment: { ...c.shipment, vehicles: [{ plate: 'F1A234', circulationCard: '15M12345678' }, { plate: 'T2B345', circulationCard: 'CHV0012345' }] } }) },
    { name: '31 vehicle authorisation and TUC on the trailer', guide: carrierGuide({ shipment: { ...c.shipment, vehicles: [{ plate: 'F1A234', circulationCard: '15M12345678', authorization: { number: 'SENASA-123', authority: '04' } }, { plate: 'T2B345', circulationCard: 'CHV0012345', authorization: { number: 'MTC-1', authority: '06' } }] } }) },
    { name: '31 sender with DNI, recipient with RUC', guide: carrierGuide({ sender: BUYER, relatedDocuments: [], recipient: { documentType: '6', documentNumber: RUC.recipient, name: 'Distribuidora Ñandú S.A.' } }) },
  );
  return cases;
}

// ---- random near-valid guides: valid pieces mixed with the mistakes SUNAT's rules catch ----------------------------

const related = fc.constantFrom<RelatedDocument>(
  { type: '01', number: 'F001-456' },
  { type: '01', number: 'F001-457', issuerRuc: RUC.other },
  { type: '03', number: 'B001-12' },
  { type: '04', number: 'L001-9' },
  { type: '09', number: 'T001-5' },
  { type: '09', number: 'T001-6', issuerRuc: RUC.other },
  { type: '12', number: 'ABC-123' },
  { type: '31', number: 'V001-3' },
  { type: '48', number: '0001-55' },
  { type: '49', number: '123456' },
  { type: '50', number: DAM_IMPORT },
  { type: '50', number: DAM_EXPORT },
  { type: '52', number: '118-2026-48-000777' },
  { type: '80', number: '987654' },
  { type: '01', number: 'X001-1' },
);
const indicator = fc.constantFrom<ShipmentIndicator>(
  'SUNAT_Envio_IndicadorTransbordoProgramado',
  'SUNAT_Envio_IndicadorTrasladoVehiculoM1L',
  'SUNAT_Envio_IndicadorRetornoVehiculoVacio',
  'SUNAT_Envio_IndicadorTrasladoTotalDAMoDS',
  'SUNAT_Envio_IndicadorVehiculoConductoresTransp',
  'SUNAT_Envio_IndicadorPagadorFlete_Remitente',
  'SUNAT_Envio_IndicadorPagadorFlete_Tercero',
  'SUNAT_Envio_IndicadorTrasporteSubcontratado',
);
type Mutation = (g: SenderGuide) => void;
const mutation = fc.oneof(
  related.map((r): Mutation => (g) => void (g.relatedDocuments = [...(g.relatedDocuments ?? []).filter((o) => o.number !== r.number), r])),
  fc.constant<Mutation>((g) => void (g.relatedDocuments = [])),
  fc.constantFrom(SELF, BUYER, OTHER_PARTY).map((p): Mutation => (g) => void (g.recipient = p)),
  fc.constantFrom(undefined, BUYER, OTHER_PARTY).map((p): Mutation => (g) => void (g.buyer = p)),
  fc.constantFrom(undefined, OTHER_PARTY, SELF, BUYER, { documentType: '0', documentNumber: 'X123', name: 'Foreign Ltd.' } as const).map((p): Mutation => (g) => void (g.seller = p)),
  fc.constantFrom('start', 'arrival').chain((where) =>
    fc.constantFrom(undefined, RUC.sender, RUC.recipient).map((ruc): Mutation => (g) => {
      const place = { ...g.shipment[where as 'start' | 'arrival'] };
      if (ruc === undefined) delete place.establishmentCode, delete place.establishmentRuc;
      else Object.assign(place, { establishmentCode: '0005', establishmentRuc: ruc });
      g.shipment[where as 'start' | 'arrival'] = place;
    }),
  ),
  fc.constantFrom('150203', '070101', '200501').map((ubigeo): Mutation => (g) => void (g.shipment.start = { ...g.shipment.start, ubigeo })),
  fc.constantFrom('040101', '070101').map((ubigeo): Mutation => (g) => void (g.shipment.arrival = { ...g.shipment.arrival, ubigeo })),
  fc.constantFrom(undefined, { kind: 'port', code: 'CLL' } as const, { kind: 'port', code: 'PAI' } as const, { kind: 'airport', code: 'LIM' } as const).map(
    (port): Mutation => (g) => void (g.shipment.port = port),
  ),
  indicator.map((ind): Mutation => (g) => void (g.shipment.indicators = [...(g.shipment.indicators ?? []), ind])),
  fc.constant<Mutation>((g) => void (g.shipment.vehicles = (g.shipment.vehicles ?? [{ plate: 'ABC123' }]).map((v, i) => (i === 0 ? { ...v, circulationCard: '15M12345678' } : v)))),
  fc.constant<Mutation>((g) => void (g.shipment.carrier = g.shipment.carrier ? undefined : CARRIER)),
  fc.constantFrom(0, 1).map((i): Mutation => (g) => {
    const vehicles = g.shipment.vehicles ?? [{ plate: 'ABC123' }];
    if (i === 1 && vehicles.length < 2) vehicles.push({ plate: 'XYZ987' });
    g.shipment.vehicles = vehicles.map((v, j) => (j === i ? { ...v, circulationCard: '15M12345678', authorization: { number: 'SUC-1', authority: '01' } } : v));
  }),
  fc.constant<Mutation>((g) => {
    if (g.shipment.vehicles) delete g.shipment.vehicles, delete g.shipment.drivers;
    else (g.shipment.vehicles = [{ plate: 'ABC123' }, { plate: 'XYZ987' }]), (g.shipment.drivers = [DRIVER]);
  }),
  fc.constantFrom('Q1234567', 'Q-2345678', '000000000').map((license): Mutation => (g) => void (g.shipment.drivers = (g.shipment.drivers ?? []).map((d) => ({ ...d, license })))),
  fc.constantFrom('NIU', 'KG', 'ZZ').map((unitCode): Mutation => (g) => void (g.lines = g.lines.map((l) => ({ ...l, unitCode })))),
  fc.constant<Mutation>((g) => void (g.lines = g.lines.map(({ customs: _, ...l }) => l))),
  fc.constant<Mutation>((g) => void (g.lines = g.lines.map((l) => ({ ...l, customs: { declaration: '118-2026-10-999999', item: 1 } })))),
  fc.constantFrom(undefined, 1, 40).map((packages): Mutation => (g) => void (g.shipment.packages = packages)),
  fc.constantFrom(undefined, 800).map((netWeight): Mutation => (g) => void (g.shipment.netWeight = netWeight)),
  fc.constant<Mutation>((g) => void (g.shipment.startDate = '2026-01-04')),
  fc
    .constantFrom([{ number: 'MSCU1234567', seal: 'PR1' }], [{ number: 'MSCU1234567' }], [{ number: 'A1', seal: 'S1' }, { number: 'A1', seal: 'S2' }], [{ number: 'A1', seal: 'S' }, { number: 'A2', seal: 'S' }], [{ number: 'C1', seal: 'P1' }, { number: 'C2', seal: 'P2' }, { number: 'C3', seal: 'P3' }])
    .map((containers): Mutation => (g) => void (g.shipment.containers = [...containers])),
);
const randomSender = fc
  .tuple(fc.constantFrom<TransferReason>(...REASONS), fc.constantFrom<'01' | '02'>('01', '02'), fc.array(mutation, { maxLength: 2 }))
  .map(([reason, mode, mutations]): Guide => {
    const g = structuredClone(senderFor(reason, mode));
    for (const m of mutations) m(g);
    return g;
  });
const randomCarrier = fc
  .record({
    related: fc.uniqueArray(related, { maxLength: 3, selector: (r) => `${r.type} ${r.number}` }),
    indicators: fc.uniqueArray(indicator, { maxLength: 2 }),
    tuc: fc.constantFrom(undefined, '15M12345678', '15M1234'),
    mtc: fc.constantFrom(undefined, '1587462CNG', '0000'),
    license: fc.constantFrom('Q12345678', 'Q1234567'),
  })
  .map((r): Guide => {
    const c = carrierGuide({ relatedDocuments: r.related });
    return {
      ...c,
      issuer: { ...c.issuer, mtcRegistration: r.mtc },
      shipment: { ...c.shipment, indicators: r.indicators, vehicles: [{ plate: 'F1A234', circulationCard: r.tuc }], drivers: [{ ...DRIVER, license: r.license }] },
    };
  });

// -------------------------------------------------------------------------------------------------------------------

const hasSaxon = sunatXslOrSkip();

describe.skipIf(!hasSaxon)("SUNAT's GRE stylesheets on the guides this package builds", () => {
  const accepted = acceptedCases();
  // A fixed sample in CI; GRE_XSL_SEED / GRE_XSL_RUNS explore others (each guide costs Saxon ~0.1–0.5 s).
  const random = fc.sample(fc.oneof({ weight: 3, arbitrary: randomSender }, { weight: 1, arbitrary: randomCarrier }), {
    numRuns: Number(process.env.GRE_XSL_RUNS ?? 160),
    seed: Number(process.env.GRE_XSL_SEED ?? 2026),
  });
  let acceptedResults: SunatXslResult[];
  let randomResults: SunatXslResult[];

  beforeAll(() => {
    const inputs = [...accepted.map((c) => c.guide), ...random].map((g) => ({ type: g.type, xml: writeDespatchAdvice(g), fileName: `${guideFileBaseName(g)}.xml` }));
    const results = runSunatXsl(inputs);
    acceptedResults = results.slice(0, accepted.length);
    randomResults = results.slice(accepted.length);
  }, 600_000);

  it('covers every reason of catalogue 20, both modes, both guide types', () => {
    const guides = accepted.map((c) => c.guide);
    for (const reason of REASONS) for (const mode of ['01', '02']) expect(guides.some((g) => g.type === '09' && g.shipment.reason === reason && g.shipment.mode === mode)).toBe(true);
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
        if (!reported) failures.push(`${label} refused ${p.field} (${p.sunatCode}), SUNAT: ${[...r.errors, ...r.warnings].map((e) => e.code).join(' ') || 'nothing'}`);
      }
    });
    expect(failures.join('\n')).toBe('');
    // both sides are exercised
    expect(acceptedCount).toBeGreaterThan(15);
    expect(comparedRefusals).toBeGreaterThan(50);
  });

  it('property: the observations the rules give an accepted guide are the ones SUNAT gives it (for the codes they know)', () => {
    const KNOWN = new Set(['4375', '4378', '4386', '4391', '4399']);
    const failures: string[] = [];
    const seen = new Set<string>();
    [...accepted.map((c) => c.guide), ...random].forEach((g, i) => {
      if (findGuideProblems(g).length) return;
      const r = i < accepted.length ? acceptedResults[i]! : randomResults[i - accepted.length]!;
      const ours: string[] = [];
      checkSunatObservations(g, (_field, _message, code) => ours.push(code));
      const theirs = r.warnings.map((w) => w.code).filter((c) => KNOWN.has(c));
      ours.forEach((c) => seen.add(c));
      if ([...ours].sort().join(' ') !== [...theirs].sort().join(' ')) failures.push(`#${i} (${g.type}): rules ${ours.join(' ') || 'none'}, SUNAT ${theirs.join(' ') || 'none'}`);
    });
    expect(failures.join('\n')).toBe('');
    // the guides draw these (4375/4378 only where the validator lets a supplier/buyer be left out)
    expect([...seen]).toEqual(expect.arrayContaining(['4386', '4391', '4399']));
  });
});
