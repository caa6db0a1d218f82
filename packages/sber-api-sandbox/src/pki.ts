import { generateKeyPairSync, KeyObject, sign as nodeSign, randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

/** RSA-2048 with SHA-256, like the TLS certificates Sber issues to clients. */
const RSA: webcrypto.RsaHashedKeyGenParams = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
};
const crypto = webcrypto;
x509.cryptoProvider.set(crypto);

export interface Issued {
  cert: string;
  key: string;
  /** Kept for issuing further certificates when this one is a CA. */
  keys: webcrypto.CryptoKeyPair;
  x509: x509.X509Certificate;
}

function serial(): string {
  const bytes = randomBytes(16);
  bytes[0]! &= 0x7f; // positive INTEGER
  return bytes.toString('hex');
}

function pem(label: string, der: ArrayBuffer | Uint8Array): string {
  const b64 = Buffer.from(der instanceof Uint8Array ? der : new Uint8Array(der))
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .trimEnd();
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

const DAY = 86_400_000;
const validity = () => ({ notBefore: new Date(Date.now() - DAY), notAfter: new Date(Date.now() + 365 * DAY) });

async function finish(cert: x509.X509Certificate, keys: webcrypto.CryptoKeyPair): Promise<Issued> {
  const pkcs8 = await crypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { cert: `${cert.toString('pem')}\n`, key: pem('PRIVATE KEY', pkcs8), keys, x509: cert };
}

/** A self-signed CA (RSA-2048). */
export async function createCa(commonName: string): Promise<Issued> {
  const keys = (await crypto.subtle.generateKey(RSA, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${commonName}, O=sber-api-sandbox`,
    keys,
    signingAlgorithm: RSA,
    ...validity(),
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return finish(cert, keys);
}

/** A leaf certificate signed by `ca`: the server's (with SANs for 127.0.0.1/localhost) or a client's. */
export async function issue(ca: Issued, commonName: string, kind: 'server' | 'client', hosts: string[] = []): Promise<Issued> {
  const keys = (await crypto.subtle.generateKey(RSA, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    new x509.ExtendedKeyUsageExtension([kind === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth]),
    await x509.AuthorityKeyIdentifierExtension.create(ca.x509),
  ];
  if (hosts.length > 0) {
    extensions.push(
      new x509.SubjectAlternativeNameExtension(
        hosts.map((h) => (/^[\d.]+$|:/.test(h) ? { type: 'ip' as const, value: h } : { type: 'dns' as const, value: h })),
      ),
    );
  }
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${escapeRdn(commonName)}, O=sber-api-sandbox`,
    issuer: ca.x509.subject,
    publicKey: keys.publicKey,
    signingKey: ca.keys.privateKey,
    signingAlgorithm: RSA,
    ...validity(),
    extensions,
  });
  return finish(cert, keys);
}

function escapeRdn(value: string): string {
  return value.replace(/([,+"\\<>;=#])/g, '\\$1');
}

/** A PKCS#12 file (key + certificate), the form in which Sber hands out client certificates. */
export async function toPfx(issued: Issued, password: string): Promise<Uint8Array> {
  const pkcs8 = await crypto.subtle.exportKey('pkcs8', issued.keys.privateKey);
  const keyInfo = pkijs.PrivateKeyInfo.fromBER(pkcs8);
  const certificate = pkijs.Certificate.fromBER(issued.x509.rawData);
  const passwordBytes = new TextEncoder().encode(password).buffer as ArrayBuffer;
  const localKeyId = () =>
    new pkijs.Attribute({ type: '1.2.840.113549.1.9.21', values: [new asn1js.OctetString({ valueHex: new Uint8Array([1]).buffer })] });
  const pfx = new pkijs.PFX({
    parsedValue: {
      integrityMode: 0,
      authenticatedSafe: new pkijs.AuthenticatedSafe({
        parsedValue: {
          safeContents: [
            {
              privacyMode: 0,
              value: new pkijs.SafeContents({
                safeBags: [
                  new pkijs.SafeBag({
                    bagId: '1.2.840.113549.1.12.10.1.2',
                    bagValue: new pkijs.PKCS8ShroudedKeyBag({ parsedValue: keyInfo }),
                    bagAttributes: [localKeyId()],
                  }),
                  new pkijs.SafeBag({
                    bagId: '1.2.840.113549.1.12.10.1.3',
                    bagValue: new pkijs.CertBag({ parsedValue: certificate }),
                    bagAttributes: [localKeyId()],
                  }),
                ],
              }),
            },
          ],
        },
      }),
    },
  });
  const safe = pfx.parsedValue!.authenticatedSafe!;
  const keyBag = safe.parsedValue.safeContents[0].value.safeBags[0].bagValue as pkijs.PKCS8ShroudedKeyBag;
  await keyBag.makeInternalValues({
    password: passwordBytes,
    contentEncryptionAlgorithm: { name: 'AES-CBC', length: 256 } as webcrypto.Algorithm,
    hmacHashAlgorithm: 'SHA-256',
    iterationCount: 2048,
  });
  await safe.makeInternalValues({ safeContents: [{}] });
  await pfx.makeInternalValues({ password: passwordBytes, iterations: 2048, pbkdf2HashAlgorithm: 'SHA-256', hmacHashAlgorithm: 'SHA-256' });
  return new Uint8Array(pfx.toSchema().toBER(false));
}

/**
 * A client certificate issued synchronously (node:crypto key generation and signing over pkijs structures), so
 * `issueClientCertificate(cn)` can return at once. Same profile as `issue(ca, cn, 'client')`.
 */
export function issueClientSync(ca: Issued, commonName: string): { cert: string; key: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const issuer = pkijs.Certificate.fromBER(ca.x509.rawData);
  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = new asn1js.Integer({ valueHex: Buffer.from(serial(), 'hex') });
  cert.issuer = issuer.subject;
  cert.subject.typesAndValues.push(
    new pkijs.AttributeTypeAndValue({ type: '2.5.4.3', value: new asn1js.Utf8String({ value: commonName }) }),
    new pkijs.AttributeTypeAndValue({ type: '2.5.4.10', value: new asn1js.Utf8String({ value: 'sber-api-sandbox' }) }),
  );
  const { notBefore, notAfter } = validity();
  cert.notBefore.value = notBefore;
  cert.notAfter.value = notAfter;
  cert.subjectPublicKeyInfo = pkijs.PublicKeyInfo.fromBER(publicKey.export({ type: 'spki', format: 'der' }));
  const usage = new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true);
  const eku = new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]);
  const basic = new x509.BasicConstraintsExtension(false, undefined, true);
  cert.extensions = [basic, usage, eku].map((e) => pkijs.Extension.fromBER(e.rawData));
  const rsaSha256 = () => new pkijs.AlgorithmIdentifier({ algorithmId: '1.2.840.113549.1.1.11', algorithmParams: new asn1js.Null() });
  cert.signature = rsaSha256();
  cert.signatureAlgorithm = rsaSha256();
  const tbs = cert.encodeTBS().toBER(false);
  cert.tbsView = new Uint8Array(tbs);
  const signature = nodeSign('sha256', Buffer.from(tbs), KeyObject.from(ca.keys.privateKey));
  cert.signatureValue = new asn1js.BitString({ valueHex: signature });
  return {
    cert: pem('CERTIFICATE', cert.toSchema().toBER(false)),
    key: pem('PRIVATE KEY', privateKey.export({ type: 'pkcs8', format: 'der' })),
  };
}
