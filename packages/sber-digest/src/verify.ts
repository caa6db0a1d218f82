import type { GostCertificate, GostPublicKey, SignatureLayout } from 'gost2012';
import { verify } from 'gost2012';
import { decodeBase64Strict } from './base64.js';
import { toCertificate, verifyCms } from './cms.js';
import type { DigestEncoding } from './encoding.js';
import { SberDigestError } from './errors.js';
import { digestBytes } from './sign.js';

/** Options of {@link verifyDigestSignature}. */
export interface VerifyDigestOptions {
  /** The signer's key; or give `certificate` and its key is used. One of the two. */
  publicKey?: GostPublicKey;
  /** The signer's certificate (decoded, PEM or DER), whose public key verifies; not checked against a CA. */
  certificate?: GostCertificate | string | Uint8Array;
  /** 'auto' (default): a raw signature when the length is exactly 2 × the key size, CMS otherwise. */
  format?: 'raw' | 'cms' | 'auto';
  /** Byte layout of a raw signature (default 'sr-be'); CMS always carries s‖r. */
  layout?: SignatureLayout;
  /** How the digest text was turned into bytes before signing (default 'utf-8'). */
  encoding?: DigestEncoding;
}

/**
 * Checks a `digestSignatures[].base64Encoded` against the digest text (its UTF-8 bytes). Returns false for a
 * wrong signature and for malformed signature data (bad Base64, broken CMS, wrong length); throws
 * SberDigestError('BAD_OPTIONS') when no usable key is given. The certificate is not checked against a CA.
 */
export function verifyDigestSignature(digest: string, base64Encoded: string, o: VerifyDigestOptions): boolean {
  if (typeof o !== 'object' || o === null) throw new SberDigestError('BAD_OPTIONS', 'options with publicKey or certificate are required');
  if ((o.publicKey === undefined) === (o.certificate === undefined)) {
    throw new SberDigestError('BAD_OPTIONS', 'give exactly one of publicKey and certificate');
  }
  const publicKey = o.publicKey ?? toCertificate(o.certificate!).publicKey;
  if (typeof publicKey !== 'object' || publicKey === null || publicKey.type !== 'public') {
    throw new SberDigestError('BAD_OPTIONS', 'publicKey must be a gost2012 GostPublicKey');
  }
  const content = digestBytes(digest, o.encoding);
  const format = o.format ?? 'auto';
  if (format !== 'raw' && format !== 'cms' && format !== 'auto')
    throw new SberDigestError('BAD_OPTIONS', "format must be 'raw', 'cms' or 'auto'");

  const signature = decodeBase64Strict(base64Encoded);
  if (!signature) return false;
  const rawLength = publicKey.size / 4;
  const asRaw = format === 'raw' || (format === 'auto' && signature.length === rawLength);
  if (!asRaw) return verifyCms(signature, content, publicKey);
  if (signature.length !== rawLength) return false;
  try {
    return verify(signature, content, publicKey, { layout: o.layout ?? 'sr-be' });
  } catch {
    return false;
  }
}
