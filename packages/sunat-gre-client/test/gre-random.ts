// Guides for the tests that hold the rules to SUNAT (gre-sunat-xsl.test.ts) and to the sandbox (gre-sandbox-rules.test.ts):
// a valid 09 for each reason and mode, and random near-valid guides.
import fc from 'fast-check';
import type {
  GeoPoint,
  Guide,
  GuideLine,
  RelatedDocument,
  SenderGuide,
  ShipmentIndicator,
  Subcontractor,
  TransferReason,
} from '../src/gre/index.js';
import { carrierGuide, RUC, senderGuide } from './gre-fixtures.js';

export const REASONS: TransferReason[] = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '13', '14', '17', '18'];
export const OTHER_PARTY = { documentType: '6', documentNumber: RUC.other, name: 'Proveedora Andina S.R.L.' } as const;
export const BUYER = { documentType: '1', documentNumber: '41784439', name: 'María Fernández Núñez' } as const;
export const SELF = { documentType: '6', documentNumber: RUC.sender, name: 'Compañía Peruana de Envíos S.A.C.' } as const;
export const CARRIER = { ruc: RUC.carrier, name: 'Transportes Andinos E.I.R.L.', mtcRegistration: '1587462CNG' };
export const DRIVER = {
  documentType: '1',
  documentNumber: '12345678',
  firstNames: 'Raúl',
  lastNames: 'Quispe Mamani',
  license: 'Q12345678',
} as const;
export const SUBCONTRACTOR = { ruc: RUC.other, name: 'Logística Integral del Sur S.A.C.' };
export const DAM_IMPORT = '118-2026-10-123456';
export const DAM_EXPORT = '118-2026-40-654321';
export const customsLines = (declaration: string): GuideLine[] => [
  { quantity: 10, unitCode: 'KG', description: 'Repuestos de maquinaria', customs: { declaration, item: 1 } },
  { quantity: 3, unitCode: 'U', description: 'Motores eléctricos', customs: { declaration, item: '2' } },
];

