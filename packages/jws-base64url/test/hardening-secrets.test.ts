import { createPrivateKey, createSecretKey, generateKeyPairSync, webcrypto } from 'node:crypto';
import { caseTable, expectNoSecret, failureOf, surfacesOf } from '@internal/testkit';
import { type GostPrivateKey, privateKeyFromRaw } from 'gost2012';
import { describe, expect, it } from 'vitest';
import {
  Base64UrlError,
  base64url,
  gostSigner,
  JwsError,
  type JwsErrorCode,
  joseSigner,
  joseVerifier,
  type Signer,
  signCompact,
  verifyCompact,
} from '../src/index.js';

// Fixed, recognisable key material: an HMAC secret, a GOST scalar, and one EC / RSA private key each.
const HMAC = Buffer.from('4a7f0c9e1d2b3a4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4', 'hex');
const HMAC_JWK = { kty: 'oct', k: HMAC.toString('base64url') };
const GOST_SCALAR = Buffer.from('7e1c2d3b4a5968778695a4b3c2d1e0f0e1d2c3b4a5968778695a4b3c2d1e0f01', 'hex');
const GOST_KEY = privateKeyFromRaw('tc26-256-a', GOST_SCALAR);
const EC = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const EC_JWK = EC.privateKey.export({ format: 'jwk' }) as Record<string, string>;
const EC384_JWK = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({ format: 'jwk' }) as Record<string, string>;
const RSA_SMALL = generateKeyPairSync('rsa', { modulusLength: 1024 });
const RSA_JWK = RSA_SMALL.privateKey.export({ format: 'jwk' }) as Record<string, string>;
const EC_PEM = EC.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
const SECRETS = {
  hmac: HMAC,
  gostScalar: GOST_SCALAR,
  ecD: Buffer.from(EC_JWK.d!, 'base64url'),
  ec384D: Buffer.from(EC384_JWK.d!, 'base64url'),
  rsaD: Buffer.from(RSA_JWK.d!, 'base64url'),
  rsaP: Buffer.from(RSA_JWK.p!, 'base64url'),
  // JSON.stringify(Buffer) lists the bytes in decimal
  hmacDecimal: [...HMAC].join(','),
  ecPemTail: EC_PEM.replace(/-----[A-Z ]+-----|\s/g, '').slice(20, 80),
};

