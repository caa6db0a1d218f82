/** GOST R 34.10-2012 signing and verification (RFC 7091 sections 6.1 and 6.2). */
import { invert, mod } from '@noble/curves/abstract/modular.js';
import { bytesToNumberBE, bytesToNumberLE, concat, numberToBytesBE, numberToBytesLE, toBytes } from './bytes.js';
import { GostError } from './errors.js';
import { type GostPrivateKey, type GostPublicKey, privateScalar, publicPoint, randomScalar } from './keys.js';
import type { Curve } from './params.js';
import { streebog256, streebog512 } from './streebog.js';

/** 'sr-be': s‖r big-endian (OpenSSL, CMS, CryptoPro); 'rs-be': r‖s big-endian; 'rs-le': r‖s each little-endian (sr-be reversed). */
export type SignatureLayout = 'sr-be' | 'rs-be' | 'rs-le';

/** Options of {@link sign} and {@link signHash}. */
export interface SignOptions {
  /** Byte layout of the signature returned; `'sr-be'` (OpenSSL's) by default. */
  layout?: SignatureLayout;
  /** Fixed nonce k, ONLY for reproducing test vectors: a repeated k reveals the private key. */
  fixedKForTestsOnly?: bigint;
}

/** Options of {@link verify} and {@link verifyHash}. */
export interface VerifyOptions {
  /** Byte layout of the signature given; `'sr-be'` (OpenSSL's) by default. */
  layout?: SignatureLayout;
}

function checkLayout(layout: unknown): SignatureLayout {
  if (layout === undefined) return 'sr-be';
  if (layout === 'sr-be' || layout === 'rs-be' || layout === 'rs-le') return layout;
  throw new GostError('INVALID_LAYOUT', "layout must be 'sr-be', 'rs-be' or 'rs-le'", { field: 'layout' });
}

function encodeSignature(r: bigint, s: bigint, n: number, layout: SignatureLayout): Uint8Array {
  switch (layout) {
    case 'sr-be':
      return concat(numberToBytesBE(s, n), numberToBytesBE(r, n));
    case 'rs-be':
      return concat(numberToBytesBE(r, n), numberToBytesBE(s, n));
    case 'rs-le':
      return concat(numberToBytesLE(r, n), numberToBytesLE(s, n));
  }
}

function decodeSignature(sig: Uint8Array, n: number, layout: SignatureLayout): { r: bigint; s: bigint } {
  const first = sig.subarray(0, n);
  const second = sig.subarray(n);
  switch (layout) {
    case 'sr-be':
      return { s: bytesToNumberBE(first), r: bytesToNumberBE(second) };
    case 'rs-be':
      return { r: bytesToNumberBE(first), s: bytesToNumberBE(second) };
    case 'rs-le':
      return { r: bytesToNumberLE(first), s: bytesToNumberLE(second) };
  }
}

/** e = α mod q, with α the hash read as a little-endian number (how OpenSSL reads Streebog output); 0 becomes 1. */
function hashToE(hash: Uint8Array, curve: Curve): bigint {
  if (!(hash instanceof Uint8Array)) throw new GostError('INVALID_INPUT', 'hash must be a Uint8Array', { field: 'hash' });
  if (hash.length !== curve.bytes) {
    throw new GostError('INVALID_HASH_LENGTH', `hash must be ${curve.bytes} bytes (Streebog-${curve.size}) for a ${curve.size}-bit key`, {
      field: 'hash',
    });
  }
  const e = bytesToNumberLE(hash) % curve.q;
  return e === 0n ? 1n : e;
}

/** Signs a precomputed Streebog digest (bytes as streebog256/512 return them). */
export function signHash(hash: Uint8Array, privateKey: GostPrivateKey, options: SignOptions = {}): Uint8Array {
  const layout = checkLayout(options.layout);
  const { curve, d } = privateScalar(privateKey);
  const e = hashToE(hash, curve);
  const fixed = options.fixedKForTestsOnly;
  if (fixed !== undefined && (typeof fixed !== 'bigint' || fixed <= 0n || fixed >= curve.q)) {
    throw new GostError('INVALID_INPUT', 'fixedKForTestsOnly must be a bigint in [1, q-1]', { field: 'fixedKForTestsOnly' });
  }
  for (;;) {
    const k = fixed ?? randomScalar(curve);
    const r = curve.G.multiply(k).toAffine().x % curve.q;
    const s = (r * d + k * e) % curve.q;
    if (r !== 0n && s !== 0n) return encodeSignature(r, s, curve.bytes, layout);
    if (fixed !== undefined)
      throw new GostError('INVALID_INPUT', 'fixedKForTestsOnly gives r = 0 or s = 0: pick another k', { field: 'fixedKForTestsOnly' });
  }
}

/**
 * Verifies a signature over a precomputed digest. Returns false when the signature does not match;
 * throws GostError for malformed input (wrong signature or hash length, unknown layout, bad key).
 */
export function verifyHash(signature: Uint8Array, hash: Uint8Array, publicKey: GostPublicKey, options: VerifyOptions = {}): boolean {
  const layout = checkLayout(options.layout);
  const { curve, point } = publicPoint(publicKey);
  if (!(signature instanceof Uint8Array)) throw new GostError('INVALID_INPUT', 'signature must be a Uint8Array', { field: 'signature' });
  if (signature.length !== 2 * curve.bytes) {
    throw new GostError(
      'INVALID_SIGNATURE_LENGTH',
      `signature must be ${2 * curve.bytes} bytes for a ${curve.size}-bit key, got ${signature.length}`,
      { field: 'signature' },
    );
  }
  const e = hashToE(hash, curve);
  const { r, s } = decodeSignature(signature, curve.bytes, layout);
  const q = curve.q;
  if (r <= 0n || r >= q || s <= 0n || s >= q) return false;
  const v = invert(e, q);
  const z1 = (s * v) % q;
  const z2 = mod(-r * v, q);
  const c = curve.G.mulAddUnsafe(z1, point, z2);
  if (c.is0()) return false;
  return c.toAffine().x % q === r;
}

/** Streebog of the key's size over the message, then GOST R 34.10-2012. Strings are signed as UTF-8. */
export function sign(message: Uint8Array | string, privateKey: GostPrivateKey, options: SignOptions = {}): Uint8Array {
  const { curve } = privateScalar(privateKey);
  const bytes = toBytes(message, 'message');
  return signHash(curve.size === 512 ? streebog512(bytes) : streebog256(bytes), privateKey, options);
}

/** True when `signature` is a valid GOST R 34.10-2012 signature of the message's Streebog hash (strings as UTF-8). */
export function verify(
  signature: Uint8Array,
  message: Uint8Array | string,
  publicKey: GostPublicKey,
  options: VerifyOptions = {},
): boolean {
  const { curve } = publicPoint(publicKey);
  const bytes = toBytes(message, 'message');
  return verifyHash(signature, curve.size === 512 ? streebog512(bytes) : streebog256(bytes), publicKey, options);
}