/** A valid 09 guide for each reason and mode, with what SUNAT asks of that reason. */
export function senderFor(reason: TransferReason, mode: '01' | '02', over: Partial<SenderGuide> = {}): SenderGuide {
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

// ---- random near-valid guides: valid pieces mixed with the mistakes SUNAT's rules catch ----------------------------

export const related = fc.constantFrom<RelatedDocument>(
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
export const indicator = fc.constantFrom<ShipmentIndicator>(
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
export const mutation = fc.oneof(
  related.map(
    (r): Mutation =>
      (g) =>
        void (g.relatedDocuments = [...(g.relatedDocuments ?? []).filter((o) => o.number !== r.number), r]),
  ),
  fc.constant<Mutation>((g) => void (g.relatedDocuments = [])),
  fc.constantFrom(SELF, BUYER, OTHER_PARTY).map(
    (p): Mutation =>
      (g) =>
        void (g.recipient = p),
  ),
  fc.constantFrom(undefined, BUYER, OTHER_PARTY).map(
    (p): Mutation =>
      (g) =>
        void (g.buyer = p),
  ),
  fc.constantFrom(undefined, OTHER_PARTY, SELF, BUYER, { documentType: '0', documentNumber: 'X123', name: 'Foreign Ltd.' } as const).map(
    (p): Mutation =>
      (g) =>
        void (g.seller = p),
  ),
  fc.constantFrom('start', 'arrival').chain((where) =>
    fc.constantFrom(undefined, RUC.sender, RUC.recipient).map(
      (ruc): Mutation =>
        (g) => {
          const place = { ...g.shipment[where as 'start' | 'arrival'] };
          if (ruc === undefined) delete place.establishmentCode, delete place.establishmentRuc;
          else Object.assign(place, { establishmentCode: '0005', establishmentRuc: ruc });
          g.shipment[where as 'start' | 'arrival'] = place;
        },
    ),
  ),
  fc.constantFrom('150203', '070101', '200501').map(
    (ubigeo): Mutation =>
      (g) =>
        void (g.shipment.start = { ...g.shipment.start, ubigeo }),
  ),
  fc.constantFrom('040101', '070101').map(
    (ubigeo): Mutation =>
      (g) =>
        void (g.shipment.arrival = { ...g.shipment.arrival, ubigeo }),
  ),
  fc
    .constantFrom(
      undefined,
      { kind: 'port', code: 'CLL' } as const,
      { kind: 'port', code: 'PAI' } as const,
      { kind: 'airport', code: 'LIM' } as const,
    )
    .map(
      (port): Mutation =>
        (g) =>
          void (g.shipment.port = port),
    ),
  indicator.map(
    (ind): Mutation =>
      (g) =>
        void (g.shipment.indicators = [...(g.shipment.indicators ?? []), ind]),
  ),
  fc.constant<Mutation>(
    (g) =>
      void (g.shipment.vehicles = (g.shipment.vehicles ?? [{ plate: 'ABC123' }]).map((v, i) =>
        i === 0 ? { ...v, circulationCard: '15M12345678' } : v,
      )),
  ),
  fc.constant<Mutation>((g) => void (g.shipment.carrier = g.shipment.carrier ? undefined : CARRIER)),
  fc.constantFrom(0, 1).map(
    (i): Mutation =>
      (g) => {
        const vehicles = g.shipment.vehicles ?? [{ plate: 'ABC123' }];
        if (i === 1 && vehicles.length < 2) vehicles.push({ plate: 'XYZ987' });
        g.shipment.vehicles = vehicles.map((v, j) =>
          j === i ? { ...v, circulationCard: '15M12345678', authorization: { number: 'SUC-1', authority: '01' } } : v,
        );
      },
  ),
  fc.constant<Mutation>((g) => {
    if (g.shipment.vehicles) delete g.shipment.vehicles, delete g.shipment.drivers;
    else (g.shipment.vehicles = [{ plate: 'ABC123' }, { plate: 'XYZ987' }]), (g.shipment.drivers = [DRIVER]);
  }),
  fc.constantFrom('Q1234567', 'Q-2345678', '000000000').map(
    (license): Mutation =>
      (g) =>
        void (g.shipment.drivers = (g.shipment.drivers ?? []).map((d) => ({ ...d, license }))),
  ),
  fc.constantFrom('NIU', 'KG', 'ZZ').map(
    (unitCode): Mutation =>
      (g) =>
        void (g.lines = g.lines.map((l) => ({ ...l, unitCode }))),
  ),
  fc.constant<Mutation>((g) => void (g.lines = g.lines.map(({ customs: _, ...l }) => l))),
  fc.constant<Mutation>((g) => void (g.lines = g.lines.map((l) => ({ ...l, customs: { declaration: '118-2026-10-999999', item: 1 } })))),
  fc.constantFrom(undefined, 1, 40).map(
    (packages): Mutation =>
      (g) =>
        void (g.shipment.packages = packages),
  ),
  fc.constantFrom(undefined, 800).map(
    (netWeight): Mutation =>
      (g) =>
        void (g.shipment.netWeight = netWeight),
  ),
  fc.constant<Mutation>((g) => void (g.shipment.startDate = '2026-01-04')),
  // tariff subheadings (7020): valid, all zeros (3377), too long (3377)
  fc.constantFrom('1006300000', '0000', '12345678901').map(
    (tariffSubheading): Mutation =>
      (g) =>
        void (g.lines = g.lines.map((l, i) => (i === 0 ? { ...l, tariffSubheading } : l))),
  ),
  // georeferenced points: valid numbers and strings, too many decimals (3413), out of range
  fc
    .tuple(
      fc.constantFrom('start', 'arrival'),
      fc.constantFrom<GeoPoint>(
        { latitude: -12.0464, longitude: -77.0428 },
        { latitude: '-16.39889', longitude: '-71.535' },
        { latitude: '-12.123456789', longitude: '-77.1' },
        { latitude: 95, longitude: 10 },
      ),
    )
    .map(
      ([where, coordinates]): Mutation =>
        (g) =>
          void (g.shipment[where as 'start' | 'arrival'] = { ...g.shipment[where as 'start' | 'arrival'], coordinates }),
    ),
  fc
    .constantFrom(
      [{ number: 'MSCU1234567', seal: 'PR1' }],
      [{ number: 'MSCU1234567' }],
      [
        { number: 'A1', seal: 'S1' },
        { number: 'A1', seal: 'S2' },
      ],
      [
        { number: 'A1', seal: 'S' },
        { number: 'A2', seal: 'S' },
      ],
      [
        { number: 'C1', seal: 'P1' },
        { number: 'C2', seal: 'P2' },
        { number: 'C3', seal: 'P3' },
      ],
    )
    .map(
      (containers): Mutation =>
        (g) =>
          void (g.shipment.containers = [...containers]),
    ),
);
export const randomSender = fc
  .tuple(fc.constantFrom<TransferReason>(...REASONS), fc.constantFrom<'01' | '02'>('01', '02'), fc.array(mutation, { maxLength: 2 }))
  .map(([reason, mode, mutations]): Guide => {
    const g = structuredClone(senderFor(reason, mode));
    for (const m of mutations) m(g);
    return g;
  });
export const randomCarrier = fc
  .record({
    related: fc.uniqueArray(related, { maxLength: 3, selector: (r) => `${r.type} ${r.number}` }),
    indicators: fc.uniqueArray(indicator, { maxLength: 2 }),
    tuc: fc.constantFrom(undefined, '15M12345678', '15M1234'),
    mtc: fc.constantFrom(undefined, '1587462CNG', '0000'),
    license: fc.constantFrom('Q12345678', 'Q1234567'),
    subcontractor: fc.constantFrom<Subcontractor | undefined>(undefined, SUBCONTRACTOR, {
      ruc: RUC.carrier,
      name: 'Transportes Andinos E.I.R.L.',
    }),
    tariffSubheading: fc.constantFrom(undefined, '2207100000'),
  })
  .map((r): Guide => {
    const c = carrierGuide({ relatedDocuments: r.related });
    return {
      ...c,
      ...(r.subcontractor === undefined ? {} : { subcontractor: r.subcontractor }),
      lines: c.lines.map((l) => (r.tariffSubheading === undefined ? l : { ...l, tariffSubheading: r.tariffSubheading })),
      issuer: { ...c.issuer, mtcRegistration: r.mtc },
      shipment: {
        ...c.shipment,
        indicators: r.indicators,
        vehicles: [{ plate: 'F1A234', circulationCard: r.tuc }],
        drivers: [{ ...DRIVER, license: r.license }],
      },
    };
  });

/** A random near-valid guide: three 09 for one 31. */
export const randomGuide = fc.oneof({ weight: 3, arbitrary: randomSender }, { weight: 1, arbitrary: randomCarrier });
