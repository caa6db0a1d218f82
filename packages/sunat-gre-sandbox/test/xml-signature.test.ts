import { execFileSync } from 'node:child_process';
import { webcrypto } from 'node:crypto';
import { commandOrSkip, despatchAdviceXml, scratchDir } from '@internal/testkit';
import * as x509 from '@peculiar/x509';
import { beforeAll, describe, expect, it } from 'vitest';
import { SignedXml } from 'xml-crypto';
import { verifyXmlSignature } from '../src/xml-signature.js';

const C14N = 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315';
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
let key: { privateKeyPem: string; certificatePem: string };

beforeAll(async () => {
  const alg = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: '02',
      name: 'CN=SANDBOX SIGNATURE TEST',
      notBefore: new Date(Date.now() - 86_400_000),
      notAfter: new Date(Date.now() + 86_400_000),
      keys,
      signingAlgorithm: alg,
    },
    webcrypto as unknown as Parameters<typeof x509.X509CertificateGenerator.createSelfSigned>[1],
  );
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)).toString('base64');
  key = {
    privateKeyPem: `-----BEGIN PRIVATE KEY-----\n${pkcs8.match(/.{1,64}/g)!.join('\n')}\n-----END PRIVATE KEY-----\n`,
    certificatePem: cert.toString('pem'),
  };
});

const unsigned = (itemDescription = 'Café orgánico & té <verde>'): string =>
  despatchAdviceXml({ ruc: '20000000001', type: '09', series: 'T001', number: 1, itemDescription, recipientName: 'Compañía Ñandú S.A.' });

/** Signs the way SUNAT wants it, with xml-crypto (the library the verifier is built on). */
function signWithXmlCrypto(xml: string, algorithm: 'sha1' | 'sha256' = 'sha256'): string {
  const signer = new SignedXml({
    privateKey: key.privateKeyPem,
    publicCert: key.certificatePem,
    signatureAlgorithm:
      algorithm === 'sha1' ? 'http://www.w3.org/2000/09/xmldsig#rsa-sha1' : 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    canonicalizationAlgorithm: C14N,
  });
  signer.addReference({
    xpath: '/*',
    transforms: [ENVELOPED],
    digestAlgorithm: algorithm === 'sha1' ? 'http://www.w3.org/2000/09/xmldsig#sha1' : 'http://www.w3.org/2001/04/xmlenc#sha256',
    isEmptyUri: true,
  });
  signer.computeSignature(xml, {
    prefix: 'ds',
    attrs: { Id: 'SignSUNAT' },
    location: { reference: "//*[local-name()='ExtensionContent']", action: 'append' },
  });
  return signer.getSignedXml();
}

