import { randomUUID, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { createCertificate, type GostPrivateKey, generateKeyPair } from 'gost2012';

/** An RSA key with a self-signed certificate: what signs a GRE in sandbox mode (SUNAT issues real ones). */
export interface RsaSigningKey {
  privateKey: string;
  certificate: string;
}

const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };
const DAY = 86_400_000;

/** A key and its self-signed certificate, valid from yesterday for a year. */
export async function makeGreSigningKey(commonName: string): Promise<RsaSigningKey> {
  const keys = (await webcrypto.subtle.generateKey(RSA, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)).toString('base64');
  const privateKey = `-----BEGIN PRIVATE KEY-----\n${pkcs8.match(/.{1,64}/g)!.join('\n')}\n-----END PRIVATE KEY-----\n`;
  const now = Date.now();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: '01',
      name: `CN=${commonName}`,
      notBefore: new Date(now - DAY),
      notAfter: new Date(now + 365 * DAY),
      keys,
      signingAlgorithm: RSA,
    },
    webcrypto as unknown as Parameters<typeof x509.X509CertificateGenerator.createSelfSigned>[1],
  );
  return { privateKey, certificate: certificate.toString('pem') };
}

/** A GOST R 34.10-2012 key and its certificate, under the uuid the bank lists it by (`/v1/crypto`). */
export interface GostIdentity {
  privateKey: GostPrivateKey;
  certificatePem: string;
  uuid: string;
}

export function makeGostIdentity(commonName: string): GostIdentity {
  const { privateKey, publicKey } = generateKeyPair('tc26-256-a');
  const certificate = createCertificate({ publicKey, signingKey: privateKey, subject: { commonName, country: 'RU' } });
  return { privateKey, certificatePem: certificate.pem, uuid: randomUUID() };
}
