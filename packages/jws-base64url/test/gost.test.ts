import { inspect } from 'node:util';
import { gostEngineOrSkip, openssl, opensslOk, scratchDir } from '@internal/testkit';
import { exportPrivateKeyPem, exportPublicKeyPem, generateKeyPair, type ParamSetName } from 'gost2012';
import { afterAll, describe, expect, it } from 'vitest';
import { base64url, GOST_JWS_ALG, gostSigner, gostVerifier, JwsError, parseCompact, signCompact, verifyCompact } from '../src/index.js';

const KID = '3f2b9c4e-7d1a-4e8b-a5c6-0123456789ab';
const registry = { externalId: 'b7c1f0e2-8a9d-4c3b-9e1f-2a3b4c5d6e7f', orgName: 'ООО «Ромашка»', amount: '100.00' };

describe('gostSigner / gostVerifier', () => {
  const { privateKey, publicKey } = generateKeyPair('tc26-256-a');

  it('signs a Sber-style transport JWS that verifies, and a tampered one fails', async () => {
    const jws = await signCompact(registry, { protectedHeader: { alg: GOST_JWS_ALG, kid: KID }, signer: gostSigner({ privateKey }) });
    const result = await verifyCompact(jws, { verifier: gostVerifier({ publicKey }), requireKidUuid: true, algorithms: [GOST_JWS_ALG] });
    expect(JSON.parse(new TextDecoder().decode(result.payload))).toEqual(registry);
    expect(parseCompact(jws).signature.length).toBe(64);

    const [h, p, s] = jws.split('.');
    const otherPayload = base64url.encode(JSON.stringify({ ...registry, amount: '1000.00' }));
    const flipped = base64url.decode(s!);
    flipped[10] ^= 0x80;
    for (const tampered of [
      `${h}.${otherPayload}.${s}`,
      `${h}.${p}.${base64url.encode(flipped)}`,
      `${h}.${p}.${base64url.encode(flipped.subarray(1))}`,
    ]) {
      const error = await verifyCompact(tampered, { verifier: gostVerifier({ publicKey }) }).catch((e: unknown) => e);
      expect(JwsError.isInstance(error) && error.code).toBe('SIGNATURE_MISMATCH');
    }
    const other = generateKeyPair('tc26-256-a').publicKey;
    await expect(verifyCompact(jws, { verifier: gostVerifier({ publicKey: other }) })).rejects.toMatchObject({
      code: 'SIGNATURE_MISMATCH',
    });
  });

  it('layouts must match between signer and verifier', async () => {
    const jws = await signCompact('x', { protectedHeader: { alg: GOST_JWS_ALG }, signer: gostSigner({ privateKey, layout: 'rs-le' }) });
    await verifyCompact(jws, { verifier: gostVerifier({ publicKey, layout: 'rs-le' }) });
    await expect(verifyCompact(jws, { verifier: gostVerifier({ publicKey }) })).rejects.toMatchObject({ code: 'SIGNATURE_MISMATCH' });
  });

  it('refuses keys of the wrong kind and never shows the private key', () => {
    expect(() => gostSigner({ privateKey: publicKey as never })).toThrow(expect.objectContaining({ code: 'BAD_KEY' }));
    expect(() => gostVerifier({ publicKey: privateKey as never })).toThrow(expect.objectContaining({ code: 'BAD_KEY' }));
    expect(() => gostSigner({ privateKey, layout: 'le' as never })).toThrow(expect.objectContaining({ code: 'BAD_OPTIONS' }));
    expect(() => gostVerifier({ publicKey, layout: 'be' as never })).toThrow(expect.objectContaining({ code: 'BAD_OPTIONS' }));
    const pem = exportPrivateKeyPem(privateKey);
    const body = pem
      .split('\n')
      .filter((l) => !l.startsWith('-----'))
      .join('');
    const shown = inspect(gostSigner({ privateKey }), { depth: 10, showHidden: true }) + JSON.stringify(gostSigner({ privateKey }));
    expect(shown).not.toContain(body.slice(-40));
  });
});

const engine = gostEngineOrSkip();

describe.skipIf(!engine)('OpenSSL GOST engine cross-check', () => {
  const dir = scratchDir('jws-gost-');
  afterAll(() => dir.cleanup());

  it.each([
    ['tc26-256-a', '-md_gost12_256'],
    ['cryptopro-a', '-md_gost12_256'],
    ['tc26-512-a', '-md_gost12_512'],
  ] as [ParamSetName, string][])(
    'a JWS signed with gostSigner (%s) verifies with openssl dgst over the signing input',
    async (paramSet, md) => {
      const { privateKey, publicKey } = generateKeyPair(paramSet);
      const jws = await signCompact(registry, { protectedHeader: { alg: GOST_JWS_ALG, kid: KID }, signer: gostSigner({ privateKey }) });
      const { signingInput, signature } = parseCompact(jws);
      const pub = dir.write(`${paramSet}.pub.pem`, exportPublicKeyPem(publicKey));
      const input = dir.write(`${paramSet}.input.txt`, signingInput);
      const sig = dir.write(`${paramSet}.sig.bin`, signature);
      expect(openssl(['dgst', '-engine', 'gost', md, '-verify', pub, '-signature', sig, input]).toString()).toContain('Verified OK');

      const tampered = new Uint8Array(signingInput);
      tampered[tampered.length - 1] ^= 0x01;
      const badInput = dir.write(`${paramSet}.tampered.txt`, tampered);
      expect(opensslOk(['dgst', '-engine', 'gost', md, '-verify', pub, '-signature', sig, badInput])).toBe(false);
    },
  );

  it('a signature OpenSSL makes over our signing input verifies in verifyCompact', async () => {
    const { privateKey, publicKey } = generateKeyPair('tc26-256-b');
    const key = dir.write('ossl.key.pem', exportPrivateKeyPem(privateKey));
    const unsigned = await signCompact(registry, {
      protectedHeader: { alg: GOST_JWS_ALG, kid: KID },
      signer: { alg: GOST_JWS_ALG, sign: async () => new Uint8Array() },
    });
    const input = dir.write('ossl.input.txt', parseCompact(unsigned).signingInput);
    const signature = openssl(['dgst', '-engine', 'gost', '-md_gost12_256', '-sign', key, input]);
    const jws = `${unsigned}${base64url.encode(signature)}`; // unsigned ends with "." and an empty signature
    const result = await verifyCompact(jws, { verifier: gostVerifier({ publicKey }), requireKidUuid: true });
    expect(result.protectedHeader.kid).toBe(KID);
  });
});
