/**
 * Opaque key objects. A private key's scalar lives in a WeakMap, so nothing reachable from the object
 * (util.inspect, JSON.stringify, String(), structuredClone, spreading) can reveal it. The WeakMap is one per
 * process, found under a `Symbol.for` key, so that a key made by the ESM copy of this package is accepted by
 * the CommonJS copy and the other way round (an app can load both: `import` here, `require` in a dependency).
 */
import type { WeierstrassPoint } from '@noble/curves/abstract/weierstrass.js';
import { bytesToNumberLE, numberToBytesLE } from './bytes.js';
import { GostError } from './errors.js';
import { type Curve, getCurve, isParamSetName, type ParamSetName } from './params.js';

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** A GOST R 34.10-2012 public key, checked to be a valid point of its curve's prime-order subgroup. */
export interface GostPublicKey {
  /** Always `'public'`. */
  readonly type: 'public';
  /** The curve the key belongs to. */
  readonly paramSet: ParamSetName;
  /** Key size in bits: 256 signs with Streebog-256, 512 with Streebog-512. */
  readonly size: 256 | 512;
  /** Affine coordinates of the public point Q = d·P. */
  readonly x: bigint;
  /** See {@link GostPublicKey.x}. */
  readonly y: bigint;
  /** X‖Y, each little-endian, as inside OpenSSL's SubjectPublicKeyInfo (64 or 128 bytes). */
  readonly raw: Uint8Array;
}

/**
 * A GOST R 34.10-2012 private key. The scalar is not a property: it never shows in `JSON.stringify`,
 * `util.inspect` or logs, and leaves only through {@link exportPrivateKeyPem}.
 */
export interface GostPrivateKey {
  /** Always `'private'`. */
  readonly type: 'private';
  /** The curve the key belongs to. */
  readonly paramSet: ParamSetName;
  /** Key size in bits: 256 signs with Streebog-256, 512 with Streebog-512. */
  readonly size: 256 | 512;
}

const SCALARS = Symbol.for('gost2012.private-scalars.v1');
const scalars: WeakMap<object, bigint> = (() => {
  const holder = globalThis as { [SCALARS]?: WeakMap<object, bigint> };
  if (!(holder[SCALARS] instanceof WeakMap)) {
    Object.defineProperty(globalThis, SCALARS, { value: new WeakMap(), enumerable: false, writable: false, configurable: false });
  }
  return holder[SCALARS] as WeakMap<object, bigint>;
})();
// Points stay per copy: each copy has its own curve classes, and a key from another copy is re-validated once.
const points = new WeakMap<object, WeierstrassPoint<bigint>>();

class PrivateKey implements GostPrivateKey {
  readonly type = 'private' as const;
  constructor(
    readonly paramSet: ParamSetName,
    readonly size: 256 | 512,
  ) {
    Object.freeze(this);
  }
  toString(): string {
    return `GostPrivateKey(${this.paramSet})`;
  }
  toJSON(): { type: 'private'; paramSet: ParamSetName; size: 256 | 512 } {
    return { type: this.type, paramSet: this.paramSet, size: this.size };
  }
  [INSPECT](): string {
    return `GostPrivateKey { paramSet: '${this.paramSet}', size: ${this.size} }`;
  }
}

class PublicKey implements GostPublicKey {
  readonly type = 'public' as const;
  constructor(
    readonly paramSet: ParamSetName,
    readonly size: 256 | 512,
    readonly x: bigint,
    readonly y: bigint,
  ) {
    Object.freeze(this);
  }
  get raw(): Uint8Array {
    const n = this.size / 8;
    const out = new Uint8Array(2 * n);
    out.set(numberToBytesLE(this.x, n), 0);
    out.set(numberToBytesLE(this.y, n), n);
    return out;
  }
  toString(): string {
    return `GostPublicKey(${this.paramSet})`;
  }
}

export function makePrivateKey(curve: Curve, d: bigint): GostPrivateKey {
  if (d <= 0n || d >= curve.q) {
    throw new GostError('INVALID_PRIVATE_KEY', `privateKey must be a scalar in [1, q-1] for ${curve.name}`, { field: 'privateKey' });
  }
  const key = new PrivateKey(curve.name, curve.size);
  scalars.set(key, d);
  return key;
}

export function makePublicKey(curve: Curve, point: WeierstrassPoint<bigint>): GostPublicKey {
  const { x, y } = point.toAffine();
  const key = new PublicKey(curve.name, curve.size, x, y);
  points.set(key, point);
  return key;
}

