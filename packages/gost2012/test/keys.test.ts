import { inspect } from 'node:util';
import * as asn1js from 'asn1js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createCertificate,
  exportPrivateKeyPem,
  exportPublicKeyPem,
  GostError,
  generateKeyPair,
  getPublicKey,
  importCertificate,
  importPrivateKey,
  importPublicKey,
  privateKeyFromRaw,
  publicKeyFromRaw,
  verifyCertificateSignature,
} from '../src/index.js';
import { pkcs8With } from './pkcs8.js';

const runs = Number(process.env.FUZZ_RUNS ?? 500);
const der = (pem: string) => new Uint8Array(Buffer.from(pem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64'));
const pem = (bytes: Uint8Array, label: string) =>
  `-----BEGIN ${label}-----\n${Buffer.from(bytes).toString('base64')}\n-----END ${label}-----\n`;

describe('private keys stay opaque', () => {
  // A known scalar with a recognisable pattern in every encoding we could leak it in.
  const raw = Buffer.from('1122334455667788990011223344556677889900112233445566778899001122', 'hex');
  const key = privateKeyFromRaw('cryptopro-a', raw);
  const d = BigInt(`0x${Buffer.from(raw).reverse().toString('hex')}`);
  const leaks = (text: string) =>
    [raw.toString('hex'), Buffer.from(raw).reverse().toString('hex'), d.toString(), d.toString(16), raw.toString('base64')].some((s) =>
      text.toLowerCase().includes(s.toLowerCase()),
    );

  it('util.inspect, JSON.stringify, String(), spreading and structured views show no scalar', () => {
    for (const text of [
      inspect(key, { showHidden: true, depth: 10 }),
      JSON.stringify(key),
      String(key),
      `${key}`,
      JSON.stringify({ ...key }),
      inspect(Object.getOwnPropertyDescriptors(key), { showHidden: true }),
    ]) {
      expect(leaks(text), text).toBe(false);
    }
    expect(inspect(key)).toContain('cryptopro-a');
  });

  it('errors about a key never carry it', () => {
    const tooBig = Buffer.alloc(32, 0xff);
    for (const fn of [
      () => privateKeyFromRaw('cryptopro-a', tooBig),
      () => privateKeyFromRaw('tc26-512-a', raw),
      () =>
        importPrivateKey(
          pkcs8With(new asn1js.OctetString({ valueHex: Buffer.concat([raw, raw]) }), '1.2.643.7.1.1.1.2', '1.2.643.7.1.2.1.2.1').subarray(
            0,
            40,
          ),
        ),
    ]) {
      try {
        fn();
        expect.unreachable();
      } catch (e) {
        expect(GostError.isInstance(e)).toBe(true);
        const err = e as GostError;
        const texts = [err.message, String(err.stack), JSON.stringify(err), inspect(err, { showHidden: true, depth: 10 })];
        for (const t of texts) expect(leaks(t) || t.includes(tooBig.toString('hex')), t).toBe(false);
      }
    }
  });
});

describe('PKCS#8 and SPKI round trips and variants', () => {
  it('export → import gives the same key, for 256 and 512 (PEM and DER)', () => {
    for (const p of ['cryptopro-b', 'tc26-256-a', 'tc26-512-b', 'tc26-512-c'] as const) {
      const { privateKey, publicKey } = generateKeyPair(p);
      const back = importPrivateKey(exportPrivateKeyPem(privateKey));
      expect(getPublicKey(back)).toMatchObject({ x: publicKey.x, y: publicKey.y, paramSet: p });
      expect(getPublicKey(importPrivateKey(der(exportPrivateKeyPem(privateKey))))).toMatchObject({ x: publicKey.x });
      expect(importPublicKey(exportPublicKeyPem(publicKey))).toMatchObject({ x: publicKey.x, y: publicKey.y, paramSet: p });
      expect(importPublicKey(der(exportPublicKeyPem(publicKey)))).toMatchObject({ x: publicKey.x });
      expect(publicKeyFromRaw(p, publicKey.raw)).toMatchObject({ x: publicKey.x, y: publicKey.y });
    }
  });

  it('accepts the older encodings: OCTET STRING or INTEGER inside the privateKey field', () => {
    const raw = Buffer.alloc(32, 0x21);
    const expected = getPublicKey(privateKeyFromRaw('cryptopro-a', raw));
    const nested = new asn1js.OctetString({ valueHex: new asn1js.OctetString({ valueHex: raw }).toBER() });
    const asInteger = new asn1js.OctetString({ valueHex: new asn1js.Integer({ valueHex: Buffer.from(raw).reverse() }).toBER() });
    for (const field of [new asn1js.OctetString({ valueHex: raw }), nested, asInteger]) {
      expect(getPublicKey(importPrivateKey(pkcs8With(field)))).toMatchObject({ x: expected.x, y: expected.y });
    }
  });

  it('typed errors: wrong size, unknown OIDs, off-curve point, wrong PEM label', () => {
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return GostError.isInstance(e) ? e.code : `not a GostError: ${String(e)}`;
      }
      return 'no error';
    };
    expect(code(() => importPrivateKey(pkcs8With(new asn1js.OctetString({ valueHex: Buffer.alloc(64, 1) }))))).toBe('INVALID_KEY_SIZE');
    expect(code(() => importPrivateKey(pkcs8With(new asn1js.OctetString({ valueHex: Buffer.alloc(32, 1) }), '1.2.643.7.1.1.1.2')))).toBe(
      'INVALID_KEY_SIZE',
    );
    expect(
      code(() =>
        importPrivateKey(pkcs8With(new asn1js.OctetString({ valueHex: Buffer.alloc(32, 1) }), '1.2.643.7.1.1.1.1', '1.2.643.2.2.35.9')),
      ),
    ).toBe('UNKNOWN_PARAM_SET');
    expect(code(() => importPrivateKey(pkcs8With(new asn1js.OctetString({ valueHex: Buffer.alloc(32, 1) }), '1.2.840.10045.2.1')))).toBe(
      'UNSUPPORTED_ALGORITHM',
    );
    expect(code(() => importPrivateKey(pkcs8With(new asn1js.OctetString({ valueHex: Buffer.alloc(32, 0) }))))).toBe('INVALID_PRIVATE_KEY');
    const { publicKey } = generateKeyPair('cryptopro-a');
    const off = Uint8Array.from(publicKey.raw);
    off[40]! ^= 1;
    expect(code(() => publicKeyFromRaw('cryptopro-a', off))).toBe('POINT_NOT_ON_CURVE');
    const spki = der(exportPublicKeyPem(publicKey));
    const tampered = Uint8Array.from(spki);
    tampered[tampered.length - 1]! ^= 1;
    expect(code(() => importPublicKey(tampered))).toBe('POINT_NOT_ON_CURVE');
    expect(code(() => importPublicKey(pem(spki, 'PRIVATE KEY')))).toBe('MALFORMED_ASN1');
    expect(code(() => importPublicKey('not pem at all'))).toBe('MALFORMED_ASN1');
    expect(code(() => publicKeyFromRaw('cryptopro-a', new Uint8Array(63)))).toBe('INVALID_KEY_SIZE');
  });
});

