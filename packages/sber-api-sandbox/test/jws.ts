import type { GostPrivateKey } from 'gost2012';
import { GOST_JWS_ALG, gostSigner, signCompact } from 'jws-base64url';

/** A compact JWS signed by jws-base64url's gostSigner; header fields override the defaults (even `alg`). */
export function jws(payload: unknown, header: Record<string, unknown>, privateKey: GostPrivateKey): Promise<string> {
  const signer = gostSigner({ privateKey });
  const alg = typeof header.alg === 'string' ? header.alg : GOST_JWS_ALG;
  return signCompact(payload as object, {
    protectedHeader: { alg: GOST_JWS_ALG, ...header },
    signer: { alg, sign: (input) => signer.sign(input) },
  });
}
