import { ENTITY_BOMB_XML, readFixture, traversalZip, zipBomb } from '@internal/testkit';
import fc from 'fast-check';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { GreCdrError, parseCdr, readCdrXml, summarizeCdr } from '../src/index.js';

const FIXTURE = readFixture('sunat/cdrGRE.zip');
const FIXTURE_XML = readFixture('sunat/R-20000000001-09-T001-1.xml').toString('utf8');
const RUNS = Number(process.env.FUZZ_RUNS ?? 500);

function rule(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (GreCdrError.isInstance(e)) return e.rule;
    throw e;
  }
  throw new Error('expected a GreCdrError');
}

describe("parseCdr on SUNAT's real CDR (fixtures/sunat/cdrGRE.zip)", () => {
  it('reads code 0, reference T001-1, note 4398 and the document URL', () => {
    const cdr = parseCdr(new Uint8Array(FIXTURE));
    expect(cdr).toMatchObject({
      id: 'b1f343dc-8650-438a-005f-5170bddf57b9',
      responseCode: '0',
      description: 'El Comprobante  numero T001-1, ha sido aceptado',
      referenceId: 'T001-1',
      notes: [{ code: '4398', text: 'El Número de placa no se encuentra en las bases consultadas, placa: F2E836' }],
      documentUrl: 'https://e-factura.sunat.gob.pe/v1/contribuyente/gre/comprobantes/descargaqr?hashqr=xxxxxxxxxxxxxxxxxxxxxxxxxxx',
      issuedAt: '2023-01-05T10:23:59.909',
      respondedAt: '2023-01-05T10:24:00',
      fileName: 'R-20000000001-09-T001-1.xml',
    });
    // the zipped XML has CRLF line ends; the copy beside it LF
    expect(cdr.xml.replace(/\r\n/g, '\n')).toBe(FIXTURE_XML);
  });

  it('summarizeCdr keeps the outcome and drops the XML, file name and times', () => {
    const cdr = parseCdr(new Uint8Array(FIXTURE));
    const summary = summarizeCdr(cdr);
    expect(summary).toEqual({
      id: cdr.id,
      responseCode: '0',
      description: cdr.description,
      referenceId: 'T001-1',
      notes: cdr.notes,
      documentUrl: cdr.documentUrl,
    });
    expect('documentUrl' in summarizeCdr({ ...cdr, documentUrl: undefined })).toBe(false);
  });

  it('accepts the base64 text SUNAT puts in arcCdr (Buffer works too)', () => {
    expect(parseCdr(FIXTURE.toString('base64')).referenceId).toBe('T001-1');
    expect(parseCdr(FIXTURE).responseCode).toBe('0');
  });
});

describe('parseCdr refuses unsafe or broken input with GreCdrError', () => {
  it('a 1 GiB zip bomb fails on its declared size', () => {
    const bomb = zipBomb();
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    expect(rule(() => parseCdr(bomb))).toBe('entry-too-large');
  });

  it('a zip bomb that lies about its size stops inflating at the limit', () => {
    const bomb = zipBomb('R-20000000001-09-T001-1.xml', 64 * 1024 * 1024);
    const view = new DataView(bomb.buffer, bomb.byteOffset, bomb.byteLength);
    // rewrite the declared uncompressed size (local header and central directory) to 1 KB
    view.setUint32(22, 1024, true);
    const eocd = bomb.length - 22;
    const cd = view.getUint32(eocd + 16, true);
    view.setUint32(cd + 24, 1024, true);
    const before = process.memoryUsage().arrayBuffers;
    expect(rule(() => parseCdr(bomb, { maxEntryBytes: 1024 * 1024 }))).toBe('entry-too-large');
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(32 * 1024 * 1024);
  });

  it('path traversal, several entries, non-XML entries, other methods', () => {
    expect(rule(() => parseCdr(traversalZip()))).toBe('path');
    expect(rule(() => parseCdr(zipSync({ 'a.xml': strToU8('<a/>'), 'b.xml': strToU8('<b/>') })))).toBe('entry-count');
    expect(rule(() => parseCdr(zipSync({ 'a.txt': strToU8('<a/>') })))).toBe('entry-type');
    expect(rule(() => parseCdr(zipSync({})))).toBe('entry-count');
    expect(rule(() => parseCdr(new Uint8Array(100)))).toBe('not-a-zip');
  });

  it('a DTD (billion laughs) is refused before parsing', () => {
    expect(rule(() => parseCdr(zipSync({ 'R-x.xml': strToU8(ENTITY_BOMB_XML) })))).toBe('dtd');
    expect(rule(() => readCdrXml(ENTITY_BOMB_XML))).toBe('dtd');
  });

  it('a zip over the size limit, bad base64, a wrong CRC, a wrong root, a missing response code', () => {
    expect(rule(() => parseCdr(FIXTURE, { maxZipBytes: 100 }))).toBe('zip-too-large');
    expect(rule(() => parseCdr('not base64!'))).toBe('base64');
    const broken = new Uint8Array(FIXTURE);
    const cd = new DataView(broken.buffer).getUint32(broken.length - 22 + 16, true);
    new DataView(broken.buffer).setUint32(cd + 16, 12345, true);
    expect(rule(() => parseCdr(broken))).toBe('crc');
    expect(rule(() => readCdrXml('<Invoice/>'))).toBe('root');
    expect(rule(() => readCdrXml('<ar:ApplicationResponse xmlns:ar="x"/>'))).toBe('missing-field');
    expect(rule(() => readCdrXml(FIXTURE_XML.slice(0, 500)))).toBe('xml');
  });
});

describe('property: the CDR reader throws nothing but GreCdrError', () => {
  const onlyTyped = (fn: () => unknown): boolean => {
    try {
      fn();
      return true;
    } catch (e) {
      return GreCdrError.isInstance(e);
    }
  };

  it('random bytes and random strings', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), (b) => onlyTyped(() => parseCdr(b))),
      { numRuns: RUNS },
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 512 }), (s) => onlyTyped(() => parseCdr(s)) && onlyTyped(() => readCdrXml(s))),
      { numRuns: RUNS },
    );
  });

  it('the real CDR truncated anywhere or with bytes flipped', () => {
    fc.assert(
      fc.property(fc.nat(FIXTURE.length), (n) => onlyTyped(() => parseCdr(FIXTURE.subarray(0, n)))),
      { numRuns: RUNS },
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(FIXTURE.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        (flips) => {
          const b = new Uint8Array(FIXTURE);
          for (const [i, v] of flips) b[i] = v;
          return onlyTyped(() => parseCdr(b));
        },
      ),
      { numRuns: RUNS },
    );
    fc.assert(
      fc.property(fc.nat(FIXTURE_XML.length), (n) => onlyTyped(() => readCdrXml(FIXTURE_XML.slice(0, n)))),
      { numRuns: RUNS },
    );
  });

  it('zips of random XML-ish entries', () => {
    const xmlish = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.constantFrom(FIXTURE_XML, ENTITY_BOMB_XML, '<a>&#99999999;</a>', '<?xml version="1.0" encoding="ISO-8859-1"?><a/>'),
    );
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), xmlish, (name, xml) => {
        let zip: Uint8Array;
        try {
          zip = zipSync({ [name]: strToU8(xml) });
        } catch {
          return true; // fflate refuses some names itself: nothing to read
        }
        return onlyTyped(() => parseCdr(zip));
      }),
      { numRuns: RUNS },
    );
  });
});
