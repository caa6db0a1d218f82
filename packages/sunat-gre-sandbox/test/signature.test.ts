import { webcrypto } from 'node:crypto';
import { despatchAdviceXml } from '@internal/testkit';
import * as x509 from '@peculiar/x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignedXml } from 'xml-crypto';
import { CLIENT, type Harness, startHarness } from './helpers.js';

const C14N = 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315';
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';

/** An RSA key and a self-signed certificate valid from `notBefore` to `notAfter`. */
async function signingKey(notBefore: Date, notAfter: Date): Promise<{ privateKeyPem: string; certificatePem: string }> {
  const alg = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    { serialNumber: '03', name: 'CN=EMISOR DE PRUEBA', notBefore, notAfter, keys, signingAlgorithm: alg },
    webcrypto as unknown as Parameters<typeof x509.X509CertificateGenerator.createSelfSigned>[1],
  );
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { privateKeyPem: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY'), certificatePem: cert.toString('pem') };
}

function sign(xml: string, key: { privateKeyPem: string; certificatePem: string }): string {
  const signer = new SignedXml({
    privateKey: key.privateKeyPem,
    publicCert: key.certificatePem,
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    canonicalizationAlgorithm: C14N,
  });
  signer.addReference({
    xpath: '/*',
    transforms: [ENVELOPED],
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
    isEmptyUri: true,
  });
  signer.computeSignature(xml, {
    prefix: 'ds',
    attrs: { Id: 'SignSUNAT' },
    location: { reference: "//*[local-name()='ExtensionContent']", action: 'append' },
  });
  return signer.getSignedXml();
}

describe("the signature policy 'required'", () => {
  let h: Harness;
  let token: string;
  let valid: { privateKeyPem: string; certificatePem: string };
  let expired: { privateKeyPem: string; certificatePem: string };
  beforeAll(async () => {
    h = await startHarness({ signature: 'required', pendingPolls: 0 });
    token = await h.token();
    valid = await signingKey(new Date(Date.now() - 86_400_000), new Date(Date.now() + 86_400_000));
    expired = await signingKey(new Date(Date.now() - 3 * 86_400_000), new Date(Date.now() - 86_400_000));
  });
  afterAll(() => h.close());

  const guide = (number: number): string => despatchAdviceXml({ ruc: CLIENT.ruc, type: '09', series: 'T001', number });
  const verdict = async (number: number, xml: string): Promise<any> => {
    const sent = await h.send(token, { number, xml });
    expect(sent.status).toBe(200);
    return (await h.status(token, sent.json.numTicket)).json;
  };

  it('an unsigned guide ends 99/1059 without CDR', async () => {
    expect(await verdict(1, guide(1))).toMatchObject({ codRespuesta: '99', error: { numError: '1059' }, indCdrGenerado: '0' });
  });

  it('a correctly signed guide is accepted', async () => {
    expect((await verdict(2, sign(guide(2), valid))).codRespuesta).toBe('0');
  });

  it('a guide changed after signing → 2335 with a rejection CDR', async () => {
    const tampered = sign(guide(3), valid).replace('PRODUCTO DE PRUEBA', 'PRODUCTO DE PRUEBB');
    expect(await verdict(3, tampered)).toMatchObject({ codRespuesta: '99', error: { numError: '2335' }, indCdrGenerado: '1' });
  });

  it('a certificate no longer valid → 2327', async () => {
    expect((await verdict(4, sign(guide(4), expired))).error.numError).toBe('2327');
  });
});
