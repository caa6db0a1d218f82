import * as asn1js from 'asn1js';
import {
  exportPublicKeyPem,
  type GostCertificate,
  type GostPrivateKey,
  type GostPublicKey,
  getPublicKey,
  importCertificate,
  sign,
  streebog256,
  streebog512,
  verifyHash,
} from 'gost2012';
import * as pkijs from 'pkijs';
import { SberDigestError } from './errors.js';
import { OID } from './oids.js';
import { checkPrivateKey, checkSignerIdentity, type DigestSigner } from './sign.js';

const hashOf = (size: 256 | 512): ((data: Uint8Array) => Uint8Array) => (size === 256 ? streebog256 : streebog512);

export function toCertificate(certificate: GostCertificate | string | Uint8Array, field = 'certificate'): GostCertificate {
  if (typeof certificate === 'object' && certificate !== null && !(certificate instanceof Uint8Array) && 'der' in certificate)
    return certificate;
  try {
    return importCertificate(certificate as string | Uint8Array);
  } catch (err) {
    throw new SberDigestError('BAD_OPTIONS', `${field} is not a GOST 2012 X.509 certificate (PEM or DER)`, { cause: err });
  }
}

const ab = (bytes: Uint8Array): ArrayBuffer => bytes.slice().buffer as ArrayBuffer;

/** SigningTime: UTCTime through 2049, GeneralizedTime after (RFC 5652 §11.3). */
const timeValue = (date: Date): asn1js.BaseBlock =>
  date.getUTCFullYear() >= 1950 && date.getUTCFullYear() < 2050
    ? new asn1js.UTCTime({ valueDate: date })
    : new asn1js.GeneralizedTime({ valueDate: date });

/** Compares DER encodings the way DER orders a SET OF. */
function compareDer(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** Options of {@link cmsGostSigner}. */
export interface CmsGostSignerOptions {
  /** The signing key; it must belong to `certificate`. */
  privateKey: GostPrivateKey;
  /** The signer's certificate: it names the signer (issuer + serial) and is embedded, as OpenSSL does. */
  certificate: GostCertificate | string | Uint8Array;
  /** UUID of the signer's certificate as Sber knows it (`GET /v1/crypto`); copied into the {@link DigestSignature}. */
  certificateUuid: string;
  /** Sber's signature type (e.g. `'UKEP_UL'`), copied into the {@link DigestSignature} when given. */
  signType?: string;
  /** Embed the certificate in the SignedData (default true). */
  includeCertificate?: boolean;
  /** The clock for the signingTime attribute (default: now). */
  now?: () => Date;
}

/**
 * A detached CMS SignedData (DER) over the digest, shaped like `openssl cms -sign -binary -md md_gost12_256
 * -nosmimecap`: signed attributes contentType, signingTime, messageDigest (Streebog of the content);
 * digestAlgorithm id-tc26-gost3411-12-256/512 and signatureAlgorithm id-tc26-gost3410-12-256/512 with NULL
 * parameters; the signature over the DER SET OF the signed attributes, s‖r.
 */
export function cmsGostSigner(o: CmsGostSignerOptions): DigestSigner {
  checkSignerIdentity(o);
  const privateKey = checkPrivateKey(o.privateKey);
  const certificate = toCertificate(o.certificate);
  if (exportPublicKeyPem(getPublicKey(privateKey)) !== exportPublicKeyPem(certificate.publicKey)) {
    throw new SberDigestError('BAD_OPTIONS', 'privateKey does not belong to certificate');
  }
  const parsed = pkijs.Certificate.fromBER(ab(certificate.der));
  const includeCertificate = o.includeCertificate ?? true;
  const now = o.now ?? (() => new Date());
  const size = privateKey.size;
  const algorithm = (id: string): pkijs.AlgorithmIdentifier =>
    new pkijs.AlgorithmIdentifier({ algorithmId: id, algorithmParams: new asn1js.Null() });

  return Object.freeze({
    certificateUuid: o.certificateUuid,
    ...(o.signType !== undefined ? { signType: o.signType } : {}),
    async sign(content: Uint8Array): Promise<Uint8Array> {
      const attributes = [
        new pkijs.Attribute({ type: OID.contentType, values: [new asn1js.ObjectIdentifier({ value: OID.data })] }),
        new pkijs.Attribute({ type: OID.signingTime, values: [timeValue(now())] }),
        new pkijs.Attribute({ type: OID.messageDigest, values: [new asn1js.OctetString({ valueHex: ab(hashOf(size)(content)) })] }),
      ]
        .map((attribute) => ({ attribute, der: new Uint8Array(attribute.toSchema().toBER()) }))
        .sort((a, b) => compareDer(a.der, b.der))
        .map((x) => x.attribute);
      // The signature covers the attributes encoded as a SET OF (tag 0x31), not as the [0] IMPLICIT field.
      const signedAttrsDer = new Uint8Array(new asn1js.Set({ value: attributes.map((a) => a.toSchema()) }).toBER());
      const signature = sign(signedAttrsDer, privateKey, { layout: 'sr-be' });

      const signerInfo = new pkijs.SignerInfo({
        version: 1,
        sid: new pkijs.IssuerAndSerialNumber({ issuer: parsed.issuer, serialNumber: parsed.serialNumber }),
        digestAlgorithm: algorithm(size === 256 ? OID.gost3411_256 : OID.gost3411_512),
        signedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes }),
        signatureAlgorithm: algorithm(size === 256 ? OID.gost3410_256 : OID.gost3410_512),
        signature: new asn1js.OctetString({ valueHex: ab(signature) }),
      });
      const signedData = new pkijs.SignedData({
        version: 1,
        digestAlgorithms: [algorithm(size === 256 ? OID.gost3411_256 : OID.gost3411_512)],
        encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }), // detached: no eContent
        ...(includeCertificate ? { certificates: [parsed] } : {}),
        signerInfos: [signerInfo],
      });
      const contentInfo = new pkijs.ContentInfo({ contentType: OID.signedData, content: signedData.toSchema() });
      return new Uint8Array(contentInfo.toSchema().toBER());
    },
  });
}

