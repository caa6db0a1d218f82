import { gostEngineOrSkip, openssl, opensslOk, scratchDir } from '@internal/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createCertificate,
  exportPrivateKeyPem,
  exportPublicKeyPem,
  generateKeyPair,
  getPublicKey,
  importCertificate,
  importPrivateKey,
  importPublicKey,
  type ParamSetName,
  sign,
  verify,
  verifyCertificateSignature,
} from '../src/index.js';

// OpenSSL's `-pkeyopt paramset:` names and the parameter set each one selects.
const OPENSSL_PARAM_SETS: [algorithm: string, paramset: string, ours: ParamSetName][] = [
  ['gost2012_256', 'A', 'cryptopro-a'],
  ['gost2012_256', 'B', 'cryptopro-b'],
  ['gost2012_256', 'C', 'cryptopro-c'],
  ['gost2012_256', 'XA', 'cryptopro-xcha'],
  ['gost2012_256', 'XB', 'cryptopro-xchb'],
  ['gost2012_256', 'TCA', 'tc26-256-a'],
  ['gost2012_256', 'TCB', 'tc26-256-b'],
  ['gost2012_256', 'TCC', 'tc26-256-c'],
  ['gost2012_256', 'TCD', 'tc26-256-d'],
  ['gost2012_512', 'A', 'tc26-512-a'],
  ['gost2012_512', 'B', 'tc26-512-b'],
  ['gost2012_512', 'C', 'tc26-512-c'],
];

const ok = gostEngineOrSkip();
const E = ['-engine', 'gost'];