const hs = joseSigner(HMAC, 'HS256');
const otherHs = joseSigner(Buffer.alloc(32, 7), 'HS256');
const sha384Hmac = await webcrypto.subtle.importKey('raw', HMAC, { name: 'HMAC', hash: 'SHA-384' }, false, ['sign']);
const smallRsa = await webcrypto.subtle.importKey('jwk', RSA_JWK, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
const forgedGost = { type: 'private', paramSet: 'tc26-256-a', size: 256, scalar: GOST_SCALAR } as unknown as GostPrivateKey;
const KID = '2b7c9a4e-1f3d-4e5a-8b6c-7d8e9f0a1b2c';

const signWith = (signer: Signer, header: Record<string, unknown> | string = { alg: signer.alg }, payload: unknown = 'payload') =>
  signCompact(payload as string, { protectedHeader: header, signer });
const jwsBy = (signer: Signer, header: Record<string, unknown>) => signCompact('payload', { protectedHeader: header, signer });
const hsJws = await jwsBy(hs, { alg: 'HS256' });
const otherJws = await jwsBy(otherHs, { alg: 'HS256' });

type Case = [name: string, code: JwsErrorCode | `B64_${string}`, run: () => unknown];
const CASES: Case[] = [
  // setting up signers with the key in scope
  ['joseSigner: unknown alg', 'UNSUPPORTED_ALG', () => joseSigner(HMAC, 'HS999')],
  ['joseSigner: arguments swapped (Buffer as alg)', 'UNSUPPORTED_ALG', () => joseSigner('HS256' as never, HMAC as never)],
  ['joseSigner: arguments swapped (bytes as alg)', 'UNSUPPORTED_ALG', () => joseSigner('HS256' as never, new Uint8Array(HMAC) as never)],
  ['joseSigner: arguments swapped (JWK as alg)', 'UNSUPPORTED_ALG', () => joseSigner('ES256' as never, EC_JWK as never)],
  ['joseVerifier: arguments swapped (JWK as alg)', 'UNSUPPORTED_ALG', () => joseVerifier('ES256' as never, EC_JWK as never)],
  ['joseSigner: HMAC bytes for RS256', 'BAD_KEY', () => signWith(joseSigner(HMAC, 'RS256'))],
  ['joseSigner: PEM string as the key', 'BAD_KEY', () => signWith(joseSigner(EC_PEM as never, 'ES256'))],
  ['joseSigner: JWK alg differs', 'BAD_KEY', () => signWith(joseSigner({ ...HMAC_JWK, alg: 'HS512' }, 'HS256'))],
  ['joseSigner: JWK use enc', 'BAD_KEY', () => signWith(joseSigner({ ...EC_JWK, use: 'enc' }, 'ES256'))],
  ['joseSigner: JWK key_ops without sign', 'BAD_KEY', () => signWith(joseSigner({ ...EC_JWK, key_ops: ['verify'] }, 'ES256'))],
  ['joseSigner: oct JWK for ES256', 'BAD_KEY', () => signWith(joseSigner(HMAC_JWK, 'ES256'))],
  ['joseSigner: P-384 JWK for ES256', 'BAD_KEY', () => signWith(joseSigner(EC384_JWK, 'ES256'))],
  ['joseSigner: EC JWK with a cut d', 'BAD_KEY', () => signWith(joseSigner({ ...EC_JWK, d: EC_JWK.d!.slice(0, 30) }, 'ES256'))],
  [
    'joseSigner: EC JWK with a non-Base64Url d',
    'BAD_KEY',
    () => signWith(joseSigner({ ...EC_JWK, d: `${EC_JWK.d!.slice(0, 20)}*${EC_JWK.d!.slice(21)}` }, 'ES256')),
  ],
  ['joseSigner: EC JWK without x', 'BAD_KEY', () => signWith(joseSigner({ ...EC_JWK, x: undefined } as never, 'ES256'))],
  ['joseSigner: RSA JWK for ES256', 'UNSUPPORTED_ALG', () => signWith(joseSigner(RSA_JWK, 'ES256'))],
  ['joseSigner: secret KeyObject for ES256', 'BAD_KEY', () => signWith(joseSigner(createSecretKey(HMAC), 'ES256'))],
  ['joseSigner: P-256 KeyObject for ES384', 'BAD_KEY', () => signWith(joseSigner(createPrivateKey(EC_PEM), 'ES384'))],
  ['joseSigner: HMAC SHA-384 CryptoKey for HS256', 'BAD_KEY', () => signWith(joseSigner(sha384Hmac, 'HS256'))],
  ['joseSigner: RSA-1024 CryptoKey for RS256', 'BAD_KEY', () => signWith(joseSigner(smallRsa, 'RS256'))],
  [
    'joseVerifier: private EC JWK to verify',
    'BAD_KEY',
    async () => verifyCompact(await jwsBy(joseSigner(EC_JWK, 'ES256'), { alg: 'ES256' }), { verifier: joseVerifier(EC_JWK, 'ES256') }),
  ],
  ['gostSigner: raw scalar bytes as the key', 'BAD_KEY', () => gostSigner({ privateKey: GOST_SCALAR as never })],
  ['gostSigner: unknown layout', 'BAD_OPTIONS', () => gostSigner({ privateKey: GOST_KEY, layout: GOST_SCALAR.toString('hex') as never })],
  ['gostSigner: a forged key object', 'SIGNER_FAILED', () => signWith(gostSigner({ privateKey: forgedGost }))],
  // signing with a working key in scope
  ['signCompact: header alg differs', 'ALG_MISMATCH', () => signWith(hs, { alg: 'HS384' })],
  ['signCompact: alg none', 'ALG_NONE', () => signWith({ alg: 'none', sign: hs.sign }, { alg: 'none' })],
  ['signCompact: header without alg', 'BAD_HEADER', () => signWith(hs, {})],
  ['signCompact: duplicate header member', 'DUPLICATE_HEADER', () => signWith(hs, '{"alg":"HS256","alg":"HS256"}')],
  ['signCompact: unsignable payload', 'BAD_PAYLOAD', () => signWith(hs, { alg: 'HS256' }, 42)],
  ['signCompact: b64:false payload with a dot', 'BAD_PAYLOAD', () => signWith(hs, { alg: 'HS256', b64: false, crit: ['b64'] }, 'a.b')],
  [
    'signCompact: no signer',
    'BAD_OPTIONS',
    () => signCompact('x', { protectedHeader: { alg: 'HS256' }, signer: { alg: 'HS256', key: HMAC } as never }),
  ],
  [
    'signCompact: signer throws',
    'SIGNER_FAILED',
    () => signWith({ alg: 'HS256', sign: async () => Promise.reject(new Error('token unplugged')) }),
  ],
  ['signCompact: signer returns text', 'SIGNER_FAILED', () => signWith({ alg: 'HS256', sign: async () => 'sig' as never })],
  ['signCompact: GOST signer, header alg differs', 'ALG_MISMATCH', () => signWith(gostSigner({ privateKey: GOST_KEY }), { alg: 'HS256' })],
  // verifying with the secret in scope (HMAC verification needs it)
  [
    'verifyCompact: signature by another key',
    'SIGNATURE_MISMATCH',
    () => verifyCompact(otherJws, { verifier: joseVerifier(HMAC, 'HS256') }),
  ],
  [
    'verifyCompact: alg not allowed',
    'UNSUPPORTED_ALG',
    () => verifyCompact(hsJws, { verifier: joseVerifier(HMAC, 'HS256'), algorithms: ['HS512'] }),
  ],
  ['verifyCompact: alg differs from the verifier', 'ALG_MISMATCH', () => verifyCompact(hsJws, { verifier: joseVerifier(HMAC, 'HS384') })],
  [
    'verifyCompact: alg none',
    'ALG_NONE',
    () => verifyCompact(`${base64url.encode('{"alg":"none"}')}.${base64url.encode('x')}.`, { verifier: joseVerifier(HMAC, 'HS256') }),
  ],
  ['verifyCompact: malformed', 'MALFORMED', () => verifyCompact(`${hsJws}.`, { verifier: joseVerifier(HMAC, 'HS256') })],
  [
    'verifyCompact: crit not understood',
    'UNSUPPORTED_CRIT',
    async () => verifyCompact(await jwsBy(hs, { alg: 'HS256', crit: ['exp'], exp: 1 }), { verifier: joseVerifier(HMAC, 'HS256') }),
  ],
  [
    'verifyCompact: kid not a UUID',
    'BAD_KID',
    async () =>
      verifyCompact(await jwsBy(hs, { alg: 'HS256', kid: 'k1' }), { verifier: joseVerifier(HMAC, 'HS256'), requireKidUuid: true }),
  ],
  [
    'verifyCompact: verifier throws',
    'VERIFIER_FAILED',
    () => verifyCompact(hsJws, { verifier: { alg: 'HS256', verify: async () => Promise.reject(new Error('HSM offline')) } }),
  ],
  [
    'verifyCompact: bad algorithms option',
    'BAD_OPTIONS',
    () => verifyCompact(hsJws, { verifier: joseVerifier(HMAC, 'HS256'), algorithms: 'HS256' as never }),
  ],
  [
    'verifyCompact: kid ok, HMAC key wrong alg',
    'BAD_KEY',
    async () =>
      verifyCompact(await jwsBy(hs, { alg: 'HS256', kid: KID }), { verifier: joseVerifier({ ...HMAC_JWK, alg: 'HS512' }, 'HS256') }),
  ],
  // Base64Url decoding of key material
  ['base64url.decode: padded k', 'B64_PADDING', () => base64url.decode(`${HMAC_JWK.k}=`)],
  [
    'base64url.decode: standard Base64 of the secret',
    'B64_INVALID_CHARACTER',
    () =>
      base64url.decode(
        Buffer.concat([Buffer.of(0xfb, 0xff), HMAC])
          .toString('base64')
          .replace(/=+$/, ''),
      ),
  ],
  [
    'base64url.decode: the secret with a space',
    'B64_WHITESPACE',
    () => base64url.decode(`${HMAC_JWK.k.slice(0, 20)} ${HMAC_JWK.k.slice(20)}`),
  ],
];

const codeOf = (e: unknown): string | undefined =>
  JwsError.isInstance(e) ? e.code : Base64UrlError.isInstance(e) ? `B64_${e.code}` : undefined;

describe('no error of jws-base64url shows the signing keys', () => {
  const table = caseTable(CASES, async ([name, code, run]) => {
    const error = await failureOf(run);
    expect(codeOf(error), String(error)).toBe(code);
    expectNoSecret(surfacesOf(error), SECRETS, name);
    return name;
  });
  for (const c of CASES) it(c[0], async () => void (await table.outcome(c)));

  it('ran every case of the table', async () => {
    expect(await table.all()).toEqual(CASES.map(([name]) => name));
  });

  it('the helper does find the keys where they are (the check can fail)', () => {
    expect(() => expectNoSecret([JSON.stringify(EC_JWK)], SECRETS)).toThrow(/ecD/);
    expect(() => expectNoSecret([JSON.stringify(HMAC_JWK)], SECRETS)).toThrow(/hmac/);
  });
});
