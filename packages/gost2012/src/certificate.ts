/** X.509 v3 certificates signed with GOST R 34.10-2012 (RFC 9215), as OpenSSL's GOST engine reads and writes them. */
import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import { toHex } from './bytes.js';
import {
  asBitString,
  asOid,
  asSequence,
  asUnsignedInteger,
  decoding,
  derOf,
  malformed,
  parseDer,
  pemOrDerToDer,
  toPem,
  unsignedInteger,
} from './der.js';
import { GostError } from './errors.js';
import { type GostPrivateKey, type GostPublicKey, getPublicKey, privateScalar, publicPoint } from './keys.js';
import { OID_SIGNWITHDIGEST_GOST3410_12_256, OID_SIGNWITHDIGEST_GOST3410_12_512 } from './params.js';
import { readSubjectPublicKeyInfo, subjectPublicKeyInfo } from './pkcs.js';
import { sign, verify } from './signature.js';

/** An X.509 certificate with a GOST R 34.10-2012 key, decoded. */
export interface GostCertificate {
  /** The certificate as DER bytes. */
  der: Uint8Array;
  /** The certificate as PEM ("CERTIFICATE"). */
  pem: string;
  /** The subject's public key. */
  publicKey: GostPublicKey;
  /** Lower-case hex of the serial number, without sign padding. */
  serialNumber: string;
  /** Distinguished names as "C=RU, O=Org, CN=Name" in certificate order. */
  subject: string;
  /** The issuer's distinguished name, in the same form as {@link GostCertificate.subject}. */
  issuer: string;
  /** Start of validity. */
  notBefore: Date;
  /** End of validity. */
  notAfter: Date;
}

/** The subject name of a certificate to issue. */
export interface CertificateSubject {
  /** CN. */
  commonName: string;
  /** O, when given. */
  organization?: string;
  /** C, when given: a two-letter upper-case ISO 3166 code such as `RU`. */
  country?: string;
}

/** Options of {@link createCertificate}. */
export interface CreateCertificateOptions {
  /** The subject's public key, the one the certificate certifies. */
  publicKey: GostPublicKey;
  /** The issuer's private key (the subject's own key for a self-signed certificate). */
  signingKey: GostPrivateKey;
  /** The subject's name. */
  subject: CertificateSubject;
  /** The issuer's certificate; omitted for a self-signed certificate. */
  issuer?: GostCertificate;
  /** Serial number as 1 to 40 hex digits, not zero; random by default. */
  serialNumber?: string;
  /** Start of validity; one minute ago by default. */
  notBefore?: Date;
  /** End of validity, after `notBefore`; 365 days after `notBefore` by default. */
  notAfter?: Date;
  /** A CA certificate (basicConstraints cA, keyCertSign and cRLSign) when true; an end-entity certificate (digitalSignature, nonRepudiation) by default. */
  isCA?: boolean;
}

const OID = {
  CN: '2.5.4.3',
  O: '2.5.4.10',
  C: '2.5.4.6',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  ski: '2.5.29.14',
  aki: '2.5.29.35',
};
const NAME_LABELS: Record<string, string> = { [OID.CN]: 'CN', [OID.O]: 'O', [OID.C]: 'C' };
const DAY_MS = 86_400_000;

function buildName(subject: CertificateSubject): asn1js.Sequence {
  if (typeof subject?.commonName !== 'string' || subject.commonName.length === 0 || subject.commonName.length > 64) {
    throw new GostError('INVALID_INPUT', 'subject.commonName must be a non-empty string of at most 64 characters', {
      field: 'subject.commonName',
    });
  }
  if (subject.country !== undefined && !/^[A-Z]{2}$/.test(subject.country)) {
    throw new GostError('INVALID_INPUT', 'subject.country must be a two-letter upper-case ISO 3166 code', { field: 'subject.country' });
  }
  if (
    subject.organization !== undefined &&
    (typeof subject.organization !== 'string' || subject.organization.length === 0 || subject.organization.length > 64)
  ) {
    throw new GostError('INVALID_INPUT', 'subject.organization must be a non-empty string of at most 64 characters', {
      field: 'subject.organization',
    });
  }
  const rdn = (oid: string, value: asn1js.AsnType) =>
    new asn1js.Set({ value: [new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: oid }), value] })] });
  const rdns: asn1js.Set[] = [];
  if (subject.country !== undefined) rdns.push(rdn(OID.C, new asn1js.PrintableString({ value: subject.country })));
  if (subject.organization !== undefined) rdns.push(rdn(OID.O, new asn1js.Utf8String({ value: subject.organization })));
  rdns.push(rdn(OID.CN, new asn1js.Utf8String({ value: subject.commonName })));
  return new asn1js.Sequence({ value: rdns });
}