describe('verifyXmlSignature', () => {
  it('accepts a signed DespatchAdvice (rsa-sha256 and rsa-sha1) and returns the embedded certificate', () => {
    for (const alg of ['sha256', 'sha1'] as const) {
      const result = verifyXmlSignature(signWithXmlCrypto(unsigned(), alg));
      expect(result).toEqual({ ok: true, certificatePem: expect.stringContaining('BEGIN CERTIFICATE') });
      if (result.ok) expect(result.certificatePem.replace(/\s/g, '')).toBe(key.certificatePem.replace(/\s/g, ''));
    }
  });

  it('refuses a document changed by one character after signing with 2335', () => {
    const signed = signWithXmlCrypto(unsigned());
    const tampered = signed.replace('Compañía Ñandú', 'Compañía Ñandu');
    expect(tampered).not.toBe(signed);
    expect(verifyXmlSignature(tampered)).toMatchObject({ ok: false, code: '2335' });
  });

  it('refuses a changed SignatureValue with 2334', () => {
    const signed = signWithXmlCrypto(unsigned());
    const tampered = signed.replace(/<ds:SignatureValue>(.)/, (_m, c: string) => `<ds:SignatureValue>${c === 'A' ? 'B' : 'A'}`);
    expect(verifyXmlSignature(tampered)).toMatchObject({ ok: false, code: '2334' });
  });

  it('refuses a signature made with another key than the embedded certificate', () => {
    const signed = signWithXmlCrypto(unsigned());
    const foreign = execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', '/dev/null', '-subj', '/CN=OTHER', '-days', '1'],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    ).toString();
    const foreignB64 = foreign.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, '');
    const swapped = signed.replace(/<ds:X509Certificate>[^<]+</, `<ds:X509Certificate>${foreignB64}<`);
    expect(verifyXmlSignature(swapped)).toMatchObject({ ok: false, code: '2334' });
  });

  it('names the structural faults with their SUNAT codes', () => {
    const signed = signWithXmlCrypto(unsigned());
    expect(verifyXmlSignature(unsigned())).toMatchObject({ ok: false, code: '2336' });
    expect(verifyXmlSignature(signed.replace(' Id="SignSUNAT"', ''))).toMatchObject({ ok: false, code: '2085' });
    expect(verifyXmlSignature(signed.replace(/<ds:X509Certificate>[^<]+<\/ds:X509Certificate>/, ''))).toMatchObject({
      ok: false,
      code: '2101',
    });
    expect(verifyXmlSignature(signed.replace('Reference URI=""', 'Reference URI="#x"'))).toMatchObject({ ok: false, code: '2090' });
    expect(
      verifyXmlSignature(
        signed.replace(
          `CanonicalizationMethod Algorithm="${C14N}"`,
          'CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"',
        ),
      ),
    ).toMatchObject({ ok: false, code: '2086' });
    expect(verifyXmlSignature(signed.replace('xmldsig-more#rsa-sha256', 'xmldsig-more#rsa-sha512'))).toMatchObject({
      ok: false,
      code: '2088',
    });
    expect(verifyXmlSignature(signed.replace(ENVELOPED, 'http://www.w3.org/TR/1999/REC-xpath-19991116'))).toMatchObject({
      ok: false,
      code: '2092',
    });
    expect(verifyXmlSignature('<not xml')).toMatchObject({ ok: false, code: '2336' });
    expect(verifyXmlSignature(`<!DOCTYPE x [<!ENTITY a "b">]>${signed.replace(/^<\?xml[^>]*>/, '')}`)).toMatchObject({
      ok: false,
      code: '2336',
    });
  });

  it('refuses a signature moved out of the first ext:ExtensionContent', () => {
    const signed = signWithXmlCrypto(unsigned());
    const sig = /<ds:Signature[\s\S]*<\/ds:Signature>/.exec(signed)![0];
    const moved = signed.replace(sig, '').replace('</DespatchAdvice>', `<cbc:Note>${sig}</cbc:Note></DespatchAdvice>`);
    expect(verifyXmlSignature(moved)).toMatchObject({ ok: false });
  });

  const hasXmlsec = commandOrSkip('xmlsec1', 'xmlsec1');
  describe.skipIf(!hasXmlsec)('against xmlsec1, an independent implementation', () => {
    it('accepts what `xmlsec1 --sign` signs, and refuses it once altered', () => {
      const s = scratchDir('gre-sig-');
      try {
        const template = unsigned().replace(
          '<ext:ExtensionContent></ext:ExtensionContent>',
          '<ext:ExtensionContent><ds:Signature Id="SignSUNAT"><ds:SignedInfo>' +
            `<ds:CanonicalizationMethod Algorithm="${C14N}"/><ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>` +
            `<ds:Reference URI=""><ds:Transforms><ds:Transform Algorithm="${ENVELOPED}"/></ds:Transforms>` +
            '<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue/></ds:Reference></ds:SignedInfo>' +
            '<ds:SignatureValue/><ds:KeyInfo><ds:X509Data/></ds:KeyInfo></ds:Signature></ext:ExtensionContent>',
        );
        const out = execFileSync(
          'xmlsec1',
          [
            '--sign',
            '--privkey-pem',
            `${s.write('k.pem', key.privateKeyPem)},${s.write('c.pem', key.certificatePem)}`,
            s.write('t.xml', template),
          ],
          {
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        ).toString('utf8');
        expect(verifyXmlSignature(out)).toMatchObject({ ok: true });
        expect(verifyXmlSignature(out.replace('T001-1', 'T001-2'))).toMatchObject({ ok: false, code: '2335' });
      } finally {
        s.cleanup();
      }
    });
  });
});
