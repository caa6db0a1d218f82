import { inspect } from 'node:util';
import { gostEngineOrSkip, openssl, opensslOk, scratchDir } from '@internal/testkit';
import * as asn1js from 'asn1js';
import {
  createCertificate,
  exportPublicKeyPem,
  type GostCertificate,
  type GostPrivateKey,
  generateKeyPair,
  importCertificate,
  importPrivateKey,
} from 'gost2012';
import * as pkijs from 'pkijs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildDebtRegistryDigest,
  cmsGostSigner,
  commandSigner,
  OID,
  rawGostSigner,
  SberDigestError,
  signDebtRegistry,
  signDigest,
  verifyDigestSignature,
} from '../src/index.js';
import { SEED_DIGEST, SEED_REQUEST_REGISTRY, UUID_A, UUID_B } from './fixtures.js';

const ok = gostEngineOrSkip();
const TAMPERED = SEED_DIGEST.replace('recordNum=2', 'recordNum=3');
const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

/** A key pair and certificate written by OpenSSL's GOST engine, imported with gost2012. */
interface OpensslSigner {
  size: 256 | 512;
  keyPem: string;
  certPem: string;
  privateKey: GostPrivateKey;
  certificate: GostCertificate;
  keyPath: string;
  certPath: string;
  pubPath: string;
  scalarHex: string;
}

