import { type KeyObject, webcrypto } from 'node:crypto';
import { importJWK, type JWK } from 'jose';
import type { Signer, Verifier } from './compact.js';
import { JwsError } from './errors.js';

type WebCryptoKey = webcrypto.CryptoKey;
type Usage = 'sign' | 'verify';

/** How WebCrypto runs each JWS algorithm jose supports (RFC 7518 §3, RFC 8037, ML-DSA where the runtime has it). */
interface AlgorithmEntry {
  /** algorithm.name, and hash / namedCurve a key must carry. */
  name: string;
  hash?: string;
  namedCurve?: string;
  /** parameters of subtle.sign / subtle.verify */
  params: webcrypto.AlgorithmIdentifier | webcrypto.RsaPssParams | webcrypto.EcdsaParams;
  minRsaBits?: number;
}

const hmac = (bits: number): AlgorithmEntry => ({ name: 'HMAC', hash: `SHA-${bits}`, params: { name: 'HMAC' } });
const rsa = (bits: number): AlgorithmEntry => ({
  name: 'RSASSA-PKCS1-v1_5',
  hash: `SHA-${bits}`,
  params: { name: 'RSASSA-PKCS1-v1_5' },
  minRsaBits: 2048,
});
const pss = (bits: number): AlgorithmEntry => ({
  name: 'RSA-PSS',
  hash: `SHA-${bits}`,
  params: { name: 'RSA-PSS', saltLength: bits / 8 },
  minRsaBits: 2048,
});
const ecdsa = (curve: string, bits: number): AlgorithmEntry => ({
  name: 'ECDSA',
  namedCurve: curve,
  params: { name: 'ECDSA', hash: `SHA-${bits}` },
});
const named = (name: string): AlgorithmEntry => ({ name, params: { name } });

const ALGORITHMS: Readonly<Record<string, AlgorithmEntry>> = {
  __proto__: null as never,
  HS256: hmac(256),
  HS384: hmac(384),
  HS512: hmac(512),
  RS256: rsa(256),
  RS384: rsa(384),
  RS512: rsa(512),
  PS256: pss(256),
  PS384: pss(384),
  PS512: pss(512),
  ES256: ecdsa('P-256', 256),
  ES384: ecdsa('P-384', 384),
  ES512: ecdsa('P-521', 512),
  EdDSA: named('Ed25519'),
  Ed25519: named('Ed25519'),
  'ML-DSA-44': named('ML-DSA-44'),
  'ML-DSA-65': named('ML-DSA-65'),
  'ML-DSA-87': named('ML-DSA-87'),
};

/** The JWS algorithms joseSigner / joseVerifier accept (the same set as jose 6; ML-DSA only where the runtime has it). */
export const JOSE_ALGORITHMS: readonly string[] = Object.freeze(Object.keys(ALGORITHMS));

/**
 * A JSON Web Key (RFC 7517) as jose's importJWK reads it; jose's `JWK` and Node's `JsonWebKey` fit it. Declared
 * here rather than re-exported from jose: jose's types are ESM-only, so a CommonJS TypeScript project reading our
 * `.d.cts` could not import them (TS1479). The same goes for CryptoKey and KeyObject, taken from Node's types.
 */
