import { createSecretKey, generateKeyPairSync } from 'node:crypto';
import { CompactSign, compactVerify, exportJWK, generateKeyPair, generateSecret } from 'jose';
import { describe, expect, it } from 'vitest';
import { JOSE_ALGORITHMS, JwsError, joseSigner, joseVerifier, signCompact, verifyCompact } from '../src/index.js';

const ALGS = ['HS256', 'RS256', 'PS256', 'ES256', 'ES384', 'EdDSA'] as const;
const payload = new TextEncoder().encode('{"sub":"interop","n":42}');

async function keysFor(alg: string) {
  if (alg.startsWith('HS')) {
    const secret = await generateSecret(alg, { extractable: true });
    return { privateKey: secret, publicKey: secret };
  }
  return generateKeyPair(alg, { extractable: true });
}

describe.each(ALGS)('%s interop with jose', (alg) => {
  it('ours verifies in jose compactVerify, jose CompactSign verifies in ours (CryptoKey)', async () => {
    const { privateKey, publicKey } = await keysFor(alg);
    const ours = await signCompact(payload, { protectedHeader: { alg, kid: 'k1' }, signer: joseSigner(privateKey, alg) });
    const checked = await compactVerify(ours, publicKey, { algorithms: [alg] });
    expect(checked.payload).toEqual(payload);
    expect(checked.protectedHeader).toEqual({ alg, kid: 'k1' });

    const theirs = await new CompactSign(payload).setProtectedHeader({ alg, typ: 'JOSE' }).sign(privateKey);
    const result = await verifyCompact(theirs, { verifier: joseVerifier(publicKey, alg), algorithms: [alg] });
    expect(result.payload).toEqual(payload);
    expect(result.protectedHeader).toEqual({ alg, typ: 'JOSE' });
  });

  it('accepts JWK keys, and a tampered JWS fails in both', async () => {
    const { privateKey, publicKey } = await keysFor(alg);
    const privateJwk = await exportJWK(privateKey);
    const publicJwk = alg.startsWith('HS') ? privateJwk : await exportJWK(publicKey);
    const ours = await signCompact({ a: 1 }, { protectedHeader: { alg }, signer: joseSigner(privateJwk, alg) });
    await verifyCompact(ours, { verifier: joseVerifier(publicJwk, alg) });
    const [h, , s] = ours.split('.');
    const tampered = `${h}.eyJhIjoyfQ.${s}`;
    await expect(compactVerify(tampered, publicKey)).rejects.toThrow();
    await expect(verifyCompact(tampered, { verifier: joseVerifier(publicJwk, alg) })).rejects.toMatchObject({ code: 'SIGNATURE_MISMATCH' });
  });
});

describe('joseSigner / joseVerifier keys', () => {
  it('accepts node KeyObjects (asymmetric and secret)', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const jws = await signCompact('x', { protectedHeader: { alg: 'ES384' }, signer: joseSigner(privateKey, 'ES384') });
    await verifyCompact(jws, { verifier: joseVerifier(publicKey, 'ES384') });
    await compactVerify(jws, publicKey);
    const secret = createSecretKey(Buffer.alloc(32, 7));
    const hs = await signCompact('x', { protectedHeader: { alg: 'HS512' }, signer: joseSigner(secret, 'HS512') });
    await verifyCompact(hs, { verifier: joseVerifier(new Uint8Array(32).fill(7), 'HS512') });
  });

  it('refuses keys that do not fit the algorithm with BAD_KEY, and unknown algorithms with UNSUPPORTED_ALG', async () => {
    const es256 = await generateKeyPair('ES256');
    const es384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const rsa1024 = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const bad: [ReturnType<typeof joseSigner>, string][] = [
      [joseSigner(es256.publicKey, 'ES256'), 'ES256'], // public key cannot sign
      [joseSigner(es384.privateKey, 'ES256'), 'ES256'], // wrong curve
      [joseSigner(rsa1024.privateKey, 'RS256'), 'RS256'], // < 2048 bits
      [joseSigner(es256.privateKey, 'PS256'), 'PS256'],
      [joseSigner({ kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA' } as never, 'ES256'), 'ES256'],
      [joseSigner('not a key' as never, 'ES256'), 'ES256'],
    ];
    for (const [signer, alg] of bad) {
      const error = await signCompact('x', { protectedHeader: { alg }, signer }).catch((e: unknown) => e);
      expect(JwsError.isInstance(error) && error.code).toBe('BAD_KEY');
    }
    const jws = await signCompact('x', { protectedHeader: { alg: 'ES256' }, signer: joseSigner(es256.privateKey, 'ES256') });
    await expect(verifyCompact(jws, { verifier: joseVerifier(es256.privateKey, 'ES256') })).rejects.toMatchObject({ code: 'BAD_KEY' });
    expect(() => joseSigner(es256.privateKey, 'ES257')).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_ALG' }));
    expect(() => joseVerifier(es256.publicKey, 'none')).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_ALG' }));
    expect(JOSE_ALGORITHMS).toEqual(
      expect.arrayContaining([...ALGS, 'HS384', 'HS512', 'RS384', 'RS512', 'PS384', 'PS512', 'ES512', 'Ed25519']),
    );
  });

  it('a signature of the wrong size is a mismatch, not a crash', async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const jws = await signCompact('x', { protectedHeader: { alg: 'RS256' }, signer: joseSigner(privateKey, 'RS256') });
    const [h, p] = jws.split('.');
    for (const sig of ['', 'AAAA', 'A'.repeat(400)]) {
      await expect(verifyCompact(`${h}.${p}.${sig}`, { verifier: joseVerifier(publicKey, 'RS256') })).rejects.toMatchObject({
        code: 'SIGNATURE_MISMATCH',
      });
    }
  });
});
