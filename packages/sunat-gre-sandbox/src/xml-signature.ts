import { X509Certificate } from 'node:crypto';
import { DOMParser, type Element } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';

const DSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';
const EXT_NS = 'urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2';
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
const C14N = new Set(['http://www.w3.org/TR/2001/REC-xml-c14n-20010315', 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments']);
const SIGNATURE_METHODS = new Set(['http://www.w3.org/2000/09/xmldsig#rsa-sha1', 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256']);

/**
 * SUNAT's codes for a signature that fails (CodeErrors.xml): 2334 and 2335 both read "El documento electrónico
 * ingresado ha sido alterado" (we use 2335 when the digest of the content no longer matches, 2334 when the
 * signature value does not match SignedInfo), 2336 "Ocurrió un error en el proceso de validación de la firma
 * digital", and the structural ones 2085 (no ds:Signature/@Id), 2086 (canonicalization), 2088 (signature
 * method), 2090 (Reference/@URI not empty), 2092 (transforms), 2101 (no X509Certificate).
 */
export type XmlSignatureCode = '2085' | '2086' | '2088' | '2090' | '2092' | '2101' | '2334' | '2335' | '2336';

export type XmlSignatureResult = { ok: true; certificatePem: string } | { ok: false; reason: string; code: XmlSignatureCode };

/**
 * Verifies the enveloped XMLDSig SUNAT expects in the first ext:ExtensionContent: one reference to the whole
 * document (URI ""), enveloped-signature + inclusive C14N, RSA-SHA1/SHA-256, checked against the certificate
 * embedded in KeyInfo (the sandbox does not check who issued it; SUNAT checks it against its register).
 */
export function verifyXmlSignature(xml: string): XmlSignatureResult {
  const fail = (code: XmlSignatureCode, reason: string): XmlSignatureResult => ({ ok: false, reason, code });
  if (/<!DOCTYPE/i.test(xml)) return fail('2336', 'a DOCTYPE is not accepted');
  let doc: ReturnType<DOMParser['parseFromString']>;
  try {
    doc = new DOMParser({
      onError: (level, message) => {
        if (level !== 'warning') throw new Error(message);
      },
    }).parseFromString(xml, 'text/xml');
  } catch (e) {
    return fail('2336', `not well-formed XML: ${(e as Error).message.split('\n')[0]}`);
  }
  const signatures = Array.from(doc.getElementsByTagNameNS(DSIG_NS, 'Signature'));
  const signature = signatures[0];
  if (!signature) return fail('2336', 'no ds:Signature');
  const parent = signature.parentNode as { localName?: string; namespaceURI?: string } | null;
  const firstContent = doc.getElementsByTagNameNS(EXT_NS, 'ExtensionContent')[0];
  if (parent?.localName !== 'ExtensionContent' || parent.namespaceURI !== EXT_NS || (parent as unknown) !== firstContent)
    return fail('2336', 'ds:Signature is not in the first ext:ExtensionContent');
  if (!signature.getAttribute('Id')) return fail('2085', 'ds:Signature has no Id');

  const first = (name: string): Element | undefined => signature.getElementsByTagNameNS(DSIG_NS, name)[0] as Element | undefined;
  const certText = first('X509Certificate')?.textContent?.replace(/\s+/g, '') ?? '';
  if (!certText) return fail('2101', 'no KeyInfo/X509Data/X509Certificate');
  let certificatePem: string;
  try {
    certificatePem = new X509Certificate(Buffer.from(certText, 'base64')).toString();
  } catch {
    return fail('2101', 'X509Certificate is not a certificate');
  }
  if (!C14N.has(first('CanonicalizationMethod')?.getAttribute('Algorithm') ?? ''))
    return fail('2086', 'CanonicalizationMethod is not inclusive C14N 1.0');
  if (!SIGNATURE_METHODS.has(first('SignatureMethod')?.getAttribute('Algorithm') ?? ''))
    return fail('2088', 'SignatureMethod is not rsa-sha1 or rsa-sha256');
  const references = Array.from(signature.getElementsByTagNameNS(DSIG_NS, 'Reference'));
  if (references.length !== 1 || references[0]!.getAttribute('URI') !== '') return fail('2090', 'there must be one Reference, with URI ""');
  const transforms = Array.from(references[0]!.getElementsByTagNameNS(DSIG_NS, 'Transform')).map((t) => t.getAttribute('Algorithm') ?? '');
  if (!transforms.includes(ENVELOPED) || transforms.some((t) => t !== ENVELOPED && !C14N.has(t)))
    return fail('2092', 'transforms must be enveloped-signature (+ C14N)');

  const verifier = new SignedXml({ publicCert: certificatePem, getCertFromKeyInfo: () => null });
  try {
    verifier.loadSignature(signature as unknown as Parameters<SignedXml['loadSignature']>[0]);
    if (!verifier.checkSignature(xml)) return fail('2335', 'the digest does not match: the document was altered after signing');
  } catch (e) {
    const message = (e as Error).message;
    if (/signature value .* is incorrect/.test(message)) return fail('2334', 'the signature value does not match SignedInfo');
    return fail('2336', `signature could not be validated: ${message.slice(0, 200)}`);
  }
  return { ok: true, certificatePem };
}
