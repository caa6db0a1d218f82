import { compactVerify, importJWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { base64url, JwsError, joseSigner, joseVerifier, parseCompact, signCompact, verifyCompact } from '../src/index.js';
import { A1, A2, A3, A4, A5, JWT_PAYLOAD, JWT_PAYLOAD_B64 } from './rfc7515.fixtures.js';

const publicPart = <T extends Record<string, unknown>>({ d, p, q, dp, dq, qi, ...rest }: T) => rest;
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('RFC 7515 fixtures are self-consistent', () => {
  it('encodings of the headers, the payload and the printed signature octets match the compact values', () => {
    expect(base64url.encode(JWT_PAYLOAD)).toBe(JWT_PAYLOAD_B64);
    expect(base64url.encode(A1.header)).toBe(A1.headerB64);
    expect(base64url.encode(A2.header)).toBe(A2.headerB64);
    expect(base64url.encode(A5.header)).toBe(A5.jws.split('.')[0]);
    expect(base64url.encode('{"alg":"ES256"}')).toBe(A3.headerB64);
    expect(base64url.encode('{"alg":"ES512"}')).toBe(A4.headerB64);
    expect(A1.jws.split('.')[2]).toBe(base64url.encode(new Uint8Array(A1.signatureOctets)));
    expect(A3.jws.split('.')[2]).toBe(base64url.encode(new Uint8Array(A3.signatureOctets)));
    for (const jws of [A1.jws, A2.jws, A3.jws]) expect(jws.split('.')[1]).toBe(JWT_PAYLOAD_B64);
  });
});

describe('RFC 7515 Appendix A', () => {
  it('A.1 (HS256) verifies and is reproduced byte for byte', async () => {
    const result = await verifyCompact(A1.jws, { verifier: joseVerifier(A1.jwk, 'HS256') });
    expect(text(result.payload)).toBe(JWT_PAYLOAD);
    expect(result.protectedHeader).toEqual({ typ: 'JWT', alg: 'HS256' });
    const ours = await signCompact(JWT_PAYLOAD, { protectedHeader: A1.header, signer: joseSigner(A1.jwk, 'HS256') });
    expect(ours).toBe(A1.jws);
  });

  it('A.2 (RS256) verifies and is reproduced byte for byte', async () => {
    await verifyCompact(A2.jws, { verifier: joseVerifier(publicPart(A2.jwk), 'RS256') });
    const ours = await signCompact(JWT_PAYLOAD, { protectedHeader: { alg: 'RS256' }, signer: joseSigner(A2.jwk, 'RS256') });
    expect(ours).toBe(A2.jws);
    // jose agrees on the published value too
    await compactVerify(A2.jws, await importJWK(publicPart(A2.jwk), 'RS256'));
  });

  it('A.3 (ES256) verifies; our ES256 signature with its key verifies in jose', async () => {
    const result = await verifyCompact(A3.jws, { verifier: joseVerifier(publicPart(A3.jwk), 'ES256') });
    expect(text(result.payload)).toBe(JWT_PAYLOAD);
    const ours = await signCompact(JWT_PAYLOAD, { protectedHeader: { alg: 'ES256' }, signer: joseSigner(A3.jwk, 'ES256') });
    await compactVerify(ours, await importJWK(publicPart(A3.jwk), 'ES256'));
  });

  it('A.4 (ES512) verifies', async () => {
    const result = await verifyCompact(A4.jws, { verifier: joseVerifier(publicPart(A4.jwk), 'ES512') });
    expect(text(result.payload)).toBe(A4.payload);
  });

  it('A.5 (unsecured) is refused by default and read only with allowNone', async () => {
    const verifier = joseVerifier(publicPart(A3.jwk), 'ES256');
    await expect(verifyCompact(A5.jws, { verifier })).rejects.toMatchObject({ code: 'ALG_NONE' });
    const result = await verifyCompact(A5.jws, { verifier, allowNone: true });
    expect(text(result.payload)).toBe(JWT_PAYLOAD);
  });

  it('a published signature with one changed byte fails for every example', async () => {
    const cases: [string, ReturnType<typeof joseVerifier>][] = [
      [A1.jws, joseVerifier(A1.jwk, 'HS256')],
      [A2.jws, joseVerifier(publicPart(A2.jwk), 'RS256')],
      [A3.jws, joseVerifier(publicPart(A3.jwk), 'ES256')],
      [A4.jws, joseVerifier(publicPart(A4.jwk), 'ES512')],
    ];
    for (const [jws, verifier] of cases) {
      const { signature } = parseCompact(jws);
      signature[5] ^= 0x01;
      const [h, p] = jws.split('.');
      const tampered = `${h}.${p}.${base64url.encode(signature)}`;
      const error = await verifyCompact(tampered, { verifier }).catch((e: unknown) => e);
      expect(JwsError.isInstance(error) && error.code).toBe('SIGNATURE_MISMATCH');
    }
  });
});