/** UTCTime through 2049, GeneralizedTime from 2050 (RFC 5280 section 4.1.2.5), whole seconds. */
function time(date: Date, field: string): asn1js.AsnType {
  if (!(date instanceof Date) || Number.isNaN(date.getTime()))
    throw new GostError('INVALID_INPUT', `${field} must be a valid Date`, { field });
  const valueDate = new Date(Math.floor(date.getTime() / 1000) * 1000);
  return valueDate.getUTCFullYear() < 2050 ? new asn1js.UTCTime({ valueDate }) : new asn1js.GeneralizedTime({ valueDate });
}

function extension(oid: string, critical: boolean, value: asn1js.AsnType): asn1js.Sequence {
  const parts: asn1js.AsnType[] = [new asn1js.ObjectIdentifier({ value: oid })];
  if (critical) parts.push(new asn1js.Boolean({ value: true }));
  parts.push(new asn1js.OctetString({ valueHex: derOf(value) }));
  return new asn1js.Sequence({ value: parts });
}

/** Key identifier: SHA-1 of the subjectPublicKey bits (RFC 5280 section 4.2.1.2, method 1). */
function keyIdentifier(publicKey: GostPublicKey): Uint8Array {
  const bits = (subjectPublicKeyInfo(publicKey).valueBlock.value[1] as asn1js.BitString).valueBlock.valueHexView;
  return new Uint8Array(createHash('sha1').update(bits).digest());
}

function signatureAlgorithm(size: 256 | 512): asn1js.Sequence {
  return new asn1js.Sequence({
    value: [new asn1js.ObjectIdentifier({ value: size === 512 ? OID_SIGNWITHDIGEST_GOST3410_12_512 : OID_SIGNWITHDIGEST_GOST3410_12_256 })],
  });
}

/** Issues an X.509 v3 certificate signed with GOST R 34.10-2012 (Streebog of the signing key's size). */
export function createCertificate(options: CreateCertificateOptions): GostCertificate {
  const { publicKey, signingKey, issuer } = options;
  publicPoint(publicKey);
  const { curve: signingCurve } = privateScalar(signingKey);
  const signerPublic = getPublicKey(signingKey);
  if (issuer !== undefined) {
    if (
      issuer.publicKey.x !== signerPublic.x ||
      issuer.publicKey.y !== signerPublic.y ||
      issuer.publicKey.paramSet !== signerPublic.paramSet
    ) {
      throw new GostError('INVALID_INPUT', "signingKey must be the private key of the issuer certificate's public key", {
        field: 'signingKey',
      });
    }
  } else if (publicKey.x !== signerPublic.x || publicKey.y !== signerPublic.y) {
    throw new GostError('INVALID_INPUT', 'a self-signed certificate (no issuer) needs signingKey to match publicKey', {
      field: 'signingKey',
    });
  }
  const serialHex = options.serialNumber ?? toHex(randomSerial());
  if (!/^[0-9a-fA-F]{1,40}$/.test(serialHex) || /^0+$/.test(serialHex)) {
    throw new GostError('INVALID_INPUT', 'serialNumber must be 1 to 40 hex digits and not zero', { field: 'serialNumber' });
  }
  const notBefore = options.notBefore ?? new Date(Date.now() - 60_000);
  const notAfter = options.notAfter ?? new Date(notBefore.getTime() + 365 * DAY_MS);
  if (notAfter.getTime() <= notBefore.getTime())
    throw new GostError('INVALID_INPUT', 'notAfter must be after notBefore', { field: 'notAfter' });

  const subjectName = buildName(options.subject);
  const issuerName = issuer === undefined ? subjectName : readCertificateParts(issuer.der).subjectName;
  const isCA = options.isCA ?? false;
  const ski = keyIdentifier(publicKey);
  const aki = issuer === undefined ? ski : keyIdentifier(issuer.publicKey);
  // keyUsage bits: digitalSignature(0), nonRepudiation(1) for leaves; digitalSignature, keyCertSign(5), cRLSign(6) for CAs.
  const keyUsage = isCA ? Uint8Array.of(0x86) : Uint8Array.of(0xc0);
  const extensions = [
    extension(OID.basicConstraints, true, new asn1js.Sequence({ value: isCA ? [new asn1js.Boolean({ value: true })] : [] })),
    extension(OID.keyUsage, true, new asn1js.BitString({ valueHex: keyUsage, unusedBits: isCA ? 1 : 6 })),
    extension(OID.ski, false, new asn1js.OctetString({ valueHex: ski })),
    extension(
      OID.aki,
      false,
      new asn1js.Sequence({ value: [new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 }, valueHex: aki })] }),
    ),
  ];
  const tbs = new asn1js.Sequence({
    value: [
      new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [new asn1js.Integer({ value: 2 })] }),
      unsignedInteger(Buffer.from(serialHex.length % 2 ? `0${serialHex}` : serialHex, 'hex')),
      signatureAlgorithm(signingCurve.size),
      issuerName,
      new asn1js.Sequence({ value: [time(notBefore, 'notBefore'), time(notAfter, 'notAfter')] }),
      subjectName,
      subjectPublicKeyInfo(publicKey),
      new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 3 }, value: [new asn1js.Sequence({ value: extensions })] }),
    ],
  });
  const tbsDer = derOf(tbs);
  const signature = sign(tbsDer, signingKey, { layout: 'sr-be' });
  const der = derOf(
    new asn1js.Sequence({
      value: [
        parseDer(tbsDer, 'tbsCertificate'),
        signatureAlgorithm(signingCurve.size),
        new asn1js.BitString({ valueHex: signature, unusedBits: 0 }),
      ],
    }),
  );
  return importCertificate(der);
}

