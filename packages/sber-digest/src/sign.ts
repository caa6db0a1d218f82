import { type GostPrivateKey, type SignatureLayout, sign } from 'gost2012';
import { isUuid } from './checks.js';
import { type DigestEncoding, encodeDigest } from './encoding.js';
import { SberDigestAbortError, SberDigestError, SberDigestValidationError } from './errors.js';

/** One entry of a document's `digestSignatures`. */
export interface DigestSignature {
  /** The signature bytes in standard Base64 with padding. */
  base64Encoded: string;
  /** UUID of the signer's certificate as Sber knows it (`GET /v1/crypto`). */
  certificateUuid: string;
  /** Sber's signature type (e.g. `'UKEP_UL'`), when the signer has one. */
  signType?: string;
}

/** Something that signs the UTF-8 bytes of a digest: a key in memory, CMS, an external program, an HSM… */
export interface DigestSigner {
  /** UUID of the signer's certificate as Sber knows it (`GET /v1/crypto`); copied into the {@link DigestSignature}. */
  certificateUuid: string;
  /** Sber's signature type (e.g. `'UKEP_UL'`), copied into the {@link DigestSignature} when given. */
  signType?: string;
  /** Signs the digest's UTF-8 bytes and resolves to the signature bytes; an aborted `signal` should stop it. */
  sign(digestUtf8: Uint8Array, options?: { signal?: AbortSignal }): Promise<Uint8Array>;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The bytes that are signed: the digest text in UTF-8 (default) or Windows-1251, exactly, with no BOM and no trailing newline. */
export function digestBytes(digest: string, encoding: DigestEncoding = 'utf-8'): Uint8Array {
  if (typeof digest !== 'string' || digest === '') throw new SberDigestValidationError('digest', 'required', 'must be a non-empty string');
  if (LONE_SURROGATE.test(digest)) throw new SberDigestValidationError('digest', 'utf8', 'contains a lone UTF-16 surrogate');
  return encodeDigest(digest, encoding);
}

export function checkSignerIdentity(o: { certificateUuid?: unknown; signType?: unknown }): void {
  if (typeof o.certificateUuid !== 'string' || !isUuid(o.certificateUuid)) {
    throw new SberDigestValidationError('certificateUuid', 'uuid', 'must be the UUID of the certificate (GET /v1/crypto)');
  }
  if (o.signType !== undefined && (typeof o.signType !== 'string' || o.signType === '')) {
    throw new SberDigestValidationError('signType', 'type', 'must be a non-empty string when given');
  }
}

export function abortError(signal: AbortSignal): SberDigestError {
  return new SberDigestAbortError('signing was aborted', { cause: signal.reason });
}

/** Signs the digest's UTF-8 bytes and returns the `digestSignatures` entry (standard Base64 with padding). */
export async function signDigest(
  digest: string,
  signer: DigestSigner,
  options: { signal?: AbortSignal; encoding?: DigestEncoding } = {},
): Promise<DigestSignature> {
  const bytes = digestBytes(digest, options.encoding);
  if (typeof signer !== 'object' || signer === null || typeof signer.sign !== 'function') {
    throw new SberDigestError('BAD_OPTIONS', 'signer must be a DigestSigner (an object with certificateUuid and sign())');
  }
  checkSignerIdentity(signer);
  const { signal } = options;
  if (signal?.aborted) throw abortError(signal);
  let signature: unknown;
  try {
    signature = await signer.sign(bytes, { signal });
  } catch (err) {
    if (SberDigestError.isInstance(err)) throw err;
    if (signal?.aborted) throw abortError(signal);
    throw new SberDigestError('SIGN_FAILED', 'the signer failed', { cause: err });
  }
  if (!(signature instanceof Uint8Array) || signature.length === 0) {
    throw new SberDigestError('SIGN_FAILED', 'the signer returned no signature bytes');
  }
  return {
    base64Encoded: Buffer.from(signature.buffer, signature.byteOffset, signature.byteLength).toString('base64'),
    certificateUuid: signer.certificateUuid,
    ...(signer.signType !== undefined ? { signType: signer.signType } : {}),
  };
}

export function checkPrivateKey(privateKey: unknown): GostPrivateKey {
  if (typeof privateKey !== 'object' || privateKey === null || (privateKey as GostPrivateKey).type !== 'private') {
    throw new SberDigestError('BAD_OPTIONS', 'privateKey must be a gost2012 GostPrivateKey (importPrivateKey / generateKeyPair)');
  }
  return privateKey as GostPrivateKey;
}

/**
 * A raw GOST R 34.10-2012 signature of the digest (Streebog of the key's size): 64 bytes for a 256-bit key,
 * 128 for 512. `layout` 'sr-be' (default) is OpenSSL's and CryptoPro's; the seed's sample is 64 such bytes.
 */
export function rawGostSigner(o: {
  privateKey: GostPrivateKey;
  certificateUuid: string;
  layout?: SignatureLayout;
  signType?: string;
}): DigestSigner {
  checkSignerIdentity(o);
  const privateKey = checkPrivateKey(o.privateKey);
  const layout = o.layout ?? 'sr-be';
  return Object.freeze({
    certificateUuid: o.certificateUuid,
    ...(o.signType !== undefined ? { signType: o.signType } : {}),
    async sign(digestUtf8: Uint8Array): Promise<Uint8Array> {
      return sign(digestUtf8, privateKey, { layout });
    },
  });
}
