import fc from 'fast-check';
import { createCertificate, generateKeyPair } from 'gost2012';
import { describe, expect, it } from 'vitest';
import { cmsGostSigner, rawGostSigner, SberDigestError, signDigest, verifyDigestSignature } from '../src/index.js';
import { SEED_DIGEST, UUID_A } from './fixtures.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 200);

// Pure gost2012 keys and certificates: these checks run without OpenSSL.
const alice = generateKeyPair('tc26-256-a');
const mallory = generateKeyPair('tc26-256-a');
const aliceCert = createCertificate({ publicKey: alice.publicKey, signingKey: alice.privateKey, subject: { commonName: 'Alice' } });
const cmsSigner = cmsGostSigner({
  privateKey: alice.privateKey,
  certificate: aliceCert,
  certificateUuid: UUID_A,
  now: () => new Date('2051-01-02T03:04:05Z'),
});

describe('verifyDigestSignature (untrusted input)', () => {
  it('refuses a signature by another key of the same parameter set, raw and CMS', async () => {
    for (const signer of [rawGostSigner({ privateKey: alice.privateKey, certificateUuid: UUID_A }), cmsSigner]) {
      const { base64Encoded } = await signDigest(SEED_DIGEST, signer);
      expect(verifyDigestSignature(SEED_DIGEST, base64Encoded, { publicKey: alice.publicKey })).toBe(true);
      expect(verifyDigestSignature(SEED_DIGEST, base64Encoded, { publicKey: mallory.publicKey })).toBe(false);
    }
  });

  it('writes signingTime after 2049 as GeneralizedTime and still verifies', async () => {
    const der = await cmsSigner.sign(new TextEncoder().encode(SEED_DIGEST));
    expect(Buffer.from(der).includes(Buffer.from('20510102030405Z'))).toBe(true);
    expect(verifyDigestSignature(SEED_DIGEST, Buffer.from(der).toString('base64'), { certificate: aliceCert })).toBe(true);
  });

  it('property: a flipped bit in the last 160 bytes of the CMS (signature value, its algorithm, signed attributes) is refused', async () => {
    const der = await cmsSigner.sign(new TextEncoder().encode(SEED_DIGEST));
    // OpenSSL and we put the signer's SignerInfo last: its final 64 bytes are the signature value, before them the attributes.
    fc.assert(
      fc.property(fc.integer({ min: der.length - 160, max: der.length - 1 }), fc.integer({ min: 0, max: 7 }), (at, bit) => {
        const copy = new Uint8Array(der);
        copy[at]! ^= 1 << bit;
        expect(verifyDigestSignature(SEED_DIGEST, Buffer.from(copy).toString('base64'), { publicKey: alice.publicKey })).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });

  it('property: random or mutated signature data never throws, and never verifies another digest', async () => {
    const der = await cmsSigner.sign(new TextEncoder().encode(SEED_DIGEST));
    const mutated = fc.tuple(fc.nat(der.length - 1), fc.integer({ min: 1, max: 255 })).map(([at, x]) => {
      const copy = new Uint8Array(der);
      copy[at]! ^= x;
      return copy;
    });
    const data = fc.oneof(fc.uint8Array({ maxLength: 300 }), mutated, fc.uint8Array({ minLength: 64, maxLength: 64 }));
    fc.assert(
      fc.property(data, fc.constantFrom('auto', 'raw', 'cms') as fc.Arbitrary<'auto' | 'raw' | 'cms'>, (bytes, format) => {
        const result = verifyDigestSignature('other=digest', Buffer.from(bytes).toString('base64'), { publicKey: alice.publicKey, format });
        expect(result).toBe(false);
      }),
      { numRuns: RUNS },
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), (text) => {
        expect(typeof verifyDigestSignature(SEED_DIGEST, text, { publicKey: alice.publicKey })).toBe('boolean');
      }),
      { numRuns: RUNS },
    );
  });
});

describe('signDigest', () => {
  it('refuses an empty digest, a bad signer, and a signer that returns no bytes', async () => {
    const signer = rawGostSigner({ privateKey: alice.privateKey, certificateUuid: UUID_A });
    await expect(signDigest('', signer)).rejects.toMatchObject({ field: 'digest', rule: 'required' });
    await expect(signDigest('a=\ud800', signer)).rejects.toMatchObject({ field: 'digest', rule: 'utf8' });
    await expect(signDigest('a=b', { certificateUuid: 'x', sign: async () => new Uint8Array(1) })).rejects.toMatchObject({
      field: 'certificateUuid',
      rule: 'uuid',
    });
    await expect(signDigest('a=b', {} as never)).rejects.toMatchObject({ code: 'BAD_OPTIONS' });
    await expect(signDigest('a=b', { certificateUuid: UUID_A, sign: async () => 'sig' as never })).rejects.toMatchObject({
      code: 'SIGN_FAILED',
    });
    const err = await signDigest('a=b', { certificateUuid: UUID_A, sign: () => Promise.reject(new Error('token removed')) }).catch(
      (e: unknown) => e,
    );
    expect(SberDigestError.isInstance(err)).toBe(true);
    expect(err).toMatchObject({ code: 'SIGN_FAILED', cause: { message: 'token removed' } });
  });

  it('passes the digest as UTF-8 bytes, with no BOM and no trailing newline', async () => {
    let seen: Uint8Array | undefined;
    await signDigest('orgName=ООО Ромашка', { certificateUuid: UUID_A, sign: async (bytes) => ((seen = bytes), new Uint8Array([1])) });
    expect(Buffer.from(seen!).toString('hex')).toBe(Buffer.from('orgName=ООО Ромашка', 'utf8').toString('hex'));
  });
});