export interface JoseJwk {
  /** Key type: "RSA", "EC", "OKP", "oct", "AKP". */
  kty?: string;
  /** Algorithm the key is meant for. */
  alg?: string;
  /** Intended use ("sig" or "enc"). */
  use?: string;
  /** Permitted operations ("sign", "verify", …). */
  key_ops?: string[];
  /** WebCrypto extractable flag. */
  ext?: boolean;
  /** Key ID. */
  kid?: string;
  /** Curve of an EC or OKP key ("P-256", "Ed25519", …). */
  crv?: string;
  /** EC/OKP public x coordinate (Base64Url). */
  x?: string;
  /** EC public y coordinate (Base64Url). */
  y?: string;
  /** EC/OKP private key, or RSA private exponent (Base64Url). */
  d?: string;
  /** RSA modulus (Base64Url). */
  n?: string;
  /** RSA public exponent (Base64Url). */
  e?: string;
  /** RSA first prime factor (Base64Url). */
  p?: string;
  /** RSA second prime factor (Base64Url). */
  q?: string;
  /** RSA first factor CRT exponent (Base64Url). */
  dp?: string;
  /** RSA second factor CRT exponent (Base64Url). */
  dq?: string;
  /** RSA first CRT coefficient (Base64Url). */
  qi?: string;
  /** Symmetric (oct) key value (Base64Url). */
  k?: string;
  /** ML-DSA (AKP) public key (Base64Url). */
  pub?: string;
  /** ML-DSA (AKP) private key (Base64Url). */
  priv?: string;
  /** Any other member (x5c, oth, private parameters…), as RFC 7517 §4 allows. */
  [parameter: string]: unknown;
}

/** A WebCrypto CryptoKey (what jose's generateKeyPair and importJWK return), a Node KeyObject, HMAC secret bytes or a JWK. */
export type JoseKey = webcrypto.CryptoKey | KeyObject | Uint8Array | JoseJwk;

/**
 * A Signer for a standard JWS algorithm. The key (CryptoKey, KeyObject, HMAC secret bytes or JWK, imported with
 * jose's importJWK) is checked once, on the first signature; each signature is one WebCrypto call over the
 * exact signing input, as jose itself does.
 */
export function joseSigner(key: JoseKey, alg: string): Signer {
  const entry = algorithmEntry(alg);
  let prepared: Promise<WebCryptoKey> | undefined;
  return {
    alg,
    async sign(signingInput: Uint8Array): Promise<Uint8Array> {
      const cryptoKey = await (prepared ??= prepareKey(key, alg, entry, 'sign'));
      return new Uint8Array(await webcrypto.subtle.sign(entry.params, cryptoKey, signingInput));
    },
  };
}

/** A Verifier for a standard JWS algorithm; resolves false on a mismatch (including a signature of the wrong size). */
export function joseVerifier(key: JoseKey, alg: string): Verifier {
  const entry = algorithmEntry(alg);
  let prepared: Promise<WebCryptoKey> | undefined;
  return {
    alg,
    async verify(signingInput: Uint8Array, signature: Uint8Array): Promise<boolean> {
      const cryptoKey = await (prepared ??= prepareKey(key, alg, entry, 'verify'));
      try {
        return await webcrypto.subtle.verify(entry.params, cryptoKey, signature, signingInput);
      } catch {
        return false; // e.g. an RSA signature longer than the modulus
      }
    },
  };
}

function algorithmEntry(alg: string): AlgorithmEntry {
  const entry = typeof alg === 'string' && Object.hasOwn(ALGORITHMS, alg) ? ALGORITHMS[alg] : undefined;
  // Only a string is quoted: with the arguments swapped, alg is the key itself.
  const shown = typeof alg === 'string' ? JSON.stringify(alg) : `of type ${alg === null ? 'null' : typeof alg}`;
  if (entry === undefined)
    throw new JwsError('UNSUPPORTED_ALG', `alg ${shown} is not a JWS algorithm jose supports (${JOSE_ALGORITHMS.join(', ')})`);
  return entry;
}

async function prepareKey(key: JoseKey, alg: string, entry: AlgorithmEntry, usage: Usage): Promise<WebCryptoKey> {
  let cryptoKey: WebCryptoKey;
  if (key instanceof Uint8Array) {
    cryptoKey = await importSecret(key, alg, entry, usage);
  } else if (isCryptoKey(key)) {
    cryptoKey = key;
  } else if (isKeyObject(key)) {
    cryptoKey =
      key.type === 'secret'
        ? await importSecret(key.export(), alg, entry, usage)
        : await fromJwk(key.export({ format: 'jwk' }) as JoseJwk, alg, entry, usage);
  } else if (typeof key === 'object' && key !== null) {
    cryptoKey = await fromJwk(key as JoseJwk, alg, entry, usage);
  } else {
    throw new JwsError(
      'BAD_KEY',
      `the key for ${alg} must be a CryptoKey, a KeyObject, a JWK${entry.name === 'HMAC' ? ' or the secret bytes' : ''}`,
    );
  }
  checkCryptoKey(cryptoKey, alg, entry, usage);
  return cryptoKey;
}

