import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  GostError,
  generateKeyPair,
  getPublicKey,
  PARAM_SET_NAMES,
  type ParamSetName,
  privateKeyFromRaw,
  type SignatureLayout,
  sign,
  signHash,
  verify,
  verifyHash,
} from '../src/index.js';

const runs = Number(process.env.FUZZ_RUNS ?? 150);
const be = (hex: string, n: number) => Buffer.from(hex.padStart(2 * n, '0'), 'hex');
const le = (hex: string, n: number) => Uint8Array.from(be(hex, n)).reverse();
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

// RFC 7091 section 7 (= GOST R 34.10-2012 appendix A): d, e, k and the expected (r, s) on the test curves.
const EXAMPLE_1 = {
  paramSet: 'test-256' as const,
  d: '7A929ADE789BB9BE10ED359DD39A72C11B60961F49397EEE1D19CE9891EC3B28',
  Qx: '7F2B49E270DB6D90D8595BEC458B50C58585BA1D4E9B788F6689DBD8E56FD80B',
  Qy: '26F1B489D6701DD185C8413A977B3CBBAF64D1C593D26627DFFB101A87FF77DA',
  e: '2DFBC1B372D89A1188C09C52E0EEC61FCE52032AB1022E8E67ECE6672B043EE5',
  k: '77105C9B20BCD3122823C8CF6FCC7B956DE33814E95B7FE64FED924594DCEAB3',
  r: '41AA28D2F1AB148280CD9ED56FEDA41974053554A42767B83AD043FD39DC0493',
  s: '01456C64BA4642A1653C235A98A60249BCD6D3F746B631DF928014F6C5BF9C40',
};
const EXAMPLE_2 = {
  paramSet: 'test-512' as const,
  d: 'BA6048AADAE241BA40936D47756D7C93091A0E8514669700EE7508E508B102072E8123B2200A0563322DAD2827E2714A2636B7BFD18AADFC62967821FA18DD4',
  Qx: '115DC5BC96760C7B48598D8AB9E740D4C4A85A65BE33C1815B5C320C854621DD5A515856D13314AF69BC5B924C8B4DDFF75C45415C1D9DD9DD33612CD530EFE1',
  Qy: '37C7C90CD40B0F5621DC3AC1B751CFA0E2634FA0503B3D52639F5D7FB72AFD61EA199441D943FFE7F0C70A2759A3CDB84C114E1F9339FDF27F35ECA93677BEEC',
  e: '3754F3CFACC9E0615C4F4A7C4D8DAB531B09B6F9C170C533A71D147035B0C5917184EE536593F4414339976C647C5D5A407ADEDB1D560C4FC6777D2972075B8C',
  k: '0359E7F4B1410FEACC570456C6801496946312120B39D019D455986E364F365886748ED7A44B3E794434006011842286212273A6D14CF70EA3AF71BB1AE679F1',
  r: '2F86FA60A081091A23DD795E1E3C689EE512A3C82EE0DCC2643C78EEA8FCACD35492558486B20F1C9EC197C90699850260C93BCBCD9C5C3317E19344E173AE36',
  s: '1081B394696FFE8E6585E7A9362D26B6325F56778AADBC081C0BFBE933D52FF5823CE288E8C4F362526080DF7F70CE406A6EEB1F56919CB92A9853BDE73E5B4A',
};

describe('RFC 7091 examples, bit for bit', () => {
  for (const [name, ex, n] of [
    ['example 1 (256)', EXAMPLE_1, 32],
    ['example 2 (512)', EXAMPLE_2, 64],
  ] as const) {
    it(name, () => {
      const key = privateKeyFromRaw(ex.paramSet, le(ex.d, n));
      const pub = getPublicKey(key);
      expect(pub.x).toBe(BigInt(`0x${ex.Qx}`));
      expect(pub.y).toBe(BigInt(`0x${ex.Qy}`));
      // The standard's e is the hash as a number; streebog bytes are little-endian, so pass e little-endian.
      const hash = le(ex.e, n);
      const sig = signHash(hash, key, { fixedKForTestsOnly: BigInt(`0x${ex.k}`) });
      expect(hex(sig)).toBe(hex(Buffer.concat([be(ex.s, n), be(ex.r, n)])));
      expect(hex(signHash(hash, key, { fixedKForTestsOnly: BigInt(`0x${ex.k}`), layout: 'rs-be' }))).toBe(
        hex(Buffer.concat([be(ex.r, n), be(ex.s, n)])),
      );
      expect(hex(signHash(hash, key, { fixedKForTestsOnly: BigInt(`0x${ex.k}`), layout: 'rs-le' }))).toBe(
        hex(Buffer.concat([le(ex.r, n), le(ex.s, n)])),
      );
      expect(verifyHash(sig, hash, pub)).toBe(true);
      const other = Uint8Array.from(hash);
      other[0]! ^= 1;
      expect(verifyHash(sig, other, pub)).toBe(false);
    });
  }
});

