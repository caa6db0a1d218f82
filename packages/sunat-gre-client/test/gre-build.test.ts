import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { buildDespatchAdvice, findGuideProblems, guideFileBaseName } from '../src/gre/index.js';
import { carrierGuide, RUC, senderGuide } from './gre-fixtures.js';

const REPEATED = new Set(['cac:DespatchLine', 'cac:DriverPerson', 'cac:AdditionalDocumentReference', 'cac:AttachedTransportEquipment']);
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  trimValues: false,
  isArray: (name) => REPEATED.has(name),
});
const ordered = new XMLParser({ preserveOrder: true, ignoreAttributes: true });

type Node = Record<string, any>;
const parse = (xml: string): Node => parser.parse(xml).DespatchAdvice;
/** Text of an element that may carry attributes. */
const t = (n: unknown): string => (typeof n === 'string' ? n : (n as Node)['#text']);

/** Child element names, in document order, of the element found by following `path` from the root. */
function childOrder(xml: string, path: string[]): string[] {
  let nodes: Node[] = ordered.parse(xml);
  for (const name of ['DespatchAdvice', ...path]) nodes = nodes.find((n) => name in n)![name];
  return nodes.map((n) => Object.keys(n)[0]!).filter((k) => !k.startsWith('#'));
}

/** Sequences of UBL-DespatchAdvice-2.1.xsd and the UBL 2.1 common aggregates (the elements GRE uses). */
const XSD: Record<string, string[]> = {
  root: [
    'ext:UBLExtensions',
    'cbc:UBLVersionID',
    'cbc:CustomizationID',
    'cbc:ProfileID',
    'cbc:ID',
    'cbc:IssueDate',
    'cbc:IssueTime',
    'cbc:DespatchAdviceTypeCode',
    'cbc:Note',
    'cac:OrderReference',
    'cac:AdditionalDocumentReference',
    'cac:Signature',
    'cac:DespatchSupplierParty',
    'cac:DeliveryCustomerParty',
    'cac:BuyerCustomerParty',
    'cac:SellerSupplierParty',
    'cac:Shipment',
    'cac:DespatchLine',
  ],
  shipment: [
    'cbc:ID',
    'cbc:HandlingCode',
    'cbc:HandlingInstructions',
    'cbc:Information',
    'cbc:GrossWeightMeasure',
    'cbc:NetWeightMeasure',
    'cbc:TotalTransportHandlingUnitQuantity',
    'cbc:SpecialInstructions',
    'cac:Consignment',
    'cac:ShipmentStage',
    'cac:Delivery',
    'cac:TransportHandlingUnit',
    'cac:FirstArrivalPortLocation',
  ],
  stage: [
    'cbc:ID',
    'cbc:TransportModeCode',
    'cac:TransitPeriod',
    'cac:CarrierParty',
    'cac:TransportMeans',
    'cac:LoadingTransportEvent',
    'cac:DriverPerson',
  ],
  line: ['cbc:ID', 'cbc:DeliveredQuantity', 'cac:OrderLineReference', 'cac:Item'],
  item: ['cbc:Description', 'cac:SellersItemIdentification', 'cac:CommodityClassification', 'cac:AdditionalItemProperty'],
  equipment: ['cbc:ID', 'cac:ApplicableTransportMeans', 'cac:AttachedTransportEquipment', 'cac:ShipmentDocumentReference'],
  despatch: ['cac:DespatchAddress', 'cac:DespatchLocation', 'cac:DespatchParty'],
  address: ['cbc:ID', 'cbc:AddressTypeCode', 'cac:AddressLine', 'cac:Country', 'cac:LocationCoordinate'],
  coordinate: ['cbc:CoordinateSystemCode', 'cbc:LatitudeDegreesMeasure', 'cbc:LongitudeDegreesMeasure'],
  consignment: ['cbc:ID', 'cac:LogisticsOperatorParty'],
  party: ['cac:PartyIdentification', 'cac:PartyName', 'cac:PartyLegalEntity'],
};
function expectXsdOrder(actual: string[], sequence: string[]): void {
  const positions = actual.map((name) => sequence.indexOf(name));
  expect(positions, `${actual.join(', ')} not in the schema's sequence`).not.toContain(-1);
  expect([...positions].sort((a, b) => a - b)).toEqual(positions);
}