async function importSecret(secret: Uint8Array, alg: string, entry: AlgorithmEntry, usage: Usage): Promise<WebCryptoKey> {
  if (entry.name !== 'HMAC') throw new JwsError('BAD_KEY', `secret bytes are a key for HS256/384/512, not ${alg}`);
  if (secret.length === 0) throw new JwsError('BAD_KEY', `the ${alg} secret must not be empty`);
  return webcrypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: entry.hash! }, false, [usage]);
}

async function fromJwk(jwk: JoseJwk, alg: string, entry: AlgorithmEntry, usage: Usage): Promise<WebCryptoKey> {
  // The JWK's own restrictions (RFC 7517 §4.2–4.4), as jose applies them when it signs.
  if (jwk.alg !== undefined && jwk.alg !== alg) throw new JwsError('BAD_KEY', `the JWK is for alg ${JSON.stringify(jwk.alg)}, not ${alg}`);
  if (jwk.use !== undefined && jwk.use !== 'sig') throw new JwsError('BAD_KEY', `the JWK "use" is ${JSON.stringify(jwk.use)}, not "sig"`);
  if (Array.isArray(jwk.key_ops) && !jwk.key_ops.includes(usage))
    throw new JwsError('BAD_KEY', `the JWK "key_ops" do not include "${usage}"`);
  let imported: unknown;
  try {
    imported = await importJWK(jwk as JWK, alg);
  } catch (cause) {
    // jose's and WebCrypto's messages name the rule, never key material.
    throw new JwsError(isNotSupported(cause) ? 'UNSUPPORTED_ALG' : 'BAD_KEY', `the JWK does not fit ${alg}: ${(cause as Error)?.message}`, {
      cause,
    });
  }
  return imported instanceof Uint8Array ? importSecret(imported, alg, entry, usage) : (imported as WebCryptoKey);
}

function checkCryptoKey(key: WebCryptoKey, alg: string, entry: AlgorithmEntry, usage: Usage): void {
  const algorithm = key.algorithm as { name: string; hash?: { name: string }; namedCurve?: string; modulusLength?: number };
  const wrong = (rule: string) => new JwsError('BAD_KEY', `the key cannot ${usage} ${alg}: ${rule}`);
  if (algorithm.name !== entry.name) throw wrong(`its algorithm is ${algorithm.name}, not ${entry.name}`);
  if (entry.hash !== undefined && algorithm.hash?.name !== entry.hash) throw wrong(`its hash must be ${entry.hash}`);
  if (entry.namedCurve !== undefined && algorithm.namedCurve !== entry.namedCurve) throw wrong(`its curve must be ${entry.namedCurve}`);
  const type = entry.name === 'HMAC' ? 'secret' : usage === 'sign' ? 'private' : 'public';
  if (key.type !== type) throw wrong(`a ${type} key is needed, not a ${key.type} key`);
  if (!key.usages.includes(usage)) throw wrong(`its usages do not include "${usage}"`);
  if (entry.minRsaBits !== undefined && (algorithm.modulusLength ?? 0) < entry.minRsaBits)
    throw wrong(`its modulus must be at least ${entry.minRsaBits} bits`);
}

function isCryptoKey(key: unknown): key is WebCryptoKey {
  return (key as { [Symbol.toStringTag]?: string })?.[Symbol.toStringTag] === 'CryptoKey';
}

function isKeyObject(key: unknown): key is KeyObject {
  return (key as { [Symbol.toStringTag]?: string })?.[Symbol.toStringTag] === 'KeyObject';
}

function isNotSupported(error: unknown): boolean {
  return (error as { code?: string })?.code === 'ERR_JOSE_NOT_SUPPORTED' || (error as Error)?.name === 'NotSupportedError';
}
