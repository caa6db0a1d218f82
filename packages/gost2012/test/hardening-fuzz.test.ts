import { fuzzRuns } from '@internal/testkit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  exportPrivateKeyPem,
  exportPublicKeyPem,
  GostError,
  generateKeyPair,
  importCertificate,
  importPrivateKey,
  importPublicKey,
  sign,
  streebog256,
  verify,
} from '../src/index.js';

const RUNS = fuzzRuns(2000);
const { privateKey, publicKey } = generateKeyPair('tc26-256-a');
const DER = [exportPrivateKeyPem(privateKey), exportPublicKeyPem(publicKey)].map(
  (pem) => new Uint8Array(Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64')),
);

/** Runs fn; true when it returned or threw a GostError, false on any other throw. */
const onlyGost = (fn: () => unknown): boolean => {
  try {
    fn();
    return true;
  } catch (e) {
    return GostError.isInstance(e);
  }
};
const importers = [importPrivateKey, importPublicKey, importCertificate] as const;
const pem = (label: string, b: Uint8Array): string =>
  `-----BEGIN ${label}-----\n${Buffer.from(b).toString('base64')}\n-----END ${label}-----\n`;

describe(`key import: nothing but GostError on hostile input (${RUNS} runs each)`, () => {
  it('random bytes, random text, random bytes inside PEM armour', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (b) => importers.every((imp) => onlyGost(() => imp(b)))),
      { numRuns: RUNS },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 512 }), (s) => importers.every((imp) => onlyGost(() => imp(s)))),
      { numRuns: RUNS },
    );
    fc.assert(
      fc.property(
        fc.constantFrom('PRIVATE KEY', 'PUBLIC KEY', 'CERTIFICATE', 'EC PRIVATE KEY'),
        fc.uint8Array({ maxLength: 256 }),
        (label, b) => importers.every((imp) => onlyGost(() => imp(pem(label, b)))),
      ),
      { numRuns: RUNS },
    );
  });

  it('real PKCS#8 / SPKI with flipped bytes or truncated', () => {
    fc.assert(
      fc.property(
        fc.nat(1),
        fc.array(fc.tuple(fc.nat(200), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
        fc.nat(200),
        (which, flips, cut) => {
          const der = DER[which]!.slice(0, Math.max(1, DER[which]!.length - (cut % 8)));
          for (const [i, v] of flips) der[i % der.length] = v;
          return importers.every((imp) => onlyGost(() => imp(der)));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('wrong types into every public entry point', () => {
    fc.assert(
      fc.property(fc.anything(), (x) =>
        [
          () => importPrivateKey(x as never),
          () => importPublicKey(x as never),
          () => streebog256(x as never),
          () => sign(x as never, privateKey),
          () => sign(new Uint8Array(1), x as never),
          () => verify(x as never, new Uint8Array(1), publicKey),
          () => verify(new Uint8Array(64), new Uint8Array(1), x as never),
          () => generateKeyPair(x as never),
        ].every(onlyGost),
      ),
      { numRuns: RUNS },
    );
    expect(() => streebog256(42 as never)).toThrow(GostError);
  });
});
