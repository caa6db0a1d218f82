import { fuzzRuns } from '@internal/testkit';
import fc from 'fast-check';
import { generateKeyPair } from 'gost2012';
import { describe, it } from 'vitest';
import { buildDebtRegistryDigest, buildDigest, SberDigestError, validateDebtRegistry, verifyDigestSignature } from '../src/index.js';

const RUNS = fuzzRuns(2000);
const { publicKey } = generateKeyPair('tc26-256-a');
const typed = (fn: () => unknown): boolean => {
  try {
    fn();
    return true;
  } catch (e) {
    return SberDigestError.isInstance(e);
  }
};

describe(`digest builders and the signature reader: SberDigestError only (${RUNS} runs each)`, () => {
  it('validateDebtRegistry and buildDebtRegistryDigest on anything, and on registries with hostile field values', () => {
    fc.assert(
      fc.property(fc.anything(), (x) => typed(() => validateDebtRegistry(x)) && typed(() => buildDebtRegistryDigest(x as never))),
      { numRuns: RUNS },
    );
    const value = fc.oneof(
      fc.anything(),
      fc.string({ unit: 'binary', maxLength: 60 }),
      fc.constantFrom('a\nb', 'k=v', 'TABLES', '#', '\uD800', ''),
    );
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('externalId', 'date', 'recordNum', 'fileId', 'bfAttachments', 'orgName', 'orgTaxNumber'), value),
        (r) => typed(() => validateDebtRegistry(r)) && typed(() => buildDebtRegistryDigest(r as never)),
      ),
      { numRuns: RUNS },
    );
  });

  it('buildDigest on hostile fields and tables', () => {
    const key = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('a', 'TABLES', 'Table', '#', 'a=b', 'x\ny'));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(key, fc.oneof(fc.string({ unit: 'binary', maxLength: 30 }), fc.integer(), fc.constant(null))), { maxLength: 6 }),
        fc.anything(),
        (fields, tables) => typed(() => buildDigest(fields as never)) && typed(() => buildDigest(fields as never, tables as never)),
      ),
      { numRuns: RUNS },
    );
  });

  it('verifyDigestSignature on random Base64 and random text: a boolean or a typed error', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('base64')),
          fc.string({ unit: 'binary', maxLength: 100 }),
        ),
        fc.string({ maxLength: 40 }),
        (sig, digest) => typed(() => verifyDigestSignature(digest, sig, { publicKey })),
      ),
      { numRuns: RUNS },
    );
  });
});