describe('buildDespatchAdvice', () => {
  it('writes every field of a full 09 guide at its SUNAT XPath, with non-ASCII names intact', () => {
    const g = senderGuide();
    const xml = buildDespatchAdvice(g);
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(
      xml.startsWith(
        '<?xml version="1.0" encoding="UTF-8"?>\n<DespatchAdvice xmlns="urn:oasis:names:specification:ubl:schema:xsd:DespatchAdvice-2"',
      ),
    ).toBe(true);
    const d = parse(xml);
    expect(d['@xmlns:cac']).toBe('urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2');
    expect(d['@xmlns:cbc']).toBe('urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2');
    expect(d['@xmlns:ext']).toBe('urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2');
    expect(d['@xmlns:ds']).toBe('http://www.w3.org/2000/09/xmldsig#');
    expect(d['ext:UBLExtensions']['ext:UBLExtension']['ext:ExtensionContent']).toBe('');
    expect(d['cbc:UBLVersionID']).toBe('2.1');
    expect(d['cbc:CustomizationID']).toBe('2.0');
    expect(d['cbc:ID']).toBe('T001-123');
    expect(guideFileBaseName(g)).toBe(`${RUC.sender}-09-T001-123`);
    expect(d['cbc:IssueDate']).toBe('2026-01-05');
    expect(d['cbc:IssueTime']).toBe('10:23:59');
    expect(d['cbc:DespatchAdviceTypeCode']).toMatchObject({
      '#text': '09',
      '@listURI': 'urn:pe:gob:sunat:cpe:see:gem:catalogos:catalogo01',
    });
    expect(d['cbc:Note']).toBe('Entregar en almacén "B"');
    const rel = d['cac:AdditionalDocumentReference'][0];
    expect(t(rel['cbc:ID'])).toBe('F001-456');
    expect(rel['cbc:DocumentTypeCode']).toMatchObject({ '#text': '01', '@listURI': 'urn:pe:gob:sunat:cpe:see:gem:catalogos:catalogo61' });
    expect(rel['cbc:DocumentType']).toBe('Factura');
    expect(rel['cac:IssuerParty']['cac:PartyIdentification']['cbc:ID']).toMatchObject({ '#text': RUC.sender, '@schemeID': '6' });
    const sig = d['cac:Signature'];
    expect(sig['cbc:ID']).toBe('SignSUNAT');
    expect(sig['cac:SignatoryParty']['cac:PartyIdentification']['cbc:ID']).toBe(RUC.sender);
    expect(sig['cac:SignatoryParty']['cac:PartyName']['cbc:Name']).toBe('Compañía Peruana de Envíos S.A.C.');
    expect(sig['cac:DigitalSignatureAttachment']['cac:ExternalReference']['cbc:URI']).toBe('#SignSUNAT');
    const supplier = d['cac:DespatchSupplierParty']['cac:Party'];
    expect(supplier['cac:PartyIdentification']['cbc:ID']).toMatchObject({
      '#text': RUC.sender,
      '@schemeID': '6',
      '@schemeURI': 'urn:pe:gob:sunat:cpe:see:gem:catalogos:catalogo06',
    });
    expect(supplier['cac:PartyLegalEntity']['cbc:RegistrationName']).toBe('Compañía Peruana de Envíos S.A.C.');
    const customer = d['cac:DeliveryCustomerParty']['cac:Party'];
    expect(customer['cac:PartyIdentification']['cbc:ID']).toMatchObject({ '#text': RUC.recipient, '@schemeID': '6' });
    expect(customer['cac:PartyLegalEntity']['cbc:RegistrationName']).toBe('Distribuidora Ñandú & Hijos <Perú>');
    const s = d['cac:Shipment'];
    expect(s['cbc:ID']).toBe('SUNAT_Envio');
    expect(s['cbc:HandlingCode']).toMatchObject({ '#text': '01', '@listURI': 'urn:pe:gob:sunat:cpe:see:gem:catalogos:catalogo20' });
    expect(s['cbc:GrossWeightMeasure']).toEqual({ '#text': '1250.500', '@unitCode': 'KGM' });
    expect(s['cbc:TotalTransportHandlingUnitQuantity']).toBe('12');
    const stage = s['cac:ShipmentStage'];
    expect(stage['cbc:TransportModeCode']).toMatchObject({
      '#text': '02',
      '@listURI': 'urn:pe:gob:sunat:cpe:see:gem:catalogos:catalogo18',
    });
    expect(stage['cac:TransitPeriod']['cbc:StartDate']).toBe('2026-01-06');
    const driver = stage['cac:DriverPerson'][0];
    expect(driver['cbc:ID']).toMatchObject({ '#text': '45678912', '@schemeID': '1' });
    expect(driver['cbc:FirstName']).toBe('José Ángel');
    expect(driver['cbc:FamilyName']).toBe('Muñoz Pérez');
    expect(driver['cbc:JobTitle']).toBe('Principal');
    expect(driver['cac:IdentityDocumentReference']['cbc:ID']).toBe('Q45678912');
    const arrival = s['cac:Delivery']['cac:DeliveryAddress'];
    expect(arrival['cbc:ID']).toEqual({ '#text': '040101', '@schemeAgencyName': 'PE:INEI', '@schemeName': 'Ubigeos' });
    expect(arrival['cac:AddressLine']['cbc:Line']).toBe('Calle Mercaderes 210, Arequipa');
    const start = s['cac:Delivery']['cac:Despatch']['cac:DespatchAddress'];
    expect(t(start['cbc:ID'])).toBe('150203');
    expect(start['cbc:AddressTypeCode']).toMatchObject({ '#text': '0001', '@listID': RUC.sender });
    expect(start['cac:AddressLine']['cbc:Line']).toBe('Av. Argentina 1234, Callao');
    const equipment = s['cac:TransportHandlingUnit']['cac:TransportEquipment'];
    expect(equipment['cbc:ID']).toBe('ABC123');
    expect(equipment['cac:ApplicableTransportMeans']).toBeUndefined(); // a 09 carries no TUC (3452) without the carrier's-vehicles indicator
    expect(equipment['cac:AttachedTransportEquipment'][0]['cbc:ID']).toBe('XYZ987');
    const lines = d['cac:DespatchLine'];
    expect(lines).toHaveLength(2);
    expect(lines[0]['cbc:ID']).toBe('1');
    expect(lines[0]['cbc:DeliveredQuantity']).toEqual({ '#text': '10', '@unitCode': 'NIU' });
    expect(lines[0]['cac:OrderLineReference']['cbc:LineID']).toBe('1');
    expect(lines[0]['cac:Item']['cbc:Description']).toBe('Cajas de café orgánico');
    expect(lines[0]['cac:Item']['cac:SellersItemIdentification']['cbc:ID']).toBe('CAF-01');
    expect(lines[0]['cac:Item']['cac:CommodityClassification']['cbc:ItemClassificationCode']).toMatchObject({
      '#text': '50201706',
      '@listID': 'UNSPSC',
    });
    expect(lines[1]['cbc:DeliveredQuantity']).toEqual({ '#text': '2.5', '@unitCode': 'KGM' });
    expect(lines[1]['cac:Item']['cbc:Description']).toBe('Azúcar rubia');
    // UTF-8 bytes of the non-ASCII names, not character references
    expect(Buffer.from(xml, 'utf8').includes(Buffer.from('Ñandú', 'utf8'))).toBe(true);
    expect(xml).not.toMatch(/&#/);
  });

  it('writes every field of a full 31 guide: carrier as issuer, sender as DespatchParty, vehicles and drivers', () => {
    const g = carrierGuide();
    const xml = buildDespatchAdvice(g);
    const d = parse(xml);
    expect(d['cbc:ID']).toBe('VA28-7');
    expect(guideFileBaseName(g)).toBe(`${RUC.carrier}-31-VA28-7`);
    expect(t(d['cbc:DespatchAdviceTypeCode'])).toBe('31');
    const supplier = d['cac:DespatchSupplierParty']['cac:Party'];
    expect(t(supplier['cac:PartyIdentification']['cbc:ID'])).toBe(RUC.carrier);
    expect(supplier['cac:PartyLegalEntity']['cbc:RegistrationName']).toBe('Transportes Andinos E.I.R.L.');
    expect(supplier['cac:PartyLegalEntity']['cbc:CompanyID']).toBe('1587462CNG');
    const customer = d['cac:DeliveryCustomerParty']['cac:Party'];
    expect(customer['cac:PartyIdentification']['cbc:ID']).toMatchObject({ '#text': '41784439', '@schemeID': '1' });
    expect(customer['cac:PartyLegalEntity']['cbc:RegistrationName']).toBe('María Fernández Núñez');
    const rel = d['cac:AdditionalDocumentReference'][0];
    expect(t(rel['cbc:DocumentTypeCode'])).toBe('09');
    expect(rel['cbc:DocumentType']).toBe('Guía de Remisión Remitente');
    const s = d['cac:Shipment'];
    expect(s['cbc:HandlingCode']).toBeUndefined();
    expect(s['cbc:GrossWeightMeasure']).toEqual({ '#text': '3.250', '@unitCode': 'TNE' });
    const drivers = s['cac:ShipmentStage']['cac:DriverPerson'];
    expect(
      drivers.map((x: Node) => [
        t(x['cbc:ID']),
        x['cbc:ID']['@schemeID'],
        x['cbc:FirstName'],
        x['cbc:FamilyName'],
        x['cbc:JobTitle'],
        x['cac:IdentityDocumentReference']['cbc:ID'],
      ]),
    ).toEqual([
      ['12345678', '1', 'Raúl', 'Quispe Mamani', 'Principal', 'Q12345678'],
      ['001234567', '4', 'Iñigo', 'Zúñiga', 'Secundario', 'B98765432'],
    ]);
    const sender = s['cac:Delivery']['cac:Despatch']['cac:DespatchParty'];
    expect(sender['cac:PartyIdentification']['cbc:ID']).toMatchObject({ '#text': RUC.sender, '@schemeID': '6' });
    expect(sender['cac:PartyLegalEntity']['cbc:RegistrationName']).toBe('Compañía Peruana de Envíos S.A.C.');
    expect(t(s['cac:Delivery']['cac:DeliveryAddress']['cbc:ID'])).toBe('080101');
    expect(t(s['cac:Delivery']['cac:Despatch']['cac:DespatchAddress']['cbc:ID'])).toBe('150101');
    expect(s['cac:TransportHandlingUnit']['cac:TransportEquipment']['cbc:ID']).toBe('F1A234');
    expect(d['cac:DespatchLine'][0]['cbc:DeliveredQuantity']).toEqual({ '#text': '100', '@unitCode': 'BX' });
  });

  it('keeps the element order of the UBL DespatchAdvice schema', () => {
    const s09 = senderGuide().shipment;
    const publicWithCrew = senderGuide({
      shipment: {
        ...s09,
        mode: '01',
        indicators: ['SUNAT_Envio_IndicadorVehiculoConductoresTransp'],
        carrier: { ruc: RUC.carrier, name: 'T', mtcRegistration: 'M1' },
      },
    });
    const dam = '118-2026-10-123456';
    const importGuide = senderGuide({
      recipient: { documentType: '6', documentNumber: RUC.recipient, name: 'Importadora S.A.' },
      buyer: { documentType: '1', documentNumber: '41784439', name: 'María' },
      relatedDocuments: [{ type: '50', number: dam }],
      shipment: {
        ...s09,
        reason: '08',
        netWeight: 1000,
        packages: 3,
        indicators: ['SUNAT_Envio_IndicadorTransbordoProgramado'],
        port: { kind: 'port', code: 'CLL' },
        start: { ubigeo: '070101', address: 'Callao' },
      },
      lines: [
        {
          quantity: 1,
          unitCode: 'KG',
          description: 'Repuestos',
          code: 'R1',
          sunatProductCode: '50201706',
          customs: { declaration: dam, item: 1 },
        },
      ],
    });
    for (const xml of [buildDespatchAdvice(publicWithCrew), buildDespatchAdvice(importGuide), buildDespatchAdvice(carrierGuide())]) {
      expectXsdOrder(childOrder(xml, []), XSD.root!);
      expectXsdOrder(childOrder(xml, ['cac:Shipment']), XSD.shipment!);
      expectXsdOrder(childOrder(xml, ['cac:Shipment', 'cac:ShipmentStage']), XSD.stage!);
      expectXsdOrder(childOrder(xml, ['cac:Shipment', 'cac:Delivery', 'cac:Despatch']), XSD.despatch!);
      expectXsdOrder(childOrder(xml, ['cac:Shipment', 'cac:TransportHandlingUnit', 'cac:TransportEquipment']), XSD.equipment!);
      expectXsdOrder(childOrder(xml, ['cac:DespatchLine']), XSD.line!);
      expectXsdOrder(childOrder(xml, ['cac:DespatchLine', 'cac:Item']), XSD.item!);
    }
    // the carrier of public transport (09, mode 01) is a CarrierParty in the stage
    const d = parse(
      buildDespatchAdvice(
        senderGuide({
          shipment: {
            ...senderGuide().shipment,
            mode: '01',
            vehicles: undefined,
            drivers: undefined,
            carrier: { ruc: RUC.carrier, name: 'Trans Ñ', mtcRegistration: 'M1' },
          },
        }),
      ),
    );
    const carrier = d['cac:Shipment']['cac:ShipmentStage']['cac:CarrierParty'];
    expect(carrier['cac:PartyIdentification']['cbc:ID']).toMatchObject({ '#text': RUC.carrier, '@schemeID': '6' });
    expect(carrier['cac:PartyLegalEntity']).toEqual({ 'cbc:RegistrationName': 'Trans Ñ', 'cbc:CompanyID': 'M1' });
    expect(d['cac:Shipment']['cac:TransportHandlingUnit']).toBeUndefined();
  });

  it('writes the subcontractor, georeferenced points and tariff subheadings where SUNAT reads them, in schema order', () => {
    const c = carrierGuide();
    const xml = buildDespatchAdvice(
      carrierGuide({
        relatedDocuments: [
          { type: '09', number: 'T001-123', issuerRuc: RUC.sender },
          { type: '80', number: '99887766' },
        ],
        subcontractor: { ruc: RUC.other, name: 'Logística Ñ S.A.C.' },
        shipment: {
          ...c.shipment,
          indicators: ['SUNAT_Envio_IndicadorTrasporteSubcontratado'],
          start: { ...c.shipment.start, coordinates: { latitude: -12.0464, longitude: '-77.04280000' } },
          arrival: {
            ...c.shipment.arrival,
            establishmentCode: '0002',
            establishmentRuc: RUC.sender,
            coordinates: { latitude: 1e-7, longitude: 180 },
          },
        },
        lines: [{ quantity: 1, unitCode: 'NIU', description: 'Alcohol', tariffSubheading: '2207100000' }],
      }),
    );
    expectXsdOrder(childOrder(xml, ['cac:Shipment']), XSD.shipment!);
    expectXsdOrder(childOrder(xml, ['cac:Shipment', 'cac:Consignment']), XSD.consignment!);
    expectXsdOrder(childOrder(xml, ['cac:Shipment', 'cac:Consignment', 'cac:LogisticsOperatorParty']), XSD.party!);
    expectXsdOrder(childOrder(xml, ['cac:Shipment', 'cac:Delivery', 'cac:DeliveryAddress']), XSD.address!);
    expectXsdOrder(childOrder(xml, ['cac:Shipment', 'cac:Delivery', 'cac:Despatch', 'cac:DespatchAddress']), XSD.address!);
    expectXsdOrder(childOrder(xml, ['cac:Shipment', 'cac:Delivery', 'cac:DeliveryAddress', 'cac:LocationCoordinate']), XSD.coordinate!);
    const s = parse(xml)['cac:Shipment'];
    const operator = s['cac:Consignment']['cac:LogisticsOperatorParty'];
    expect(operator['cac:PartyIdentification']['cbc:ID']).toMatchObject({ '#text': RUC.other, '@schemeID': '6' });
    expect(operator['cac:PartyLegalEntity']['cbc:RegistrationName']).toBe('Logística Ñ S.A.C.');
    const start = s['cac:Delivery']['cac:Despatch']['cac:DespatchAddress']['cac:LocationCoordinate'];
    expect(start['cbc:LatitudeDegreesMeasure']).toEqual({ '#text': '-12.0464', '@unitCode': 'DD' });
    expect(start['cbc:LongitudeDegreesMeasure']['#text']).toBe('-77.04280000'); // a string keeps its digits
    const arrival = s['cac:Delivery']['cac:DeliveryAddress']['cac:LocationCoordinate'];
    expect(arrival['cbc:LatitudeDegreesMeasure']['#text']).toBe('0.0000001'); // no exponent
    expect(arrival['cbc:LongitudeDegreesMeasure']['#text']).toBe('180');
    const property = parse(xml)['cac:DespatchLine'][0]['cac:Item']['cac:AdditionalItemProperty'];
    expect(property['cbc:NameCode']['#text']).toBe('7020');
    expect(property['cbc:Value']).toBe('2207100000');
  });

  it('refuses a subcontractor without its indicator, a subcontracted 31 without one, and bad coordinates', () => {
    const c = carrierGuide();
    const problems = (g: Parameters<typeof findGuideProblems>[0]) => findGuideProblems(g).map((p) => `${p.field} ${p.rule}`);
    expect(problems(carrierGuide({ subcontractor: { ruc: RUC.other, name: 'L' } }))).toEqual(['subcontractor subcontracted-indicator']);
    expect(problems(carrierGuide({ shipment: { ...c.shipment, indicators: ['SUNAT_Envio_IndicadorTrasporteSubcontratado'] } }))).toEqual([
      'subcontractor subcontractor-required',
    ]);
    expect(
      problems(
        carrierGuide({ shipment: { ...c.shipment, start: { ...c.shipment.start, coordinates: { latitude: 91, longitude: Number.NaN } } } }),
      ),
    ).toEqual(['shipment.start.coordinates.latitude coordinate-range', 'shipment.start.coordinates.longitude coordinate-format']);
    expect(problems(carrierGuide({ lines: [{ ...c.lines[0]!, tariffSubheading: '12345678901' }] }))).toEqual([
      'lines[0].tariffSubheading tariff-subheading-format',
    ]);
  });

  it('escapes markup in text and attributes, and normalises CR/CRLF to LF as XML parsers do', () => {
    const xml = buildDespatchAdvice(senderGuide({ note: 'a & b < c > d "e" \'f\' ]]> \r\nx\ry', signatureId: 'Sig_1.a-b' }));
    expect(XMLValidator.validate(xml)).toBe(true);
    const d = parse(xml);
    expect(d['cbc:Note']).toBe('a & b < c > d "e" \'f\' ]]> \nx\ny');
    expect(d['cac:Signature']['cbc:ID']).toBe('Sig_1.a-b');
  });

  it('pads nothing: the number is written as SUNAT names the file (greenter style)', () => {
    expect(parse(buildDespatchAdvice(senderGuide({ number: '00000042' })))['cbc:ID']).toBe('T001-42');
    expect(guideFileBaseName(senderGuide({ number: '00000042' }))).toBe(`${RUC.sender}-09-T001-42`);
  });
});
