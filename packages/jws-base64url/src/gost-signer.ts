import { GostError, type GostPrivateKey, type GostPublicKey, type SignatureLayout, sign, verify } from 'gost2012';
import type { Signer, Verifier } from './compact.js';
import { JwsError } from './errors.js';

/** The "alg" of Sber's transport signature. */
export const GOST_JWS_ALG = 'gost34.10-2012';

const LAYOUTS: readonly unknown[] = [undefined, 'sr-be', 'rs-be', 'rs-le'];

function checkLayout(layout: unknown): void {
  if (!LAYOUTS.includes(layout)) throw new JwsError('BAD_OPTIONS', "options.layout must be 'sr-be', 'rs-be' or 'rs-le'");
}

/**
 * Signs with GOST R 34.10-2012 over Streebog of the key's size. `layout` is the byte order of the signature:
 * default 's‖r' big-endian, what OpenSSL, CMS and CryptoPro write (Sber does not publish its JWS layout).
 */
export function gostSigner(options: { privateKey: GostPrivateKey; layout?: SignatureLayout }): Signer {
  const { privateKey, layout } = options ?? ({} as { privateKey: GostPrivateKey });
  if (privateKey?.type !== 'private') throw new JwsError('BAD_KEY', 'options.privateKey must be a gost2012 private key');
  checkLayout(layout);
  return {
    alg: GOST_JWS_ALG,
    async sign(signingInput: Uint8Array): Promise<Uint8Array> {
      return sign(signingInput, privateKey, { layout });
    },
  };
}

/** Verifies a GOST R 34.10-2012 JWS signature; resolves false on a mismatch or a signature of the wrong size. */
export function gostVerifier(options: { publicKey: GostPublicKey; layout?: SignatureLayout }): Verifier {
  const { publicKey, layout } = options ?? ({} as { publicKey: GostPublicKey });
  if (publicKey?.type !== 'public') throw new JwsError('BAD_KEY', 'options.publicKey must be a gost2012 public key');
  checkLayout(layout);
  return {
    alg: GOST_JWS_ALG,
    async verify(signingInput: Uint8Array, signature: Uint8Array): Promise<boolean> {
      try {
        return verify(signature, signingInput, publicKey, { layout });
      } catch (error) {
        if (GostError.isInstance(error) && error.code === 'INVALID_SIGNATURE_LENGTH') return false;
        throw error;
      }
    },
  };
}
