import { createHash } from 'node:crypto';
import { despatchAdviceXml } from '@internal/testkit';
import fc from 'fast-check';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readDespatchAdvice } from '../src/document.js';
import { greService } from '../src/gre.js';
import { readSingleEntryZip } from '../src/zip.js';

const runs = Number(process.env.FUZZ_RUNS ?? 500);
const claims = { ruc: '20000000001', clientId: 'c', gre: true };
const BASE = '20000000001-09-T001-1';
const service = greService({ pendingPolls: 1, signature: 'ignore', errorShape: 'alternate' });

/** A 4xx JSON answer, or a stored 200: never a throw, never a 5xx. */
function expectClientAnswer(answer: { status: number; body: unknown; stored: boolean }): void {
  expect(answer.status === 200 ? answer.stored : answer.status >= 400 && answer.status < 500).toBe(true);
  expect(() => JSON.stringify(answer.body)).not.toThrow();
}

const envelope = (zip: Uint8Array): Buffer =>
  Buffer.from(
    JSON.stringify({
      archivo: {
        nomArchivo: `${BASE}.zip`,
        arcGreZip: Buffer.from(zip).toString('base64'),
        hashZip: createHash('sha256').update(zip).digest('hex'),
      },
    }),
  );
const validZip = zipSync({ [`${BASE}.xml`]: strToU8(despatchAdviceXml({ ruc: '20000000001', type: '09', series: 'T001', number: 1 })) });

describe('the send validators never crash', () => {
  it('on random bodies and paths', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), fc.string({ maxLength: 40 }), (bytes, path) => {
        expectClientAnswer(service.send(claims, path, Buffer.from(bytes), 'application/json'));
        expectClientAnswer(service.send(claims, BASE, Buffer.from(bytes), 'application/json'));
      }),
      { numRuns: runs },
    );
  });

  it('on random JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) =>
        expectClientAnswer(service.send(claims, BASE, Buffer.from(JSON.stringify(value) ?? 'null'), 'application/json')),
      ),
      { numRuns: runs },
    );
  });

  it('on random and mutated zips with a correct hash', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 4096 }),
          fc.tuple(fc.nat(validZip.length - 1), fc.integer({ min: 0, max: 255 }), fc.nat(validZip.length)).map(([i, v, cut]) => {
            const z = validZip.slice(0, Math.max(cut, 1));
            if (i < z.length) z[i] = v;
            return z;
          }),
        ),
        (zip) => expectClientAnswer(service.send(claims, BASE, envelope(zip), 'application/json')),
      ),
      { numRuns: runs },
    );
  });

  it('on random XML-ish text inside a valid zip', () => {
    const xmlish = fc.oneof(
      fc.string({ maxLength: 500 }),
      fc
        .array(
          fc.constantFrom(
            '<',
            '>',
            '/',
            'DespatchAdvice',
            'cbc:ID',
            ' xmlns="urn:oasis:names:specification:ubl:schema:xsd:DespatchAdvice-2"',
            '&amp;',
            '<!--',
            '-->',
            '"',
            '=',
            'T001-1',
            '<![CDATA[',
          ),
          { maxLength: 60 },
        )
        .map((a) => a.join('')),
    );
    fc.assert(
      fc.property(xmlish, (xml) => {
        expect(() => readDespatchAdvice(strToU8(xml))).not.toThrow();
        expectClientAnswer(service.send(claims, BASE, envelope(zipSync({ [`${BASE}.xml`]: strToU8(xml) })), 'application/json'));
      }),
      { numRuns: runs },
    );
  });

  it('readSingleEntryZip returns an entry or a catalogue code for any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1024 }), (bytes) => {
        const r = readSingleEntryZip(bytes);
        expect('problem' in r ? ['0155', '0156', '0157', '0158', '0159'].includes(r.problem) : r.data instanceof Uint8Array).toBe(true);
      }),
      { numRuns: runs },
    );
  });
});
