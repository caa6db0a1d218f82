/**
 * PKCS#8 private keys and SubjectPublicKeyInfo public keys exactly as OpenSSL's GOST engine writes them:
 *   AlgorithmIdentifier = { id-tc26-gost3410-12-256|512, SEQUENCE { paramSet OID [, digest OID] } }
 *   private key: OCTET STRING of the scalar, little-endian (older writers: an OCTET STRING or INTEGER inside)
 *   public key: BIT STRING wrapping an OCTET STRING of X‖Y, each little-endian.
 */
import * as asn1js from 'asn1js';
import { bytesToNumberBE, bytesToNumberLE } from './bytes.js';
import { asBitString, asOctets, asOid, asSequence, decoding, derOf, malformed, parseDer, pemOrDerToDer, toPem } from './der.js';
import { GostError } from './errors.js';
import {
  type GostPrivateKey,
  type GostPublicKey,
  makePrivateKey,
  privateKeyBytesLE,
  privateScalar,
  publicKeyFromRaw,
  publicPoint,
} from './keys.js';
import {
  type Curve,
  getCurve,
  OID_GOST3410_12_256,
  OID_GOST3410_12_512,
  OID_GOST3411_12_256,
  OID_GOST3411_12_512,
  paramSetByOid,
} from './params.js';

export function algorithmIdentifier(curve: Curve): asn1js.Sequence {
  const params = [new asn1js.ObjectIdentifier({ value: curve.oid })];
  if (curve.withDigestOid)
    params.push(new asn1js.ObjectIdentifier({ value: curve.size === 512 ? OID_GOST3411_12_512 : OID_GOST3411_12_256 }));
  return new asn1js.Sequence({
    value: [
      new asn1js.ObjectIdentifier({ value: curve.size === 512 ? OID_GOST3410_12_512 : OID_GOST3410_12_256 }),
      new asn1js.Sequence({ value: params }),
    ],
  });
}

/** Reads a GOST 2012 AlgorithmIdentifier and returns the parameter set (its size must match the algorithm). */
export function readAlgorithm(node: unknown, field: string): Curve {
  const [algOid, params] = asSequence(node, field, 'AlgorithmIdentifier');
  const alg = asOid(algOid, field, 'the key algorithm');
  const size = alg === OID_GOST3410_12_256 ? 256 : alg === OID_GOST3410_12_512 ? 512 : undefined;
  if (size === undefined) {
    throw new GostError(
      'UNSUPPORTED_ALGORITHM',
      `${field} algorithm ${alg} is not GOST R 34.10-2012 (${OID_GOST3410_12_256} or ${OID_GOST3410_12_512})`,
      { field },
    );
  }
  const [paramSetOid] = asSequence(params, field, 'GOST key parameters');
  const curve = getCurve(paramSetByOid(asOid(paramSetOid, field, 'the parameter set')));
  if (curve.size !== size) {
    throw new GostError('INVALID_KEY_SIZE', `${field}: parameter set ${curve.name} is ${curve.size}-bit but the algorithm is ${size}-bit`, {
      field,
    });
  }
  return curve;
}

/** Private key bytes in the layouts OpenSSL has used: raw little-endian octets, or a DER OCTET STRING / INTEGER inside. */
function readScalar(octets: Uint8Array, curve: Curve): bigint {
  if (octets.length === curve.bytes) return bytesToNumberLE(octets);
  if (octets.length > 0 && (octets[0] === 0x04 || octets[0] === 0x02)) {
    const inner = decoding('privateKey', () => asn1js.fromBER(octets));
    if (inner.offset === octets.length) {
      if (inner.result instanceof asn1js.OctetString) {
        const raw = new Uint8Array(inner.result.valueBlock.valueHexView);
        if (raw.length === curve.bytes) return bytesToNumberLE(raw);
      } else if (inner.result instanceof asn1js.Integer) {
        const raw = new Uint8Array(inner.result.valueBlock.valueHexView);
        if (raw.length <= curve.bytes + 1) return bytesToNumberBE(raw);
      }
    }
  }
  throw new GostError('INVALID_KEY_SIZE', `privateKey must hold a ${curve.bytes}-byte scalar for ${curve.name}`, { field: 'privateKey' });
}

/** Imports a PKCS#8 private key (PEM "PRIVATE KEY" or DER) as OpenSSL's GOST engine writes it. */
export function importPrivateKey(pemOrDer: string | Uint8Array): GostPrivateKey {
  const field = 'privateKey';
  return decoding(field, () => {
    const der = pemOrDerToDer(pemOrDer, ['PRIVATE KEY'], field);
    const [version, alg, key] = asSequence(parseDer(der, field), field, 'PrivateKeyInfo');
    if (!(version instanceof asn1js.Integer)) throw malformed(field, 'expected the PrivateKeyInfo version');
    const curve = readAlgorithm(alg, field);
    return makePrivateKey(curve, readScalar(asOctets(key, field, 'the private key'), curve));
  });
}

/** Imports a SubjectPublicKeyInfo (PEM "PUBLIC KEY" or DER); the point is checked to be on the curve. */
export function importPublicKey(pemOrDer: string | Uint8Array): GostPublicKey {
  const field = 'publicKey';
  return decoding(field, () => readSubjectPublicKeyInfo(parseDer(pemOrDerToDer(pemOrDer, ['PUBLIC KEY'], field), field), field));
}

export function readSubjectPublicKeyInfo(node: unknown, field: string): GostPublicKey {
  const [alg, bits] = asSequence(node, field, 'SubjectPublicKeyInfo');
  const curve = readAlgorithm(alg, field);
  const wrapped = asBitString(bits, field, 'the public key');
  const inner = decoding(field, () => asn1js.fromBER(wrapped));
  if (inner.offset !== wrapped.length) throw malformed(field, 'the public key BIT STRING must wrap one OCTET STRING');
  const raw = asOctets(inner.result, field, 'the public key point');
  if (raw.length !== 2 * curve.bytes) {
    throw new GostError('INVALID_KEY_SIZE', `${field} point must be ${2 * curve.bytes} bytes for ${curve.name}, got ${raw.length}`, {
      field,
    });
  }
  return publicKeyFromRaw(curve.name, raw);
}

export function subjectPublicKeyInfo(publicKey: GostPublicKey): asn1js.Sequence {
  const { curve } = publicPoint(publicKey);
  const point = derOf(new asn1js.OctetString({ valueHex: publicKey.raw }));
  return new asn1js.Sequence({ value: [algorithmIdentifier(curve), new asn1js.BitString({ valueHex: point, unusedBits: 0 })] });
}

/** SubjectPublicKeyInfo as PEM ("PUBLIC KEY"), readable by `openssl pkey -engine gost -pubin`. */
export function exportPublicKeyPem(publicKey: GostPublicKey): string {
  return toPem(derOf(subjectPublicKeyInfo(publicKey)), 'PUBLIC KEY');
}

/** PKCS#8 PrivateKeyInfo as PEM ("PRIVATE KEY"), as `openssl genpkey -engine gost` writes it. Handle it as a secret. */
export function exportPrivateKeyPem(privateKey: GostPrivateKey): string {
  const { curve } = privateScalar(privateKey);
  const scalar = privateKeyBytesLE(privateKey);
  const der = derOf(
    new asn1js.Sequence({
      value: [new asn1js.Integer({ value: 0 }), algorithmIdentifier(curve), new asn1js.OctetString({ valueHex: scalar })],
    }),
  );
  scalar.fill(0);
  const pem = toPem(der, 'PRIVATE KEY');
  der.fill(0);
  return pem;
}