const DIGEST_SIZE: Record<string, 256 | 512> = { [OID.gost3411_256]: 256, [OID.gost3411_512]: 512 };
const SIGNATURE_SIZE: Record<string, 256 | 512> = {
  [OID.gost3410_256]: 256,
  [OID.gost3410_512]: 512,
  [OID.signWithDigest256]: 256,
  [OID.signWithDigest512]: 512,
};

const equalBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** GOST 2012 algorithm identifiers carry no parameters in CMS: absent, or NULL as OpenSSL writes them. */
function absentOrNull(algorithm: pkijs.AlgorithmIdentifier): boolean {
  const params = algorithm.algorithmParams as asn1js.BaseBlock | undefined;
  return params === undefined || (universal(params, 5) !== undefined && params.valueBeforeDecodeView.length === 2);
}

/** The value when it is a universal-class ASN.1 block with this tag. By tag, not `instanceof`: pkijs may hold its
 *  own copy of asn1js in an application's node_modules. */
function universal(value: unknown, tagNumber: number): asn1js.BaseBlock | undefined {
  const id = (value as asn1js.BaseBlock | undefined)?.idBlock;
  return id && id.tagClass === 1 && id.tagNumber === tagNumber ? (value as asn1js.BaseBlock) : undefined;
}

/**
 * True when some SignerInfo of the CMS SignedData `der` is a valid signature of `content` by `publicKey`:
 * content type data, messageDigest = Streebog(content), signature over the signed attributes as received.
 * Anything malformed or unexpected is `false` (the data is untrusted input).
 */
export function verifyCms(der: Uint8Array, content: Uint8Array, publicKey: GostPublicKey): boolean {
  let signedData: pkijs.SignedData;
  try {
    const info = pkijs.ContentInfo.fromBER(ab(der));
    if (info.contentType !== OID.signedData) return false;
    signedData = new pkijs.SignedData({ schema: info.content });
  } catch {
    return false;
  }
  const encap = signedData.encapContentInfo;
  if (encap.eContentType !== OID.data) return false;
  if (encap.eContent && !equalBytes(new Uint8Array(encap.eContent.getValue()), content)) return false;
  return signedData.signerInfos.some((signerInfo) => {
    try {
      return verifySignerInfo(signerInfo, content, publicKey);
    } catch {
      return false;
    }
  });
}

function verifySignerInfo(signerInfo: pkijs.SignerInfo, content: Uint8Array, publicKey: GostPublicKey): boolean {
  const digestSize = DIGEST_SIZE[signerInfo.digestAlgorithm.algorithmId];
  const signatureSize = SIGNATURE_SIZE[signerInfo.signatureAlgorithm.algorithmId];
  if (digestSize === undefined || signatureSize !== publicKey.size) return false;
  if (!absentOrNull(signerInfo.digestAlgorithm) || !absentOrNull(signerInfo.signatureAlgorithm)) return false;
  const signature = new Uint8Array(signerInfo.signature.getValue());
  if (signature.length !== publicKey.size / 4) return false;
  const hash = hashOf(digestSize);

  if (!signerInfo.signedAttrs) return verifyHash(signature, hash(content), publicKey, { layout: 'sr-be' });

  const attrs = signerInfo.signedAttrs.attributes;
  const only = (type: string): unknown[] | undefined => {
    const found = attrs.filter((a) => a.type === type);
    return found.length === 1 && found[0]!.values.length === 1 ? found[0]!.values : undefined;
  };
  const contentType = universal(only(OID.contentType)?.[0], 6) as asn1js.ObjectIdentifier | undefined;
  if (!contentType || contentType.valueBlock.toString() !== OID.data) return false;
  const messageDigest = universal(only(OID.messageDigest)?.[0], 4) as asn1js.OctetString | undefined;
  if (!messageDigest || messageDigest.idBlock.isConstructed || !equalBytes(messageDigest.valueBlock.valueHexView, hash(content)))
    return false;

  // Verify over the bytes as received, re-tagged from [0] IMPLICIT to SET OF (RFC 5652 §5.4).
  const signedAttrs = new Uint8Array(signerInfo.signedAttrs.encodedValue.slice(0));
  signedAttrs[0] = 0x31;
  return verifyHash(signature, hash(signedAttrs), publicKey, { layout: 'sr-be' });
}
