import { createHash, createPrivateKey, createPublicKey, createSign, type KeyObject, X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { DEFAULT_SIGNATURE_ID } from './build.js';
import { C14nError, canonicalAttribute, canonicalize, compareCodePoints, type ElementInfo, renderNamespaces } from './c14n.js';
import { GreValidationError } from './errors.js';

/** A PEM private key (PKCS#1 or PKCS#8) or a KeyObject, with its X.509 certificate (PEM or DER). */
export interface PemSigningKey {
  /** The private key: PEM text (PKCS#1 or PKCS#8) or a KeyObject. */
  privateKey: string | KeyObject;
  /** Its X.509 certificate: PEM text or DER bytes. */
  certificate: string | Uint8Array;
}
/** A PKCS#12 (.pfx/.p12) file as SUNAT's certificate vendors deliver it, and its passphrase. */
export interface PfxSigningKey {
  /** The PKCS#12 file's bytes. */
  pfx: Uint8Array;
  /** Its passphrase; never appears in an error. */
  passphrase: string;
}
/** The signing key: PEM key + certificate, or a PKCS#12 file. */
export type SigningKey = PemSigningKey | PfxSigningKey;

/** XML-DSig signature algorithm (digest follows: SHA-256 or SHA-1). */
export type SignatureAlgorithm = 'rsa-sha256' | 'rsa-sha1';

/** How to sign (see {@link signXml}). */
export interface SignXmlOptions {
  /** Default 'rsa-sha256'. SUNAT accepts both; greenter signs with rsa-sha1. */
  algorithm?: SignatureAlgorithm;
  /** ds:Signature/@Id; default: the id that cac:Signature's URI points at ("#SignSUNAT" → "SignSUNAT"). */
  signatureId?: string;
}

/** What SUNAT's structure asks for (and greenter does): inclusive C14N 1.0 without comments + enveloped-signature. */
export const C14N = 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315';
/** The enveloped-signature transform URI. */
export const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
const ALGORITHMS: Record<SignatureAlgorithm, { signature: string; digest: string; hash: string }> = {
  'rsa-sha256': {
    signature: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    digest: 'http://www.w3.org/2001/04/xmlenc#sha256',
    hash: 'sha256',
  },
  'rsa-sha1': { signature: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1', digest: 'http://www.w3.org/2000/09/xmldsig#sha1', hash: 'sha1' },
};

interface LoadedKey {
  privateKey: KeyObject;
  certificatePem: string;
}

/** Key material in the form the signer needs. Errors say what is wrong, never the key or the passphrase. */
export function loadSigningKey(key: SigningKey): LoadedKey {
  if ('pfx' in key) return loadPfx(key);
  let certificatePem: string;
  try {
    const der = typeof key.certificate === 'string' ? key.certificate : Buffer.from(key.certificate);
    certificatePem = new X509Certificate(der).toString();
  } catch {
    throw new GreValidationError('signing.certificate', 'x509', 'is not a PEM or DER X.509 certificate');
  }
  let privateKey: KeyObject;
  try {
    privateKey = typeof key.privateKey === 'string' ? createPrivateKey(key.privateKey) : key.privateKey;
  } catch {
    throw new GreValidationError('signing.privateKey', 'private-key', 'is not a readable PEM private key (decrypt an encrypted key first)');
  }
  return checked(privateKey, certificatePem);
}

function loadPfx({ pfx, passphrase }: PfxSigningKey): LoadedKey {
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    p12 = parsePkcs12(Buffer.from(pfx).toString('binary'), passphrase);
  } catch {
    // forge's messages may quote bag data: say only what the user can act on.
    throw new GreValidationError('signing.pfx', 'pkcs12', 'is not a PKCS#12 file, or the passphrase is wrong');
  }
  const keys = [
    ...(p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag! })[forge.pki.oids.pkcs8ShroudedKeyBag!] ?? []),
    ...(p12.getBags({ bagType: forge.pki.oids.keyBag! })[forge.pki.oids.keyBag!] ?? []),
  ].flatMap((b) => (b.key ? [b.key] : []));
  const certs = (p12.getBags({ bagType: forge.pki.oids.certBag! })[forge.pki.oids.certBag!] ?? []).flatMap((b) => (b.cert ? [b.cert] : []));
  if (keys.length === 0) throw new GreValidationError('signing.pfx', 'pkcs12-key', 'holds no private key');
  const privateKey = createPrivateKey(forge.pki.privateKeyToPem(keys[0]!));
  // A vendor's .pfx often carries the CA chain too: take the certificate whose public key is ours.
  for (const cert of certs) {
    const pem = forge.pki.certificateToPem(cert);
    if (matches(privateKey, pem)) return { privateKey, certificatePem: new X509Certificate(pem).toString() };
  }
  throw new GreValidationError('signing.pfx', 'pkcs12-certificate', 'holds no certificate for its private key');
}

function parsePkcs12(der: string, passphrase: string): forge.pkcs12.Pkcs12Pfx {
  try {
    return forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(der), passphrase);
  } catch (e) {
    // OpenSSL 3 keys its PBES2 (AES) bags with the passphrase's UTF-8 bytes, while forge hands PBKDF2 the string's
    // UTF-16 units cut to bytes. Only a non-ASCII passphrase differs, and only after the MAC (a BMPString of the
    // passphrase, which forge computes right) was verified: then decrypt again with the UTF-8 bytes.
    if (/^[\x20-\x7e]*$/.test(passphrase) || /MAC/.test((e as Error).message)) throw e;
    const asn1 = forge.asn1.fromDer(der);
    (asn1.value as forge.asn1.Asn1[]).length = 2; // macData dropped: already verified above
    return forge.pkcs12.pkcs12FromAsn1(asn1, forge.util.encodeUtf8(passphrase));
  }
}

