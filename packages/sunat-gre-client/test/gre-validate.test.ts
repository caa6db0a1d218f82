import { describe, expect, it } from 'vitest';
import { buildDespatchAdvice, findGuideProblems, GreValidationError, type Guide, validateGuide } from '../src/gre/index.js';
import { GreValidationError as ClientValidationError, GreError } from '../src/index.js';
import { carrierGuide, RUC, senderGuide } from './gre-fixtures.js';

const s09 = senderGuide().shipment;
const s31 = carrierGuide().shipment;

/** [what, guide, field, rule, SUNAT code] */
const CASES: Array<[string, Guide, string, string, string | undefined]> = [
  ['weight 0', senderGuide({ shipment: { ...s09, grossWeight: 0 } }), 'shipment.grossWeight', 'weight-positive', '2523'],
  ['negative weight', carrierGuide({ shipment: { ...s31, grossWeight: -1 } }), 'shipment.grossWeight', 'weight-positive', '2523'],
  [
    'weight that rounds to 0.000',
    senderGuide({ shipment: { ...s09, grossWeight: 0.0004 } }),
    'shipment.grossWeight',
    'weight-positive',
    '2523',
  ],
  ['NaN weight', senderGuide({ shipment: { ...s09, grossWeight: Number.NaN } }), 'shipment.grossWeight', 'weight-positive', '2523'],
  ['weight unit', senderGuide({ shipment: { ...s09, weightUnit: 'LBR' as 'KGM' } }), 'shipment.weightUnit', 'weight-unit', '2881'],
  ['31 without vehicle', carrierGuide({ shipment: { ...s31, vehicles: [] } }), 'shipment.vehicles', 'vehicle-required', '2566'],
  ['31 without driver', carrierGuide({ shipment: { ...s31, drivers: undefined } }), 'shipment.drivers', 'driver-required', '1068'],
  ['31 without sender', carrierGuide({ sender: undefined as never }), 'sender', 'required', '1060'],
  [
    'driver without licence',
    carrierGuide({ shipment: { ...s31, drivers: [{ ...s31.drivers![0]!, license: '' }] } }),
    'shipment.drivers[0].license',
    'required',
    '2572',
  ],
  [
    'driver licence format',
    carrierGuide({ shipment: { ...s31, drivers: [{ ...s31.drivers![0]!, license: 'q 123' }] } }),
    'shipment.drivers[0].license',
    'license-format',
    '2573',
  ],
  [
    'driver document',
    carrierGuide({ shipment: { ...s31, drivers: [{ ...s31.drivers![0]!, documentNumber: '' }] } }),
    'shipment.drivers[0].documentNumber',
    'required',
    '2568',
  ],
  [
    'plate format',
    carrierGuide({ shipment: { ...s31, vehicles: [{ plate: 'AB-123' }] } }),
    'shipment.vehicles[0].plate',
    'plate-format',
    '2567',
  ],
  [
    '09 public transport without carrier',
    senderGuide({ shipment: { ...s09, mode: '01', carrier: undefined } }),
    'shipment.carrier',
    'carrier-required',
    '2558',
  ],
  [
    '09 private transport without vehicle',
    senderGuide({ shipment: { ...s09, mode: '02', vehicles: [] } }),
    'shipment.vehicles',
    'vehicle-required',
    '2566',
  ],
  ['09 without reason', senderGuide({ shipment: { ...s09, reason: undefined } }), 'shipment.reason', 'required', '3404'],
  ['reason outside catalogue 20', senderGuide({ shipment: { ...s09, reason: '10' as '01' } }), 'shipment.reason', 'catalog-20', '3405'],
  [
    'reason 13 needs a description',
    senderGuide({ shipment: { ...s09, reason: '13' } }),
    'shipment.reasonDescription',
    'required',
    undefined,
  ],
  ['09 without mode', senderGuide({ shipment: { ...s09, mode: undefined } }), 'shipment.mode', 'required', '2532'],
  ['mode outside catalogue 18', senderGuide({ shipment: { ...s09, mode: '03' as '01' } }), 'shipment.mode', 'catalog-18', '2773'],
  ['CustomizationID 1.0', senderGuide({ customizationId: '1.0' as '2.0' }), 'customizationId', 'customization-id', '2112'],
  ['issuer RUC check digit', senderGuide({ issuer: { ruc: '20100070971', name: 'X' } }), 'issuer.ruc', 'ruc-check-digit', undefined],
  ['issuer RUC format', senderGuide({ issuer: { ruc: '2010007097', name: 'X' } }), 'issuer.ruc', 'ruc-format', undefined],
  [
    'recipient RUC check digit',
    senderGuide({ recipient: { documentType: '6', documentNumber: '20131312954', name: 'X' } }),
    'recipient.documentNumber',
    'ruc-check-digit',
    '2550',
  ],
  [
    'recipient DNI',
    senderGuide({ recipient: { documentType: '1', documentNumber: '1234567', name: 'X' } }),
    'recipient.documentNumber',
    'dni-format',
    '2550',
  ],
  [
    'recipient document type',
    senderGuide({ recipient: { documentType: '9' as '1', documentNumber: '12345678', name: 'X' } }),
    'recipient.documentType',
    'catalog-06',
    '2549',
  ],
  [
    'carrier RUC',
    senderGuide({ shipment: { ...s09, mode: '01', carrier: { ruc: '20600000004', name: 'T' } } }),
    'shipment.carrier.ruc',
    'ruc-check-digit',
    '2559',
  ],
  ['series of a 09 must start with T', senderGuide({ series: 'V001' }), 'series', 'series-format', '1001'],
  ['series of a 31 must start with V', carrierGuide({ series: 'T001' }), 'series', 'series-format', '1001'],
  ['series of 5 characters', senderGuide({ series: 'T0001' }), 'series', 'series-format', '1001'],
  ['lower-case series', senderGuide({ series: 't001' }), 'series', 'series-format', '1001'],
  ['number of 9 digits', senderGuide({ number: 123456789 }), 'number', 'number-format', '1001'],
  ['number 0', senderGuide({ number: 0 }), 'number', 'number-format', '1001'],
  [
    'start ubigeo',
    senderGuide({ shipment: { ...s09, start: { ...s09.start, ubigeo: '15020' } } }),
    'shipment.start.ubigeo',
    'ubigeo-format',
    '2776',
  ],
  [
    'arrival ubigeo',
    senderGuide({ shipment: { ...s09, arrival: { ...s09.arrival, ubigeo: '04010A' } } }),
    'shipment.arrival.ubigeo',
    'ubigeo-format',
    '2776',
  ],
  [
    'arrival address',
    senderGuide({ shipment: { ...s09, arrival: { ...s09.arrival, address: '  ' } } }),
    'shipment.arrival.address',
    'required',
    '2574',
  ],
  ['issue date format', senderGuide({ issueDate: '05/01/2026' }), 'issueDate', 'date-format', undefined],
  ['issue date that does not exist', senderGuide({ issueDate: '2026-02-30' }), 'issueDate', 'date-format', undefined],
  ['start date format', senderGuide({ shipment: { ...s09, startDate: '2026-1-6' } }), 'shipment.startDate', 'date-format', '1070'],
  ['issue time', senderGuide({ issueTime: '24:00:00' }), 'issueTime', 'time-format', undefined],
  ['no lines', senderGuide({ lines: [] }), 'lines', 'required', undefined],
  [
    'line quantity 0',
    senderGuide({ lines: [{ quantity: 0, unitCode: 'NIU', description: 'x' }] }),
    'lines[0].quantity',
    'quantity-positive',
    undefined,
  ],
  [
    'line quantity with 11 decimals',
    senderGuide({ lines: [{ quantity: '1.00000000001', unitCode: 'NIU', description: 'x' }] }),
    'lines[0].quantity',
    'quantity-positive',
    undefined,
  ],
  [
    'line unit code',
    senderGuide({ lines: [{ quantity: 1, unitCode: 'niu', description: 'x' }] }),
    'lines[0].unitCode',
    'unit-code',
    undefined,
  ],
  [
    'line description',
    senderGuide({ lines: [{ quantity: 1, unitCode: 'NIU', description: '' }] }),
    'lines[0].description',
    'required',
    undefined,
  ],
  ['control character', senderGuide({ note: 'bell \u0007' }), 'note', 'xml-char', undefined],
  ['lone surrogate', senderGuide({ issuer: { ruc: RUC.sender, name: 'a\uD800b' } }), 'issuer.name', 'xml-char', undefined],
  [
    'related document type',
    senderGuide({ relatedDocuments: [{ type: '99' as '01', number: 'X' }] }),
    'relatedDocuments[0].type',
    'catalog-61',
    undefined,
  ],
  ['guide type', { ...senderGuide(), type: '10' as '09' }, 'type', 'guide-type', '1052'],
  ['signature id', senderGuide({ signatureId: '1 bad' }), 'signatureId', 'xml-id', '2084'],
  // SUNAT's cross-field rules (packages/sunat-kit/src/sunat-rules.ts; gre-sunat-xsl.test.ts holds them to SUNAT's stylesheets)
  [
    'reason 19 is not in catalogue 20',
    senderGuide({ shipment: { ...s09, reason: '19' as '01' } }),
    'shipment.reason',
    'catalog-20',
    '3405',
  ],
  ['reason 04 to another recipient', senderGuide({ shipment: { ...s09, reason: '04' } }), 'recipient', 'recipient-is-sender', '2554'],
  [
    'reason 04 without the arrival establishment',
    senderGuide({ recipient: { documentType: '6', documentNumber: RUC.sender, name: 'Yo' }, shipment: { ...s09, reason: '04' } }),
    'shipment.arrival.establishmentCode',
    'establishment-required',
    '3369',
  ],
  [
    'TUC on a 09',
    senderGuide({ shipment: { ...s09, vehicles: [{ plate: 'ABC123', circulationCard: '15M12345678' }] } }),
    'shipment.vehicles[0].circulationCard',
    'no-vehicle-registration',
    '3452',
  ],
  [
    'TUC format',
    carrierGuide({ shipment: { ...s31, vehicles: [{ plate: 'F1A234', circulationCard: '15M-1' }] } }),
    'shipment.vehicles[0].circulationCard',
    'circulation-card-format',
    '3355',
  ],
  [
    'licence of 8 characters',
    senderGuide({ shipment: { ...s09, drivers: [{ ...s09.drivers![0]!, license: 'Q4567891' }] } }),
    'shipment.drivers[0].license',
    'license-format',
    '2573',
  ],
  [
    'MTC format',
    carrierGuide({ issuer: { ruc: RUC.carrier, name: 'T', mtcRegistration: '15-87' } }),
    'issuer.mtcRegistration',
    'mtc-format',
    '4392',
  ],
  [
    'factura number',
    senderGuide({ relatedDocuments: [{ type: '01', number: 'B001-1' }] }),
    'relatedDocuments[0].number',
    'related-number-format',
    '3441',
  ],
  [
    'sale invoice issued by someone else',
    senderGuide({ relatedDocuments: [{ type: '01', number: 'F001-1', issuerRuc: RUC.other }] }),
    'relatedDocuments[0].issuerRuc',
    'related-issuer',
    '3381',
  ],
  [
    'a 31 cited by a 09',
    senderGuide({ relatedDocuments: [{ type: '31', number: 'V001-1' }] }),
    'relatedDocuments[0].type',
    'related-type',
    '2692',
  ],
  [
    'import without DAM/DS',
    senderGuide({
      relatedDocuments: [],
      shipment: { ...s09, reason: '08', port: { kind: 'port', code: 'CLL' }, start: { ubigeo: '070101', address: 'Callao' } },
    }),
    'relatedDocuments',
    'customs-declaration',
    '3440',
  ],
  [
    'import line without customs data',
    senderGuide({
      relatedDocuments: [{ type: '50', number: '118-2026-10-000001' }],
      shipment: { ...s09, reason: '08', port: { kind: 'port', code: 'CLL' }, start: { ubigeo: '070101', address: 'Callao' } },
      lines: [{ quantity: 1, unitCode: 'KG', description: 'Repuestos' }],
    }),
    'lines[0].customs',
    'customs-required',
    '3427',
  ],
  [
    'import from a port elsewhere',
    senderGuide({ shipment: { ...s09, reason: '08', port: { kind: 'port', code: 'CLL' } } }),
    'shipment.start.ubigeo',
    'port-ubigeo',
    '3364',
  ],
  ['net weight on a sale', senderGuide({ shipment: { ...s09, netWeight: 10 } }), 'shipment.netWeight', 'net-weight-reason', '3395'],
  [
    'a 31 indicator on a 09',
    senderGuide({ shipment: { ...s09, indicators: ['SUNAT_Envio_IndicadorPagadorFlete_Remitente'] } }),
    'shipment.indicators[0]',
    'indicator',
    '3388',
  ],
  [
    'drivers in public transport',
    senderGuide({ shipment: { ...s09, mode: '01', carrier: { ruc: RUC.carrier, name: 'T' } } }),
    'shipment.drivers',
    'no-driver',
    '3455',
  ],
  [
    'three containers on an export',
    senderGuide({
      shipment: {
        ...s09,
        reason: '09',
        containers: [
          { number: 'C1', seal: 'P1' },
          { number: 'C2', seal: 'P2' },
          { number: 'C3', seal: 'P3' },
        ],
      },
    }),
    'shipment.containers',
    'container-count',
    '3420',
  ],
];