/** A positive 16-byte serial number from the CSPRNG. */
function randomSerial(): Uint8Array {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return bytes;
}

interface CertificateParts {
  tbsDer: Uint8Array;
  signatureOid: string;
  signature: Uint8Array;
  serial: Uint8Array;
  issuerName: asn1js.AsnType;
  subjectName: asn1js.AsnType;
  notBefore: Date;
  notAfter: Date;
  spki: asn1js.AsnType;
}

function readTime(node: unknown, field: string): Date {
  if (node instanceof asn1js.UTCTime || node instanceof asn1js.GeneralizedTime) return node.toDate();
  throw malformed(field, 'expected a UTCTime or GeneralizedTime');
}

function readCertificateParts(der: Uint8Array): CertificateParts {
  const field = 'certificate';
  const [tbs, sigAlg, sigBits] = asSequence(parseDer(der, field), field, 'Certificate');
  const tbsFields = asSequence(tbs, field, 'TBSCertificate');
  const withVersion =
    tbsFields[0] instanceof asn1js.Constructed && tbsFields[0].idBlock.tagClass === 3 && tbsFields[0].idBlock.tagNumber === 0;
  const [serial, , issuerName, validity, subjectName, spki] = withVersion ? tbsFields.slice(1) : tbsFields;
  const [notBefore, notAfter] = asSequence(validity, field, 'Validity');
  if (issuerName === undefined || subjectName === undefined || spki === undefined) throw malformed(field, 'TBSCertificate is incomplete');
  return {
    tbsDer: new Uint8Array(tbs!.valueBeforeDecodeView),
    signatureOid: asOid(asSequence(sigAlg, field, 'signatureAlgorithm')[0], field, 'the signature algorithm'),
    signature: asBitString(sigBits, field, 'the signature'),
    serial: asUnsignedInteger(serial, field, 'the serial number'),
    issuerName,
    subjectName,
    notBefore: readTime(notBefore, field),
    notAfter: readTime(notAfter, field),
    spki,
  };
}

function nameToString(name: asn1js.AsnType): string {
  const parts: string[] = [];
  for (const rdn of (name as asn1js.Sequence).valueBlock.value ?? []) {
    for (const atv of (rdn as asn1js.Set).valueBlock.value ?? []) {
      const [oid, value] = (atv as asn1js.Sequence).valueBlock.value;
      const key = oid instanceof asn1js.ObjectIdentifier ? oid.valueBlock.toString() : '?';
      const text = value && 'getValue' in value && typeof value.getValue === 'function' ? String(value.getValue()) : '';
      parts.push(`${NAME_LABELS[key] ?? key}=${text}`);
    }
  }
  return parts.join(', ');
}

/** Imports an X.509 certificate with a GOST R 34.10-2012 public key (PEM "CERTIFICATE" or DER). */
export function importCertificate(pemOrDer: string | Uint8Array): GostCertificate {
  return decoding('certificate', () => {
    const der = pemOrDerToDer(pemOrDer, ['CERTIFICATE'], 'certificate');
    const parts = readCertificateParts(der);
    const copy = new Uint8Array(der);
    return {
      der: copy,
      pem: toPem(copy, 'CERTIFICATE'),
      publicKey: readSubjectPublicKeyInfo(parts.spki, 'certificate'),
      serialNumber: toHex(parts.serial),
      subject: nameToString(parts.subjectName),
      issuer: nameToString(parts.issuerName),
      notBefore: parts.notBefore,
      notAfter: parts.notAfter,
    };
  });
}

/** True when `certificate` carries a valid GOST R 34.10-2012 signature by `issuerPublicKey`. */
export function verifyCertificateSignature(certificate: GostCertificate | string | Uint8Array, issuerPublicKey: GostPublicKey): boolean {
  const der =
    typeof certificate === 'object' && 'der' in certificate ? certificate.der : pemOrDerToDer(certificate, ['CERTIFICATE'], 'certificate');
  const parts = decoding('certificate', () => readCertificateParts(der));
  const { curve } = publicPoint(issuerPublicKey);
  const expected = curve.size === 512 ? OID_SIGNWITHDIGEST_GOST3410_12_512 : OID_SIGNWITHDIGEST_GOST3410_12_256;
  if (parts.signatureOid !== expected || parts.signature.length !== 2 * curve.bytes) return false;
  return verify(parts.signature, parts.tbsDer, issuerPublicKey, { layout: 'sr-be' });
}