/** Validates coordinates and builds a public key: on the curve, in the prime-order subgroup, not infinity. */
export function publicKeyFromCoordinates(curve: Curve, x: bigint, y: bigint): GostPublicKey {
  if (x >= curve.p || y >= curve.p) {
    throw new GostError('INVALID_PUBLIC_KEY', `publicKey coordinates must be below the field prime of ${curve.name}`, {
      field: 'publicKey',
    });
  }
  const point = curve.Point.fromAffine({ x, y });
  try {
    point.assertValidity();
  } catch (cause) {
    throw new GostError('POINT_NOT_ON_CURVE', `publicKey is not a point of the prime-order group of ${curve.name}`, {
      field: 'publicKey',
      cause,
    });
  }
  return makePublicKey(curve, point);
}

/** A public key from X‖Y little-endian (the form inside OpenSSL's SubjectPublicKeyInfo). */
export function publicKeyFromRaw(paramSet: ParamSetName, raw: Uint8Array): GostPublicKey {
  const curve = getCurve(paramSet);
  if (!(raw instanceof Uint8Array) || raw.length !== 2 * curve.bytes) {
    throw new GostError('INVALID_KEY_SIZE', `publicKey must be ${2 * curve.bytes} bytes (X‖Y little-endian) for ${paramSet}`, {
      field: 'publicKey',
    });
  }
  return publicKeyFromCoordinates(curve, bytesToNumberLE(raw.subarray(0, curve.bytes)), bytesToNumberLE(raw.subarray(curve.bytes)));
}

export function privateScalar(key: GostPrivateKey): { curve: Curve; d: bigint } {
  const d = typeof key === 'object' && key !== null ? scalars.get(key) : undefined;
  if (d === undefined) {
    throw new GostError('INVALID_PRIVATE_KEY', 'privateKey must be a key made by generateKeyPair() or importPrivateKey()', {
      field: 'privateKey',
    });
  }
  return { curve: getCurve(key.paramSet), d };
}

export function publicPoint(key: GostPublicKey): { curve: Curve; point: WeierstrassPoint<bigint> } {
  if (
    typeof key !== 'object' ||
    key === null ||
    key.type !== 'public' ||
    !isParamSetName(key.paramSet) ||
    typeof key.x !== 'bigint' ||
    typeof key.y !== 'bigint'
  ) {
    throw new GostError('INVALID_PUBLIC_KEY', 'publicKey must be a GostPublicKey', { field: 'publicKey' });
  }
  const curve = getCurve(key.paramSet);
  let point = points.get(key);
  if (point === undefined) {
    // A structurally typed key built elsewhere: validate it once.
    point = publicPoint(publicKeyFromCoordinates(curve, key.x, key.y)).point;
    points.set(key, point);
  }
  return { curve, point };
}

/** A uniformly random scalar in [1, q-1] from the platform CSPRNG (64 extra bits make the bias negligible). */
export function randomScalar(curve: Curve): bigint {
  const bytes = new Uint8Array(curve.bytes + 8);
  globalThis.crypto.getRandomValues(bytes);
  const n = (bytesToNumberLE(bytes) % (curve.q - 1n)) + 1n;
  bytes.fill(0);
  return n;
}

/** A new key pair on the given curve, from the platform's CSPRNG. */
export function generateKeyPair(paramSet: ParamSetName): {
  /** The new private key. */
  privateKey: GostPrivateKey;
  /** Its public key. */
  publicKey: GostPublicKey;
} {
  const curve = getCurve(paramSet);
  const privateKey = makePrivateKey(curve, randomScalar(curve));
  return { privateKey, publicKey: getPublicKey(privateKey) };
}

/** The public key of a private key (Q = d·P). */
export function getPublicKey(privateKey: GostPrivateKey): GostPublicKey {
  const { curve, d } = privateScalar(privateKey);
  return makePublicKey(curve, curve.G.multiply(d));
}

/** A private key from its raw scalar bytes, little-endian as OpenSSL stores it (32 or 64 bytes). */
export function privateKeyFromRaw(paramSet: ParamSetName, raw: Uint8Array): GostPrivateKey {
  const curve = getCurve(paramSet);
  if (!(raw instanceof Uint8Array) || raw.length !== curve.bytes) {
    throw new GostError('INVALID_KEY_SIZE', `privateKey must be ${curve.bytes} bytes for ${paramSet}`, { field: 'privateKey' });
  }
  return makePrivateKey(curve, bytesToNumberLE(raw));
}

/** The scalar as little-endian bytes, for PKCS#8 export only. */
export function privateKeyBytesLE(key: GostPrivateKey): Uint8Array {
  const { curve, d } = privateScalar(key);
  return numberToBytesLE(d, curve.bytes);
}
