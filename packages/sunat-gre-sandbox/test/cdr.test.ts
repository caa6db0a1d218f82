import { readFixture } from '@internal/testkit';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { buildCdrXml, buildCdrZip } from '../src/cdr.js';

const FIXTURE = readFixture('sunat/R-20000000001-09-T001-1.xml').toString('utf8');
const parser = new XMLParser({ ignoreAttributes: false, parseTagValue: false, htmlEntities: true });

/** The element paths of a parsed document, values dropped: its structure. */
function shape(node: unknown, prefix = ''): string[] {
  if (Array.isArray(node)) return node.flatMap((n) => shape(n, prefix));
  if (typeof node !== 'object' || node === null) return [prefix];
  return Object.entries(node).flatMap(([k, v]) => (k.startsWith('@_') ? [] : shape(v, `${prefix}/${k}`)));
}
const unique = (a: string[]): string[] => [...new Set(a)].sort();

const input = {
  baseName: '20000000001-09-T001-1',
  ruc: '20000000001',
  referenceId: 'T001-1',
  recipientRuc: '20000000002',
  responseCode: '0',
  description: 'El Comprobante  numero T001-1, ha sido aceptado',
  notes: ['4398 - El Número de placa no se encuentra en las bases consultadas, placa: ZZ1234'],
  receivedAt: new Date('2023-01-05T15:23:59.909Z'),
  respondedAt: new Date('2023-01-05T15:24:00.000Z'),
};

describe('the CDR', () => {
  it('has exactly the structure of SUNAT real GRE CDR', () => {
    const xml = buildCdrXml(input);
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(unique(shape(parser.parse(xml)))).toEqual(unique(shape(parser.parse(FIXTURE))));
  });

  it('carries the verdict, the note, Lima times and the QR URL', () => {
    const doc = parser.parse(buildCdrXml(input))['ar:ApplicationResponse'];
    expect(doc['cbc:IssueDate']).toBe('2023-01-05');
    expect(doc['cbc:IssueTime']).toBe('10:23:59.909');
    expect(doc['cbc:ResponseTime']).toBe('10:24:00');
    expect(doc['cbc:Note']).toBe(input.notes[0]);
    const response = doc['cac:DocumentResponse'];
    expect(response['cac:Response']).toMatchObject({ 'cbc:ReferenceID': 'T001-1', 'cbc:ResponseCode': '0' });
    expect(response['cac:DocumentReference']['cbc:DocumentDescription']).toMatch(
      /^https:\/\/e-factura\.sunat\.gob\.pe\/v1\/contribuyente\/gre\/comprobantes\/descargaqr\?hashqr=/,
    );
    expect(response['cac:RecipientParty']['cac:PartyIdentification']['cbc:ID']).toBe('6-20000000002');
  });

  it('a rejection CDR has the error code and no QR URL', () => {
    const doc = parser.parse(
      buildCdrXml({ ...input, responseCode: '2112', description: 'CustomizationID - La version del documento no es correcta', notes: [] }),
    )['ar:ApplicationResponse'];
    expect(doc['cac:DocumentResponse']['cac:Response']['cbc:ResponseCode']).toBe('2112');
    expect(doc['cac:DocumentResponse']['cac:DocumentReference']['cbc:DocumentDescription']).toBeUndefined();
  });

  it('is zipped as R-<name>.xml', () => {
    const files = unzipSync(buildCdrZip(input));
    expect(Object.keys(files)).toEqual(['R-20000000001-09-T001-1.xml']);
    expect(strFromU8(files['R-20000000001-09-T001-1.xml']!)).toContain('<cbc:ResponseCode>0</cbc:ResponseCode>');
  });
});
