import { fuzzRuns } from '@internal/testkit';
import fc from 'fast-check';
import { strToU8, zipSync } from 'fflate';
import { describe, it } from 'vitest';
import { readDespatchAdvice } from '../src/document.js';
import { readSingleEntryZip } from '../src/zip.js';

const RUNS = fuzzRuns(2000);
/** a full XML parse per run: half the shared count */
const XML_RUNS = fuzzRuns(2000, 0.5);

describe(`the sandbox's parsers never throw (${RUNS} runs each)`, () => {
  it('readSingleEntryZip: an entry or a SUNAT catalogue code for random bytes and random zips', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 1024 }),
          fc.dictionary(fc.string({ minLength: 1, maxLength: 20 }), fc.string({ maxLength: 100 }), { maxKeys: 3 }).map((d) => {
            try {
              return zipSync(Object.fromEntries(Object.entries(d).map(([k, v]) => [k, strToU8(v)])));
            } catch {
              return new Uint8Array(0);
            }
          }),
        ),
        (bytes) => {
          const r = readSingleEntryZip(bytes);
          return 'problem' in r ? ['0155', '0156', '0157', '0158', '0159'].includes(r.problem) : r.data instanceof Uint8Array;
        },
      ),
      { numRuns: RUNS },
    );
  });

  it(`readDespatchAdvice (${XML_RUNS} runs): a document or a problem code for random bytes`, () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 600 }),
          fc.string({ unit: 'binary', maxLength: 400 }).map((s) => strToU8(s)),
        ),
        (bytes) => {
          const r = readDespatchAdvice(bytes);
          return typeof r === 'object' && r !== null;
        },
      ),
      { numRuns: XML_RUNS },
    );
  });
});