describe('validateGuide', () => {
  it('accepts the full sample guides of both types', () => {
    expect(findGuideProblems(senderGuide())).toEqual([]);
    expect(findGuideProblems(carrierGuide())).toEqual([]);
  });

  it.each(CASES)('%s → typed error naming the field, the rule and SUNAT code', (_what, guide, field, rule, sunatCode) => {
    const problems = findGuideProblems(guide);
    const problem = problems.find((p) => p.field === field);
    expect(problem, `problems were: ${problems.map((p) => p.message).join(' | ')}`).toBeDefined();
    expect(problem).toBeInstanceOf(GreValidationError);
    expect({ field: problem!.field, rule: problem!.rule, sunatCode: problem!.sunatCode }).toEqual({ field, rule, sunatCode });
    expect(problem!.message).toContain(field);
    expect(problem!.code).toBe('VALIDATION');
    // the same error family as the client's: one isInstance check for both entry points
    expect(GreValidationError.isInstance(problem)).toBe(true);
    expect(ClientValidationError.isInstance(problem)).toBe(true);
    expect(GreError.isInstance(problem)).toBe(true);
    // buildDespatchAdvice refuses the guide before producing anything
    expect(() => buildDespatchAdvice(guide)).toThrow(GreValidationError);
  });

  it('throws the first problem, and reports all of them', () => {
    const guide = senderGuide({ series: 'X1', shipment: { ...s09, grossWeight: 0 } });
    expect(() => validateGuide(guide)).toThrow(expect.objectContaining({ field: 'series', rule: 'series-format' }));
    expect(findGuideProblems(guide).map((p) => p.field)).toEqual(['series', 'shipment.grossWeight']);
  });

  it('accepts series with letters after the prefix (SUNAT sample VA28) and both weight units', () => {
    expect(findGuideProblems(carrierGuide({ series: 'VA28' }))).toEqual([]);
    expect(findGuideProblems(senderGuide({ series: 'TZ9Q', shipment: { ...s09, weightUnit: 'TNE' } }))).toEqual([]);
  });

  it("writes the related document's issuer SUNAT expects when it is left out", () => {
    const issuerOf = (g: Guide): string | undefined =>
      /<cac:IssuerParty><cac:PartyIdentification><cbc:ID[^>]*>(\d+)</.exec(buildDespatchAdvice(g))?.[1];
    expect(issuerOf(senderGuide({ relatedDocuments: [{ type: '01', number: 'F001-9' }] }))).toBe(RUC.sender);
    const ret = senderGuide({ relatedDocuments: [{ type: '01', number: 'F001-9' }], shipment: { ...s09, reason: '06' } });
    expect(issuerOf(ret)).toBe(RUC.recipient); // a return cites the invoice the recipient issued
    expect(issuerOf(carrierGuide({ relatedDocuments: [{ type: '09', number: 'T001-5' }] }))).toBe(RUC.sender); // the sender's own guide
  });

  it('serialises as plain fields, without the guide data', () => {
    const [problem] = findGuideProblems(senderGuide({ issuer: { ruc: '20100070971', name: 'Secreto S.A.' } }));
    expect(JSON.parse(JSON.stringify(problem))).toMatchObject({
      name: 'GreValidationError',
      code: 'VALIDATION',
      field: 'issuer.ruc',
      rule: 'ruc-check-digit',
    });
    expect(JSON.stringify(problem)).not.toContain('Secreto');
  });
});