describe('property: importers never throw anything but GostError', () => {
  const { privateKey, publicKey } = generateKeyPair('tc26-256-b');
  const samples: Uint8Array[] = [der(exportPrivateKeyPem(privateKey)), der(exportPublicKeyPem(publicKey))];
  const cert = createCertificate({ publicKey, signingKey: privateKey, subject: { commonName: 'fuzz' } });
  samples.push(cert.der);
  const importers = [importPrivateKey, importPublicKey, importCertificate];

  it('on mutated DER (byte flips, truncations) and random bytes', () => {
    fc.assert(
      fc.property(
        fc.nat(2),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { maxLength: 4 }),
        fc.nat(),
        fc.uint8Array({ maxLength: 64 }),
        (which, flips, cut, noise) => {
          const input = Uint8Array.from(samples[which]!);
          for (const [at, x] of flips) input[at % input.length]! ^= x;
          for (const candidate of [input, input.subarray(0, cut % (input.length + 1)), noise]) {
            try {
              importers[which]!(candidate);
            } catch (e) {
              if (!GostError.isInstance(e)) throw e;
            }
          }
        },
      ),
      { numRuns: runs },
    );
  });
});

describe('certificates (library side)', () => {
  it('self-signed CA → leaf chain verifies; fields read back', () => {
    const ca = generateKeyPair('tc26-512-a');
    const caCert = createCertificate({
      publicKey: ca.publicKey,
      signingKey: ca.privateKey,
      subject: { commonName: 'Root', organization: 'Org', country: 'RU' },
      isCA: true,
      serialNumber: '0a0b',
    });
    expect(caCert).toMatchObject({ subject: 'C=RU, O=Org, CN=Root', issuer: 'C=RU, O=Org, CN=Root', serialNumber: '0a0b' });
    const leaf = generateKeyPair('cryptopro-a');
    const notBefore = new Date('2030-01-01T00:00:00Z');
    const leafCert = createCertificate({
      publicKey: leaf.publicKey,
      signingKey: ca.privateKey,
      issuer: caCert,
      subject: { commonName: 'Leaf' },
      notBefore,
      notAfter: new Date('2060-01-01T00:00:00Z'),
    });
    expect(leafCert).toMatchObject({
      subject: 'CN=Leaf',
      issuer: 'C=RU, O=Org, CN=Root',
      notBefore,
      notAfter: new Date('2060-01-01T00:00:00Z'),
    });
    expect(leafCert.publicKey).toMatchObject({ x: leaf.publicKey.x, paramSet: 'cryptopro-a' });
    expect(verifyCertificateSignature(leafCert, ca.publicKey)).toBe(true);
    expect(verifyCertificateSignature(leafCert, leaf.publicKey)).toBe(false);
    expect(importCertificate(leafCert.pem).der).toEqual(leafCert.der);
  });

  it('refuses inconsistent options with field names', () => {
    const a = generateKeyPair('cryptopro-a');
    const b = generateKeyPair('cryptopro-a');
    expect(() => createCertificate({ publicKey: a.publicKey, signingKey: b.privateKey, subject: { commonName: 'x' } })).toThrow(
      expect.objectContaining({ field: 'signingKey' }),
    );
    expect(() => createCertificate({ publicKey: a.publicKey, signingKey: a.privateKey, subject: { commonName: '' } })).toThrow(
      expect.objectContaining({ field: 'subject.commonName' }),
    );
    expect(() =>
      createCertificate({ publicKey: a.publicKey, signingKey: a.privateKey, subject: { commonName: 'x', country: 'Russia' } }),
    ).toThrow(expect.objectContaining({ field: 'subject.country' }));
    expect(() =>
      createCertificate({ publicKey: a.publicKey, signingKey: a.privateKey, subject: { commonName: 'x' }, serialNumber: 'xyz' }),
    ).toThrow(expect.objectContaining({ field: 'serialNumber' }));
  });
});
