import { caseTable, expectNoSecret, failureOf, surfacesOf } from '@internal/testkit';
import * as asn1js from 'asn1js';
import { describe, expect, it } from 'vitest';
import {
  createCertificate,
  exportPrivateKeyPem,
  GostError,
  type GostErrorCode,
  type GostPrivateKey,
  generateKeyPair,
  getPublicKey,
  importCertificate,
  importPrivateKey,
  importPublicKey,
  privateKeyFromRaw,
  publicKeyFromRaw,
  sign,
  signHash,
  verifyCertificateSignature,
} from '../src/index.js';
import { pkcs8With } from './pkcs8.js';

// A fixed, recognisable scalar (little-endian, as OpenSSL stores it), and the same key as PKCS#8 PEM.
const SCALAR = Buffer.from('5ec7e7a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c0d', 'hex');
const KEY = privateKeyFromRaw('cryptopro-a', SCALAR);
const PEM = exportPrivateKeyPem(KEY);
const DER = new Uint8Array(Buffer.from(PEM.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64'));
const D = BigInt(`0x${Buffer.from(SCALAR).reverse().toString('hex')}`);
const SECRETS = {
  scalarLE: SCALAR,
  scalarBE: Buffer.from(SCALAR).reverse(),
  scalarDecimal: D.toString(),
  // the PEM body that carries the scalar (the algorithm prefix is public)
  pemTail: PEM.replace(/-----[A-Z ]+-----|\s/g, '').slice(-44, -1),
};

const OTHER = generateKeyPair('cryptopro-a');
const octets = (b: Uint8Array) => new asn1js.OctetString({ valueHex: b });
const pem = (bytes: Uint8Array, label: string) =>
  `-----BEGIN ${label}-----\n${Buffer.from(bytes).toString('base64')}\n-----END ${label}-----\n`;
/** The scalar's low half with the high half all ones: above q, and still half the secret. */
const aboveQ = (b: Uint8Array) => Uint8Array.of(...b.subarray(0, b.length / 2), ...new Uint8Array(b.length / 2).fill(0xff));
const forged = { type: 'private', paramSet: 'cryptopro-a', size: 256, d: D, scalar: SCALAR.toString('hex') } as unknown as GostPrivateKey;

type Case = [name: string, code: GostErrorCode, run: () => unknown];
const CASES: Case[] = [
  // raw scalars
  [
    'privateKeyFromRaw: one byte too many',
    'INVALID_KEY_SIZE',
    () => privateKeyFromRaw('cryptopro-a', Buffer.concat([SCALAR, Buffer.of(1)])),
  ],
  ['privateKeyFromRaw: 256-bit scalar for a 512-bit set', 'INVALID_KEY_SIZE', () => privateKeyFromRaw('tc26-512-a', SCALAR)],
  ['privateKeyFromRaw: unknown parameter set', 'UNKNOWN_PARAM_SET', () => privateKeyFromRaw('no-such-set' as never, SCALAR)],
  ['privateKeyFromRaw: scalar ≥ q', 'INVALID_PRIVATE_KEY', () => privateKeyFromRaw('cryptopro-a', aboveQ(SCALAR))],
  [
    'privateKeyFromRaw: a hex string instead of bytes',
    'INVALID_KEY_SIZE',
    () => privateKeyFromRaw('cryptopro-a', SCALAR.toString('hex') as never),
  ],
  [
    'publicKeyFromRaw: the scalar twice as a point',
    'POINT_NOT_ON_CURVE',
    () => publicKeyFromRaw('cryptopro-a', Buffer.concat([SCALAR, SCALAR])),
  ],
  ['publicKeyFromRaw: the scalar alone', 'INVALID_KEY_SIZE', () => publicKeyFromRaw('cryptopro-a', SCALAR)],
  // PKCS#8
  ['importPrivateKey: PEM labelled PUBLIC KEY', 'MALFORMED_ASN1', () => importPrivateKey(PEM.replace(/PRIVATE KEY/g, 'PUBLIC KEY'))],
  ['importPrivateKey: PEM body cut short', 'MALFORMED_ASN1', () => importPrivateKey(pem(DER.subarray(0, DER.length - 5), 'PRIVATE KEY'))],
  ['importPrivateKey: PEM body with a bad character', 'MALFORMED_ASN1', () => importPrivateKey(PEM.replace('M', '*'))],
  [
    'importPrivateKey: PEM as bytes, cut short',
    'MALFORMED_ASN1',
    () => importPrivateKey(new TextEncoder().encode(PEM.slice(0, PEM.length - 30))),
  ],
  ['importPrivateKey: DER cut short', 'MALFORMED_ASN1', () => importPrivateKey(DER.subarray(0, DER.length - 3))],
  ['importPrivateKey: DER with trailing bytes', 'MALFORMED_ASN1', () => importPrivateKey(Uint8Array.of(...DER, 0, 0))],
  [
    'importPrivateKey: DER with the scalar as a BIT STRING',
    'MALFORMED_ASN1',
    () => importPrivateKey(pkcs8With(new asn1js.BitString({ valueHex: SCALAR }))),
  ],
  ['importPrivateKey: RSA algorithm', 'UNSUPPORTED_ALGORITHM', () => importPrivateKey(pkcs8With(octets(SCALAR), '1.2.840.113549.1.1.1'))],
  [
    'importPrivateKey: unknown parameter set',
    'UNKNOWN_PARAM_SET',
    () => importPrivateKey(pkcs8With(octets(SCALAR), '1.2.643.7.1.1.1.1', '1.2.643.9.9.9')),
  ],
  [
    'importPrivateKey: 512-bit algorithm, 256-bit set',
    'INVALID_KEY_SIZE',
    () => importPrivateKey(pkcs8With(octets(SCALAR), '1.2.643.7.1.1.1.2')),
  ],
  ['importPrivateKey: scalar twice', 'INVALID_KEY_SIZE', () => importPrivateKey(pkcs8With(octets(Buffer.concat([SCALAR, SCALAR]))))],
  ['importPrivateKey: scalar ≥ q', 'INVALID_PRIVATE_KEY', () => importPrivateKey(pkcs8With(octets(aboveQ(SCALAR))))],
  [
    'importPrivateKey: INTEGER scalar too long',
    'INVALID_KEY_SIZE',
    () =>
      importPrivateKey(
        pkcs8With(octets(new Uint8Array(new asn1js.Integer({ valueHex: Buffer.concat([Buffer.of(0x7f), SCALAR, SCALAR]) }).toBER()))),
      ),
  ],
  ['importPrivateKey: an object holding the key', 'INVALID_INPUT', () => importPrivateKey({ pem: PEM, der: DER } as never)],
  ['importPublicKey: the private key PEM', 'MALFORMED_ASN1', () => importPublicKey(PEM)],
  ['importPublicKey: the private key DER', 'MALFORMED_ASN1', () => importPublicKey(DER)],
  ['importCertificate: the private key PEM', 'MALFORMED_ASN1', () => importCertificate(PEM)],
  ['verifyCertificateSignature: the private key DER', 'MALFORMED_ASN1', () => verifyCertificateSignature(DER, getPublicKey(KEY))],
  // signing with the key in scope
  ['sign: unknown layout', 'INVALID_LAYOUT', () => sign('hello', KEY, { layout: 'be' as never })],
  ['sign: a number as the message', 'INVALID_INPUT', () => sign(42 as never, KEY)],
  ['signHash: 64-byte hash for a 256-bit key', 'INVALID_HASH_LENGTH', () => signHash(new Uint8Array(64), KEY)],
  ['signHash: a string hash', 'INVALID_INPUT', () => signHash('00' as never, KEY)],
  ['signHash: fixed k out of range', 'INVALID_INPUT', () => signHash(new Uint8Array(32), KEY, { fixedKForTestsOnly: -1n })],
  ['sign: a forged key object holding the scalar', 'INVALID_PRIVATE_KEY', () => sign('hello', forged)],
  ['getPublicKey: a forged key object', 'INVALID_PRIVATE_KEY', () => getPublicKey(forged)],
  ['exportPrivateKeyPem: a forged key object', 'INVALID_PRIVATE_KEY', () => exportPrivateKeyPem(forged)],
  // certificates signed with the key
  [
    'createCertificate: empty common name',
    'INVALID_INPUT',
    () => createCertificate({ publicKey: getPublicKey(KEY), signingKey: KEY, subject: { commonName: '' } }),
  ],
  [
    'createCertificate: bad country',
    'INVALID_INPUT',
    () => createCertificate({ publicKey: getPublicKey(KEY), signingKey: KEY, subject: { commonName: 'x', country: 'rus' } }),
  ],
  [
    'createCertificate: key of another subject',
    'INVALID_INPUT',
    () => createCertificate({ publicKey: OTHER.publicKey, signingKey: KEY, subject: { commonName: 'x' } }),
  ],
  [
    'createCertificate: bad serial',
    'INVALID_INPUT',
    () =>
      createCertificate({
        publicKey: getPublicKey(KEY),
        signingKey: KEY,
        subject: { commonName: 'x' },
        serialNumber: SCALAR.toString('hex').repeat(2),
      }),
  ],
  [
    'createCertificate: notAfter before notBefore',
    'INVALID_INPUT',
    () =>
      createCertificate({
        publicKey: getPublicKey(KEY),
        signingKey: KEY,
        subject: { commonName: 'x' },
        notBefore: new Date(2030, 0, 1),
        notAfter: new Date(2020, 0, 1),
      }),
  ],
  [
    'createCertificate: invalid date',
    'INVALID_INPUT',
    () => createCertificate({ publicKey: getPublicKey(KEY), signingKey: KEY, subject: { commonName: 'x' }, notBefore: new Date(NaN) }),
  ],
];

describe('no error of gost2012 shows the private key (scalar, PEM)', () => {
  const table = caseTable(CASES, async ([name, code, run]) => {
    const error = await failureOf(run);
    expect(GostError.isInstance(error), String(error)).toBe(true);
    expect((error as GostError).code, (error as Error).message).toBe(code);
    expectNoSecret(surfacesOf(error), SECRETS, name);
    return (error as GostError).code;
  });
  for (const c of CASES) it(c[0], async () => void (await table.outcome(c)));

  it('ran every case of the table, and every code that can carry key material', async () => {
    const codes = await table.all();
    expect(codes).toHaveLength(CASES.length);
    const keyCodes: GostErrorCode[] = [
      'INVALID_INPUT',
      'UNKNOWN_PARAM_SET',
      'INVALID_KEY_SIZE',
      'INVALID_PRIVATE_KEY',
      'POINT_NOT_ON_CURVE',
      'INVALID_LAYOUT',
      'INVALID_HASH_LENGTH',
      'MALFORMED_ASN1',
      'UNSUPPORTED_ALGORITHM',
    ];
    expect([...new Set(codes)].sort()).toEqual([...keyCodes].sort());
  });

  it('the helper does find the key where it is (the check can fail)', () => {
    expect(() => expectNoSecret([PEM], SECRETS)).toThrow(/leaks/);
    expect(() => expectNoSecret([`d=${D}`], SECRETS)).toThrow(/leaks/);
    expect(() => expectNoSecret([SCALAR.toString('base64').slice(3)], SECRETS)).toThrow(/leaks/);
  });
});
