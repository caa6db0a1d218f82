import { fuzzRuns } from '@internal/testkit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Base64UrlError, base64url, JwsError, parseCompact, verifyCompact } from '../src/index.js';

const RUNS = fuzzRuns(2000);
const typed = (fn: () => unknown, ...kinds: { isInstance(x: unknown): boolean }[]): boolean => {
  try {
    fn();
    return true;
  } catch (e) {
    return kinds.some((k) => k.isInstance(e));
  }
};
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const segment = fc.oneof(
  fc.string({ unit: fc.constantFrom(...B64.split('')), maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constant(''),
);
const headerSegment = fc.oneof(
  segment,
  fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v) ?? 'null').toString('base64url')),
  fc.constantFrom(Buffer.from('{"alg":"none"}').toString('base64url'), Buffer.from('{"alg":"HS256","alg":"none"}').toString('base64url')),
);

describe(`Base64Url and JWS decoders: typed errors only (${RUNS} runs each)`, () => {
  it('base64url.decode / decodeToString on any string, and on wrong types', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 200 }),
        (s) => typed(() => base64url.decode(s), Base64UrlError) && typed(() => base64url.decodeToString(s), Base64UrlError),
      ),
      { numRuns: RUNS },
    );
    fc.assert(
      fc.property(fc.anything(), (x) => typed(() => base64url.decode(x as never), Base64UrlError)),
      { numRuns: RUNS },
    );
    expect(() => base64url.decode(42 as never)).toThrow(Base64UrlError);
  });

  it('parseCompact on dotted strings built from hostile segments, and on wrong types', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(headerSegment, segment), { minLength: 1, maxLength: 5 }), (parts) =>
        typed(() => parseCompact(parts.join('.')), JwsError, Base64UrlError),
      ),
      { numRuns: RUNS },
    );
    fc.assert(
      fc.property(fc.anything(), (x) => typed(() => parseCompact(x as never), JwsError)),
      { numRuns: RUNS },
    );
  });

  it('verifyCompact with a hostile token rejects only with a typed error', async () => {
    const verifier = { alg: 'HS256', verify: async () => true };
    await fc.assert(
      fc.asyncProperty(fc.tuple(headerSegment, segment, segment), async ([h, p, s]) => {
        const e = await verifyCompact(`${h}.${p}.${s}`, { verifier, algorithms: ['HS256'] }).then(
          () => undefined,
          (x: unknown) => x,
        );
        return e === undefined || JwsError.isInstance(e) || Base64UrlError.isInstance(e);
      }),
      { numRuns: RUNS },
    );
  });
});
