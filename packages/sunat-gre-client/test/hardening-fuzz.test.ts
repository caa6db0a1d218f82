import { fuzzRuns } from '@internal/testkit';
import fc from 'fast-check';
import { strToU8, zipSync } from 'fflate';
import { describe, it } from 'vitest';
import { GreCdrError, parseApiError, parseCdr, SunatApiError } from '../src/index.js';

const RUNS = fuzzRuns(2000);
/** zipping an entry per run costs ~2 ms: half the shared count */
const ZIP_RUNS = fuzzRuns(2000, 0.5);

describe(`response decoders at the shared run count (${RUNS} runs each)`, () => {
  it(`parseCdr (${ZIP_RUNS} runs): base64 of random zips and random bytes throws nothing but GreCdrError`, () => {
    const entry = fc.tuple(fc.string({ minLength: 1, maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 200 }));
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 1024 }),
          entry.map(([n, x]) => {
            try {
              return zipSync({ [n]: strToU8(x) });
            } catch {
              return new Uint8Array(0);
            }
          }),
        ),
        (bytes) => {
          for (const input of [bytes, Buffer.from(bytes).toString('base64')])
            try {
              parseCdr(input);
            } catch (e) {
              if (!GreCdrError.isInstance(e)) return false;
            }
          return true;
        },
      ),
      { numRuns: ZIP_RUNS },
    );
  });

  it('parseApiError: any status, body and content type gives a SunatApiError', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 599 }),
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 300 }),
          fc.jsonValue().map((v) => JSON.stringify(v) ?? ''),
        ),
        fc.option(fc.string({ maxLength: 40 })),
        (status, rawBody, contentType) =>
          SunatApiError.isInstance(parseApiError({ status, rawBody, contentType: contentType ?? undefined })),
      ),
      { numRuns: RUNS },
    );
  });
});