function matches(privateKey: KeyObject, certificatePem: string): boolean {
  const spki = (k: KeyObject): string => k.export({ type: 'spki', format: 'der' }).toString('base64');
  return spki(createPublicKey(privateKey)) === spki(new X509Certificate(certificatePem).publicKey);
}

function checked(privateKey: KeyObject, certificatePem: string): LoadedKey {
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'rsa')
    throw new GreValidationError('signing.privateKey', 'rsa', 'must be an RSA private key (SUNAT signs with RSA)');
  if (!matches(privateKey, certificatePem))
    throw new GreValidationError('signing.certificate', 'key-match', 'does not belong to the private key');
  return { privateKey, certificatePem };
}

const EXT_NS = 'urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2';
const DSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';

/**
 * Signs a UBL document the way SUNAT verifies it: an enveloped XMLDSig (reference URI "", transform
 * enveloped-signature, inclusive C14N 1.0) placed in the first ext:ExtensionContent without child elements,
 * with the certificate in KeyInfo/X509Data. Every byte of the input outside that element is kept.
 */
export function signXml(xml: string, key: SigningKey, options: SignXmlOptions = {}): string {
  const algorithm = options.algorithm ?? 'rsa-sha256';
  const alg = ALGORITHMS[algorithm];
  if (!alg) throw new GreValidationError('signing.algorithm', 'algorithm', "must be 'rsa-sha256' or 'rsa-sha1'");
  const { privateKey, certificatePem } = loadSigningKey(key);

  // One pass: the canonical document (what the enveloped-signature reference digests, since the signature is
  // not there yet) and the first empty ext:ExtensionContent with the namespaces in scope there.
  let candidate: ElementInfo | undefined;
  let candidateDepth = -1;
  let place: { el: ElementInfo; at: number } | undefined;
  let canonical: string;
  try {
    canonical = canonicalize(xml, {
      onStart(el, depth) {
        if (place) return;
        if (candidate && depth === candidateDepth + 1) candidate = undefined; // has a child element: not empty
        if (!candidate && el.localName === 'ExtensionContent' && el.namespaceUri === EXT_NS) {
          candidate = el;
          candidateDepth = depth;
        }
      },
      onEnd(el, at) {
        if (!place && el === candidate) place = { el, at };
      },
    });
  } catch (e) {
    throw new GreValidationError(
      'xml',
      'well-formed',
      `is not a well-formed document without DTD (${e instanceof C14nError ? e.message : 'unknown error'})`,
    );
  }
  if (!place) throw new GreValidationError('xml', 'signature-place', 'has no empty ext:ExtensionContent for the signature');
  const { el, at } = place;

  const scope: Record<string, string> = { ...el.scope };
  let dsDeclaration = '';
  if (scope.ds === undefined) {
    scope.ds = DSIG_NS;
    dsDeclaration = ` xmlns:ds="${DSIG_NS}"`;
  } else if (scope.ds !== DSIG_NS)
    throw new GreValidationError('xml', 'ds-prefix', 'binds the prefix ds to another namespace than XMLDSig');
  const signatureId = options.signatureId ?? /<cbc:URI>#([^<]+)<\/cbc:URI>/.exec(xml)?.[1] ?? DEFAULT_SIGNATURE_ID;
  if (!/^[A-Za-z_][\w.-]*$/.test(signatureId)) throw new GreValidationError('signing.signatureId', 'xml-id', 'must be an XML Id', '2084');

  const digest = createHash(alg.hash).update(canonical, 'utf8').digest('base64');
  const signedInfoContent =
    `<ds:CanonicalizationMethod Algorithm="${C14N}"></ds:CanonicalizationMethod>` +
    `<ds:SignatureMethod Algorithm="${alg.signature}"></ds:SignatureMethod>` +
    `<ds:Reference URI=""><ds:Transforms><ds:Transform Algorithm="${ENVELOPED}"></ds:Transform></ds:Transforms>` +
    `<ds:DigestMethod Algorithm="${alg.digest}"></ds:DigestMethod><ds:DigestValue>${digest}</ds:DigestValue></ds:Reference>`;
  // Inclusive C14N of the SignedInfo subset: its apex carries every namespace in scope and inherited xml:* attributes.
  const inherited = Object.entries(el.xmlAttributes)
    .sort((a, b) => compareCodePoints(a[0].slice(4), b[0].slice(4)))
    .map(([n, v]) => ` ${n}="${canonicalAttribute(v)}"`)
    .join('');
  const namespaces = renderNamespaces(Object.entries(scope).filter(([p, uri]) => !(p === '' && uri === '') && p !== 'xml'));
  const canonicalSignedInfo = `<ds:SignedInfo${namespaces}${inherited}>${signedInfoContent}</ds:SignedInfo>`;
  const signatureValue = createSign(alg.hash).update(canonicalSignedInfo, 'utf8').sign(privateKey, 'base64');
  const certificate = certificatePem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, '');
  const signature =
    `<ds:Signature Id="${signatureId}"${dsDeclaration}><ds:SignedInfo>${signedInfoContent}</ds:SignedInfo>` +
    `<ds:SignatureValue>${signatureValue}</ds:SignatureValue>` +
    `<ds:KeyInfo><ds:X509Data><ds:X509Certificate>${certificate}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></ds:Signature>`;
  if (el.selfClosing) {
    const open = xml.slice(el.start, el.startTagEnd).replace(/\s*\/>$/, '>');
    return `${xml.slice(0, el.start)}${open}${signature}</${el.name}>${xml.slice(el.startTagEnd)}`;
  }
  return `${xml.slice(0, at)}${signature}${xml.slice(at)}`;
}