describe.skipIf(!ok)('cross-checks with OpenSSL GOST engine', () => {
  const dir = scratchDir('gost2012-');
  afterAll(() => dir.cleanup());

  for (const [algorithm, paramset, ours] of OPENSSL_PARAM_SETS) {
    it(`${algorithm} paramset:${paramset} ↔ ${ours}`, () => {
      const md = algorithm.endsWith('512') ? '-md_gost12_512' : '-md_gost12_256';
      const tag = `${algorithm}-${paramset}`;
      const keyFile = dir.path(`${tag}.key.pem`);
      openssl(['genpkey', ...E, '-algorithm', algorithm, '-pkeyopt', `paramset:${paramset}`, '-out', keyFile]);
      const opensslSpki = openssl(['pkey', ...E, '-in', keyFile, '-pubout']).toString();

      // OpenSSL's key loads in ours and gives the same public key, written byte for byte as OpenSSL writes it.
      const privateKey = importPrivateKey(dir.read(`${tag}.key.pem`).toString());
      expect(privateKey.paramSet).toBe(ours);
      const publicKey = getPublicKey(privateKey);
      expect(exportPublicKeyPem(publicKey)).toBe(opensslSpki);
      expect(importPublicKey(opensslSpki)).toMatchObject({ x: publicKey.x, y: publicKey.y });

      // Our exported PKCS#8 and SPKI load in OpenSSL.
      const ourKey = dir.write(`${tag}.ours.key.pem`, exportPrivateKeyPem(privateKey));
      expect(openssl(['pkey', ...E, '-in', ourKey, '-pubout']).toString()).toBe(opensslSpki);
      const pubFile = dir.write(`${tag}.pub.pem`, exportPublicKeyPem(publicKey));
      expect(openssl(['pkey', ...E, '-pubin', '-in', pubFile, '-pubout']).toString()).toBe(opensslSpki);

      // Our signature verifies in OpenSSL; OpenSSL's verifies in ours; tampering fails in both.
      const message = `message for ${tag} ${Math.random()}`;
      const msgFile = dir.write(`${tag}.msg`, message);
      const ourSig = dir.write(`${tag}.ours.sig`, sign(message, privateKey));
      expect(opensslOk(['dgst', ...E, md, '-verify', pubFile, '-signature', ourSig, msgFile])).toBe(true);
      const theirSigFile = dir.path(`${tag}.theirs.sig`);
      openssl(['dgst', ...E, md, '-sign', keyFile, '-out', theirSigFile, msgFile]);
      const theirSig = new Uint8Array(dir.read(`${tag}.theirs.sig`));
      expect(verify(theirSig, message, publicKey)).toBe(true);

      expect(verify(theirSig, `${message}!`, publicKey)).toBe(false);
      const badSig = Uint8Array.from(theirSig);
      badSig[5]! ^= 0x10;
      expect(verify(badSig, message, publicKey)).toBe(false);
      const badFile = dir.write(`${tag}.bad.sig`, badSig);
      expect(opensslOk(['dgst', ...E, md, '-verify', pubFile, '-signature', badFile, msgFile])).toBe(false);
      const otherMsg = dir.write(`${tag}.other.msg`, `${message}!`);
      expect(opensslOk(['dgst', ...E, md, '-verify', pubFile, '-signature', ourSig, otherMsg])).toBe(false);
    });
  }

  it.each(['tc26-256-a', 'tc26-512-c'] as const)(
    'our certificates pass openssl x509 -text and openssl verify -CAfile (%s CA)',
    (caParamSet) => {
      const ca = generateKeyPair(caParamSet);
      const caCert = createCertificate({
        publicKey: ca.publicKey,
        signingKey: ca.privateKey,
        subject: { commonName: 'Test GOST CA', organization: 'Example', country: 'RU' },
        isCA: true,
      });
      const caFile = dir.write(`ca-${caParamSet}.pem`, caCert.pem);
      const text = openssl(['x509', ...E, '-noout', '-text', '-in', caFile]).toString();
      expect(text).toContain(`GOST R 34.10-2012 with GOST R 34.11-2012 (${ca.publicKey.size} bit)`);
      expect(text).toContain('CA:TRUE');
      for (const paramSet of ['tc26-512-c', 'cryptopro-a'] as const) {
        const leaf = generateKeyPair(paramSet);
        const leafCert = createCertificate({
          publicKey: leaf.publicKey,
          signingKey: ca.privateKey,
          issuer: caCert,
          subject: { commonName: `Leaf ${paramSet}` },
        });
        const leafFile = dir.write(`leaf-${caParamSet}-${paramSet}.pem`, leafCert.pem);
        expect(openssl(['x509', ...E, '-noout', '-text', '-in', leafFile]).toString()).toContain(`CN = Leaf ${paramSet}`);
        expect(openssl(['verify', ...E, '-CAfile', caFile, leafFile]).toString()).toContain(': OK');
        // A certificate that was tampered with after signing is refused.
        const tampered = Uint8Array.from(leafCert.der);
        tampered[tampered.length - 10]! ^= 1;
        const tamperedFile = dir.write(`tampered-${caParamSet}-${paramSet}.der`, tampered);
        expect(opensslOk(['verify', ...E, '-CAfile', caFile, tamperedFile])).toBe(false);
      }
    },
  );

  it('certificates made by openssl req -x509 import in ours, with a valid signature', () => {
    for (const [algorithm, paramset] of [
      ['gost2012_256', 'TCB'],
      ['gost2012_512', 'A'],
    ] as const) {
      const key = dir.path(`req-${algorithm}.key`);
      const cert = dir.path(`req-${algorithm}.pem`);
      openssl(['genpkey', ...E, '-algorithm', algorithm, '-pkeyopt', `paramset:${paramset}`, '-out', key]);
      openssl([
        'req',
        ...E,
        '-x509',
        '-new',
        '-key',
        key,
        '-out',
        cert,
        '-subj',
        '/C=RU/O=OpenSSL made/CN=req test',
        '-days',
        '30',
        '-set_serial',
        '0x1f2e',
      ]);
      const parsed = importCertificate(dir.read(`req-${algorithm}.pem`).toString());
      expect(parsed).toMatchObject({ subject: 'C=RU, O=OpenSSL made, CN=req test', serialNumber: '1f2e' });
      const derived = getPublicKey(importPrivateKey(dir.read(`req-${algorithm}.key`).toString()));
      expect(parsed.publicKey).toMatchObject({ x: derived.x, y: derived.y });
      expect(verifyCertificateSignature(parsed, parsed.publicKey)).toBe(true);
    }
  });
});
