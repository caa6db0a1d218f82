// Shared by the gre*.test.ts files: sample guides (with real RUC check digits) and throwaway RSA keys.
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import forge from 'node-forge';
import type { CarrierGuide, SenderGuide } from '../src/gre/index.js';

/** RUCs whose check digit is right (computed by hand with weights 5,4,3,2,7,6,5,4,3,2). */
export const RUC = { sender: '20100070970', recipient: '20131312955', carrier: '20600000005', other: '10417844398' } as const;

export function senderGuide(over: Partial<SenderGuide> = {}): SenderGuide {
  return {
    type: '09',
    series: 'T001',
    number: 123,
    issueDate: '2026-01-05',
    issueTime: '10:23:59',
    issuer: { ruc: RUC.sender, name: 'Compañía Peruana de Envíos S.A.C.' },
    recipient: { documentType: '6', documentNumber: RUC.recipient, name: 'Distribuidora Ñandú & Hijos <Perú>' },
    note: 'Entregar en almacén "B"',
    relatedDocuments: [{ type: '01', number: 'F001-456' }], // issuer: the guide's (SUNAT 3381 for a sale)
    shipment: {
      reason: '01',
      mode: '02',
      grossWeight: 1250.5,
      weightUnit: 'KGM',
      packages: 12,
      startDate: '2026-01-06',
      start: { ubigeo: '150203', address: 'Av. Argentina 1234, Callao', establishmentCode: '0001', establishmentRuc: RUC.sender },
      arrival: { ubigeo: '040101', address: 'Calle Mercaderes 210, Arequipa' },
      vehicles: [{ plate: 'ABC123' }, { plate: 'XYZ987' }],
      drivers: [
        { documentType: '1', documentNumber: '45678912', firstNames: 'José Ángel', lastNames: 'Muñoz Pérez', license: 'Q45678912' },
      ],
    },
    lines: [
      { quantity: 10, unitCode: 'NIU', description: 'Cajas de café orgánico', code: 'CAF-01', sunatProductCode: '50201706' },
      { quantity: '2.5', unitCode: 'KGM', description: 'Azúcar rubia', code: 'AZ-02' },
    ],
    ...over,
  };
}

export function carrierGuide(over: Partial<CarrierGuide> = {}): CarrierGuide {
  return {
    type: '31',
    series: 'VA28',
    number: '7',
    issueDate: '2026-02-10',
    issueTime: '08:00:00',
    issuer: { ruc: RUC.carrier, name: 'Transportes Andinos E.I.R.L.', mtcRegistration: '1587462CNG' },
    sender: { documentType: '6', documentNumber: RUC.sender, name: 'Compañía Peruana de Envíos S.A.C.' },
    recipient: { documentType: '1', documentNumber: '41784439', name: 'María Fernández Núñez' },
    relatedDocuments: [{ type: '09', number: 'T001-123', issuerRuc: RUC.sender }],
    shipment: {
      grossWeight: 3.25,
      weightUnit: 'TNE',
      startDate: '2026-02-11',
      start: { ubigeo: '150101', address: 'Jr. Cusco 100, Lima' },
      arrival: { ubigeo: '080101', address: 'Av. El Sol 500, Cusco' },
      vehicles: [{ plate: 'F1A234', circulationCard: '15M12345678' }],
      drivers: [
        { documentType: '1', documentNumber: '12345678', firstNames: 'Raúl', lastNames: 'Quispe Mamani', license: 'Q12345678' },
        {
          documentType: '4',
          documentNumber: '001234567',
          firstNames: 'Iñigo',
          lastNames: 'Zúñiga',
          license: 'B98765432',
          role: 'Secundario',
        },
      ],
    },
    lines: [{ quantity: 100, unitCode: 'BX', description: 'Cajas de cerámica', code: 'CER-9' }],
    ...over,
  };
}

export interface TestKey {
  privateKeyPem: string;
  certificatePem: string;
  /** A PKCS#12 made by node-forge (3DES, SHA-1 MAC: what Windows exports). */
  pfx: Uint8Array;
  passphrase: string;
}

/** A fresh RSA-2048 key and self-signed certificate (as SUNAT accepts for tests: any X.509). */
export async function makeTestKey(commonName = 'GRE TEST 20100070970'): Promise<TestKey> {
  const alg = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: '01',
      name: `CN=${commonName}`,
      notBefore: new Date(Date.now() - 86_400_000),
      notAfter: new Date(Date.now() + 86_400_000 * 30),
      keys,
      signingAlgorithm: alg,
    },
    webcrypto as unknown as Parameters<typeof x509.X509CertificateGenerator.createSelfSigned>[1],
  );
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const privateKeyPem =
    `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END PRIVATE KEY-----\n`.replace('\n\n', '\n');
  const certificatePem = cert.toString('pem');
  const passphrase = 'pässwörd-Ñ-123';
  const p12 = forge.pkcs12.toPkcs12Asn1(
    forge.pki.privateKeyFromPem(privateKeyPem),
    [forge.pki.certificateFromPem(certificatePem)],
    passphrase,
    { algorithm: '3des' },
  );
  const pfx = Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary');
  return { privateKeyPem, certificatePem, pfx, passphrase };
}