describe('every parameter set signs and verifies', () => {
  for (const paramSet of PARAM_SET_NAMES) {
    it(paramSet, () => {
      const { privateKey, publicKey } = generateKeyPair(paramSet);
      expect(publicKey.size).toBe(paramSet.includes('512') ? 512 : 256);
      for (const layout of ['sr-be', 'rs-be', 'rs-le'] as SignatureLayout[]) {
        const sig = sign('message', privateKey, { layout });
        expect(sig).toHaveLength(publicKey.size / 4);
        expect(verify(sig, 'message', publicKey, { layout })).toBe(true);
        expect(verify(sig, 'messagE', publicKey, { layout })).toBe(false);
      }
      // Random k: two signatures of one message differ.
      expect(hex(sign('m', privateKey))).not.toBe(hex(sign('m', privateKey)));
    });
  }
});

describe('malformed input throws GostError with a code; mismatches return false', () => {
  const { privateKey, publicKey } = generateKeyPair('tc26-256-a');
  const sig = sign('x', privateKey);

  it('signature of the wrong length', () => {
    for (const bad of [sig.subarray(1), new Uint8Array(0), new Uint8Array(128)]) {
      expect(() => verify(bad, 'x', publicKey)).toThrow(expect.objectContaining({ code: 'INVALID_SIGNATURE_LENGTH', field: 'signature' }));
    }
  });
  it('hash of the wrong length', () => {
    expect(() => signHash(new Uint8Array(64), privateKey)).toThrow(expect.objectContaining({ code: 'INVALID_HASH_LENGTH' }));
    expect(() => verifyHash(sig, new Uint8Array(31), publicKey)).toThrow(expect.objectContaining({ code: 'INVALID_HASH_LENGTH' }));
  });
  it('unknown layout and parameter set', () => {
    expect(() => sign('x', privateKey, { layout: 'sr-le' as SignatureLayout })).toThrow(
      expect.objectContaining({ code: 'INVALID_LAYOUT' }),
    );
    expect(() => generateKeyPair('tc26-256-e' as ParamSetName)).toThrow(expect.objectContaining({ code: 'UNKNOWN_PARAM_SET' }));
  });
  it('r or s out of range, all zero or all ones: false', () => {
    expect(verify(new Uint8Array(64), 'x', publicKey)).toBe(false);
    expect(verify(new Uint8Array(64).fill(0xff), 'x', publicKey)).toBe(false);
  });
  it('a key from another size does not verify', () => {
    const big = generateKeyPair('tc26-512-a');
    expect(() => verify(sig, 'x', big.publicKey)).toThrow(expect.objectContaining({ code: 'INVALID_SIGNATURE_LENGTH' }));
  });
  it('fixedKForTestsOnly is range-checked', () => {
    expect(() => sign('x', privateKey, { fixedKForTestsOnly: 0n })).toThrow(GostError);
    expect(() => sign('x', privateKey, { fixedKForTestsOnly: 2n ** 300n })).toThrow(
      expect.objectContaining({ field: 'fixedKForTestsOnly' }),
    );
  });
  it('not-a-key objects are refused', () => {
    expect(() => sign('x', { type: 'private', paramSet: 'tc26-256-a', size: 256 })).toThrow(
      expect.objectContaining({ code: 'INVALID_PRIVATE_KEY' }),
    );
  });
});

describe('property: round trips hold and any single-bit change is rejected', () => {
  const keys = (['cryptopro-a', 'tc26-256-a', 'tc26-512-c'] as const).map((p) => generateKeyPair(p));
  it('sign → verify, then flip one bit of the message or of the signature', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...keys),
        fc.uint8Array({ minLength: 1, maxLength: 300 }),
        fc.nat(),
        fc.boolean(),
        fc.constantFrom<SignatureLayout>('sr-be', 'rs-be', 'rs-le'),
        (kp, msg, bitSeed, inSig, layout) => {
          const sig = sign(msg, kp.privateKey, { layout });
          expect(verify(sig, msg, kp.publicKey, { layout })).toBe(true);
          const target = Uint8Array.from(inSig ? sig : msg);
          const bit = bitSeed % (target.length * 8);
          target[bit >> 3]! ^= 1 << (bit & 7);
          expect(inSig ? verify(target, msg, kp.publicKey, { layout }) : verify(sig, target, kp.publicKey, { layout })).toBe(false);
        },
      ),
      { numRuns: runs },
    );
  });
});