describe.skipIf(!ok)('GOST signers cross-checked with OpenSSL', () => {
  const dir = scratchDir('sber-digest-gost-');
  const signers = {} as Record<256 | 512, OpensslSigner>;
  let digestPath: string;
  let tamperedPath: string;

  beforeAll(() => {
    digestPath = dir.write('digest.txt', SEED_DIGEST);
    tamperedPath = dir.write('tampered.txt', TAMPERED);
    for (const size of [256, 512] as const) {
      const keyPath = dir.path(`k${size}.pem`);
      const certPath = dir.path(`c${size}.pem`);
      const pubPath = dir.path(`p${size}.pem`);
      openssl(['genpkey', '-engine', 'gost', '-algorithm', `gost2012_${size}`, '-pkeyopt', 'paramset:A', '-out', keyPath]);
      openssl(['req', '-engine', 'gost', '-new', '-x509', '-key', keyPath, '-subj', `/CN=Signer ${size}`, '-days', '30', '-out', certPath]);
      openssl(['pkey', '-engine', 'gost', '-in', keyPath, '-pubout', '-out', pubPath]);
      const text = openssl(['pkey', '-engine', 'gost', '-in', keyPath, '-text', '-noout']).toString();
      const keyPem = dir.read(`k${size}.pem`).toString();
      const certPem = dir.read(`c${size}.pem`).toString();
      signers[size] = {
        size,
        keyPem,
        certPem,
        privateKey: importPrivateKey(keyPem),
        certificate: importCertificate(certPem),
        keyPath,
        certPath,
        pubPath,
        scalarHex: /Private key:\s*([0-9A-F]+)/i.exec(text)![1]!,
      };
    }
  });
  afterAll(() => dir.cleanup());

  const cmsVerifyArgs = (sigPath: string, contentPath: string, certPath: string) => [
    'cms',
    '-verify',
    '-engine',
    'gost',
    '-binary',
    '-inform',
    'DER',
    '-in',
    sigPath,
    '-content',
    contentPath,
    '-CAfile',
    certPath,
    '-out',
    '/dev/null',
  ];

  for (const size of [256, 512] as const) {
    describe(`${size}-bit key`, () => {
      it('raw signature: `openssl dgst -verify` accepts it over the digest text, and so do we', async () => {
        const s = signers[size];
        const result = await signDigest(
          SEED_DIGEST,
          rawGostSigner({ privateKey: s.privateKey, certificateUuid: UUID_A, signType: 'UKEP_UL' }),
        );
        expect(result).toEqual({ base64Encoded: expect.any(String), certificateUuid: UUID_A, signType: 'UKEP_UL' });
        const sig = Buffer.from(result.base64Encoded, 'base64');
        expect(sig).toHaveLength(size / 4);
        const sigPath = dir.write(`raw${size}.sig`, sig);
        const dgst = (content: string) => [
          'dgst',
          '-engine',
          'gost',
          `-md_gost12_${size}`,
          '-verify',
          s.pubPath,
          '-signature',
          sigPath,
          content,
        ];
        expect(opensslOk(dgst(digestPath))).toBe(true);
        expect(opensslOk(dgst(tamperedPath))).toBe(false);
        expect(verifyDigestSignature(SEED_DIGEST, result.base64Encoded, { certificate: s.certPem })).toBe(true);
        expect(verifyDigestSignature(SEED_DIGEST, result.base64Encoded, { publicKey: s.certificate.publicKey, format: 'raw' })).toBe(true);
        expect(verifyDigestSignature(TAMPERED, result.base64Encoded, { certificate: s.certificate })).toBe(false);
        expect(verifyDigestSignature(SEED_DIGEST, result.base64Encoded, { certificate: s.certificate, layout: 'rs-be' })).toBe(false);
      });

      it('raw signature in another layout verifies only with that layout', async () => {
        const s = signers[size];
        const { base64Encoded } = await signDigest(
          SEED_DIGEST,
          rawGostSigner({ privateKey: s.privateKey, certificateUuid: UUID_A, layout: 'rs-le' }),
        );
        expect(verifyDigestSignature(SEED_DIGEST, base64Encoded, { certificate: s.certificate, layout: 'rs-le' })).toBe(true);
        expect(verifyDigestSignature(SEED_DIGEST, base64Encoded, { certificate: s.certificate })).toBe(false);
      });

      it('an OpenSSL-made raw signature (`openssl dgst -sign`) verifies with verifyDigestSignature', () => {
        const s = signers[size];
        const sig = openssl(['dgst', '-engine', 'gost', `-md_gost12_${size}`, '-sign', s.keyPath, digestPath]);
        expect(verifyDigestSignature(SEED_DIGEST, b64(sig), { certificate: s.certificate })).toBe(true);
        expect(verifyDigestSignature(TAMPERED, b64(sig), { certificate: s.certificate })).toBe(false);
      });

      it('CMS detached: `openssl cms -verify -CAfile` accepts it with the digest as content, and so do we', async () => {
        const s = signers[size];
        const { base64Encoded } = await signDigest(
          SEED_DIGEST,
          cmsGostSigner({ privateKey: s.privateKey, certificate: s.certPem, certificateUuid: UUID_A }),
        );
        const sigPath = dir.write(`cms${size}.der`, Buffer.from(base64Encoded, 'base64'));
        expect(opensslOk(cmsVerifyArgs(sigPath, digestPath, s.certPath))).toBe(true);
        expect(opensslOk(cmsVerifyArgs(sigPath, tamperedPath, s.certPath))).toBe(false);
        expect(verifyDigestSignature(SEED_DIGEST, base64Encoded, { certificate: s.certificate })).toBe(true);
        expect(verifyDigestSignature(SEED_DIGEST, base64Encoded, { publicKey: s.certificate.publicKey, format: 'cms' })).toBe(true);
        expect(verifyDigestSignature(TAMPERED, base64Encoded, { certificate: s.certificate })).toBe(false);
        expect(verifyDigestSignature(SEED_DIGEST, base64Encoded, { certificate: s.certificate, format: 'raw' })).toBe(false);
      });

      it('CMS structure matches what OpenSSL writes: algorithms, NULL parameters, signed attributes, detached', async () => {
        const s = signers[size];
        const ours = await cmsGostSigner({ privateKey: s.privateKey, certificate: s.certificate, certificateUuid: UUID_A }).sign(
          new TextEncoder().encode(SEED_DIGEST),
        );
        const theirs = openssl([
          'cms',
          '-sign',
          '-engine',
          'gost',
          '-binary',
          '-in',
          digestPath,
          '-signer',
          s.certPath,
          '-inkey',
          s.keyPath,
          '-md',
          `md_gost12_${size}`,
          '-nosmimecap',
          '-outform',
          'DER',
        ]);
        const shape = (der: Uint8Array) => {
          const sd = new pkijs.SignedData({ schema: pkijs.ContentInfo.fromBER(new Uint8Array(der).buffer).content });
          const si = sd.signerInfos[0]!;
          const params = (a: pkijs.AlgorithmIdentifier) => (a.algorithmParams instanceof asn1js.Null ? 'NULL' : 'other');
          return {
            version: sd.version,
            digestAlgorithms: sd.digestAlgorithms.map((a) => [a.algorithmId, params(a)]),
            eContent: sd.encapContentInfo.eContent === undefined,
            certificates: sd.certificates?.length,
            signerVersion: si.version,
            sidSerial: (si.sid as pkijs.IssuerAndSerialNumber).serialNumber.valueBlock.toString(),
            digestAlgorithm: [si.digestAlgorithm.algorithmId, params(si.digestAlgorithm)],
            signatureAlgorithm: [si.signatureAlgorithm.algorithmId, params(si.signatureAlgorithm)],
            attributes: si.signedAttrs!.attributes.map((a) => a.type),
            signatureLength: si.signature.valueBlock.valueHexView.length,
          };
        };
        expect(shape(ours)).toEqual(shape(theirs));
        expect(shape(ours).signatureAlgorithm[0]).toBe(size === 256 ? OID.gost3410_256 : OID.gost3410_512);
        expect(shape(ours).digestAlgorithm[0]).toBe(size === 256 ? OID.gost3411_256 : OID.gost3411_512);
      });

      it('OpenSSL-made CMS (`openssl cms -sign`) verifies with verifyDigestSignature; with -noattr too', () => {
        const s = signers[size];
        for (const extra of [[], ['-noattr']]) {
          const der = openssl([
            'cms',
            '-sign',
            '-engine',
            'gost',
            '-binary',
            '-in',
            digestPath,
            '-signer',
            s.certPath,
            '-inkey',
            s.keyPath,
            '-md',
            `md_gost12_${size}`,
            '-nosmimecap',
            '-outform',
            'DER',
            ...extra,
          ]);
          expect(verifyDigestSignature(SEED_DIGEST, b64(der), { certificate: s.certPem, format: 'auto' }), extra.join()).toBe(true);
          expect(verifyDigestSignature(TAMPERED, b64(der), { certificate: s.certPem }), extra.join()).toBe(false);
          const other = signers[size === 256 ? 512 : 256];
          expect(verifyDigestSignature(SEED_DIGEST, b64(der), { certificate: other.certificate })).toBe(false);
        }
      });
    });
  }

  it('an attached CMS verifies only when its content is the digest', () => {
    const s = signers[256];
    const der = openssl([
      'cms',
      '-sign',
      '-engine',
      'gost',
      '-binary',
      '-nodetach',
      '-in',
      digestPath,
      '-signer',
      s.certPath,
      '-inkey',
      s.keyPath,
      '-md',
      'md_gost12_256',
      '-nosmimecap',
      '-outform',
      'DER',
    ]);
    expect(verifyDigestSignature(SEED_DIGEST, b64(der), { certificate: s.certificate })).toBe(true);
    expect(verifyDigestSignature(TAMPERED, b64(der), { certificate: s.certificate })).toBe(false);
  });

  it('a certificate made by gost2012 (no OpenSSL) works for CMS, verified by `openssl cms -verify -CAfile`', async () => {
    const { privateKey, publicKey } = generateKeyPair('tc26-256-a');
    const cert = createCertificate({ publicKey, signingKey: privateKey, subject: { commonName: 'ООО Ромашка', country: 'RU' } });
    const { base64Encoded } = await signDigest(SEED_DIGEST, cmsGostSigner({ privateKey, certificate: cert, certificateUuid: UUID_A }));
    const sigPath = dir.write('tc26.der', Buffer.from(base64Encoded, 'base64'));
    const certPath = dir.write('tc26.pem', cert.pem);
    expect(opensslOk(cmsVerifyArgs(sigPath, digestPath, certPath))).toBe(true);
    expect(verifyDigestSignature(SEED_DIGEST, base64Encoded, { certificate: cert.der })).toBe(true);
  });

  it('commandSigner with `openssl cms` produces signatures verifyDigestSignature accepts', async () => {
    const s = signers[256];
    const signer = commandSigner({
      command: 'openssl',
      args: [
        'cms',
        '-sign',
        '-engine',
        'gost',
        '-binary',
        '-signer',
        s.certPath,
        '-inkey',
        s.keyPath,
        '-md',
        'md_gost12_256',
        '-nosmimecap',
        '-outform',
        'DER',
      ],
      certificateUuid: UUID_B,
    });
    const { base64Encoded, certificateUuid } = await signDigest(SEED_DIGEST, signer);
    expect(certificateUuid).toBe(UUID_B);
    expect(verifyDigestSignature(SEED_DIGEST, base64Encoded, { certificate: s.certificate })).toBe(true);
  });

  it('signDebtRegistry validates, builds and signs the request example', async () => {
    const s = signers[256];
    const result = await signDebtRegistry(SEED_REQUEST_REGISTRY, rawGostSigner({ privateKey: s.privateKey, certificateUuid: UUID_A }), {
      attachments: 'table',
    });
    const digest = buildDebtRegistryDigest(SEED_REQUEST_REGISTRY, { attachments: 'table' });
    expect(verifyDigestSignature(digest, result.base64Encoded, { certificate: s.certificate })).toBe(true);
    expect(
      verifyDigestSignature(buildDebtRegistryDigest(SEED_REQUEST_REGISTRY), result.base64Encoded, { certificate: s.certificate }),
    ).toBe(false);
    await expect(
      signDebtRegistry(
        { ...SEED_REQUEST_REGISTRY, orgTaxNumber: '7707012345' },
        rawGostSigner({ privateKey: s.privateKey, certificateUuid: UUID_A }),
      ),
    ).rejects.toMatchObject({
      field: 'orgTaxNumber',
      rule: 'inn',
    });
  });

  it('refuses a certificate that does not belong to the key, and verification without a key', () => {
    expect(() =>
      cmsGostSigner({ privateKey: signers[256].privateKey, certificate: signers[512].certificate, certificateUuid: UUID_A }),
    ).toThrow(/does not belong/);
    expect(() => cmsGostSigner({ privateKey: signers[256].privateKey, certificate: 'not a certificate', certificateUuid: UUID_A })).toThrow(
      SberDigestError,
    );
    expect(() => verifyDigestSignature(SEED_DIGEST, 'AAAA', {})).toThrow(/exactly one/);
    expect(() => rawGostSigner({ privateKey: { type: 'public' } as never, certificateUuid: UUID_A })).toThrow(/GostPrivateKey/);
  });

  it('treats malformed signature data as not valid', () => {
    const cert = signers[256].certificate;
    for (const bad of [
      '',
      'not base64',
      'AAAA',
      b64(new Uint8Array(64)),
      b64(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01])),
      ` ${b64(new Uint8Array(64))}`,
    ]) {
      expect(verifyDigestSignature(SEED_DIGEST, bad, { certificate: cert }), bad).toBe(false);
    }
  });

  it('never shows the private key: signers, errors, inspect, JSON', async () => {
    const s = signers[256];
    const secrets = [s.scalarHex.toLowerCase(), s.scalarHex.toUpperCase(), s.keyPem.split('\n')[1]!];
    const raw = rawGostSigner({ privateKey: s.privateKey, certificateUuid: UUID_A });
    const cms = cmsGostSigner({ privateKey: s.privateKey, certificate: s.certificate, certificateUuid: UUID_A });
    const errors: unknown[] = [];
    try {
      cmsGostSigner({ privateKey: s.privateKey, certificate: signers[512].certificate, certificateUuid: UUID_A });
    } catch (err) {
      errors.push(err);
    }
    errors.push(
      await signDigest(SEED_DIGEST, { certificateUuid: UUID_A, sign: () => Promise.reject(new Error('hsm down')) }).catch(
        (e: unknown) => e,
      ),
    );
    expect(errors.every((e) => SberDigestError.isInstance(e))).toBe(true);
    const surfaces = [raw, cms, s.privateKey, ...errors].flatMap((x) => [
      inspect(x, { depth: 10, showHidden: true }),
      JSON.stringify(x) ?? '',
      String(x),
      (x as Error).stack ?? '',
    ]);
    for (const surface of surfaces) for (const secret of secrets) expect(surface).not.toContain(secret);
    expect(exportPublicKeyPem(s.certificate.publicKey)).toContain('PUBLIC KEY'); // the public part is fine to show
  });
});
