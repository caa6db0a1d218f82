import { randomBytes } from 'node:crypto';
import { gostEngineOrSkip, openssl, scratchDir } from '@internal/testkit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createStreebog256, createStreebog512, streebog256, streebog512 } from '../src/index.js';
import { createStreebogJs, streebogEngine } from '../src/streebog.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const runs = Number(process.env.FUZZ_RUNS ?? 300);

// RFC 6986 section 10: M1 is 63 ASCII digits; M2 is 72 bytes of CP1251 text (bytes written out here).
const M1 = new TextEncoder().encode('012345678901234567890123456789012345678901234567890123456789012');
const M2 = Buffer.from(
  'd1e520e2e5f2f0e82c20d1f2f0e8e1eee6e820e2edf3f6e82c20e2e5fef2fa20f120eceef0ff20f1f2f0e5ebe0ece820ede020f5f0e0e1f0fbff20efebfaeafb20c8e3eef0e5e2fb',
  'hex',
);

describe('Streebog RFC 6986 vectors (byte order as openssl dgst prints)', () => {
  it('M1, 256 and 512', () => {
    expect(M1.length).toBe(63);
    expect(hex(streebog256(M1))).toBe('9d151eefd8590b89daa6ba6cb74af9275dd051026bb149a452fd84e5e57b5500');
    expect(hex(streebog512(M1))).toBe(
      '1b54d01a4af5b9d5cc3d86d68d285462b19abc2475222f35c085122be4ba1ffa00ad30f8767b3a82384c6574f024c311e2a481332b08ef7f41797891c1646f48',
    );
  });

  it('M2 (CP1251 bytes), 256 and 512', () => {
    expect(M2.length).toBe(72);
    expect(hex(streebog256(M2))).toBe('9dd2fe4e90409e5da87f53976d7405b0c0cac628fc669a741d50063c557e8f50');
    expect(hex(streebog512(M2))).toBe(
      '1e88e62226bfca6f9994f1f2d51569e0daf8475a3b0fe61a5300eee46d961376035fe83549ada2b8620fcd7c496ce5b33f0cb9dddc2b6460143b03dabac9fb28',
    );
  });

  it('empty message', () => {
    expect(hex(streebog256(new Uint8Array(0)))).toBe('3f539a213e97c802cc229d474c6aa32a825a360b2a933a949fd925208d9ce1bb');
    expect(streebog512('')).toHaveLength(64);
  });

  it('strings are hashed as UTF-8', () => {
    expect(hex(streebog256('héllo'))).toBe(hex(streebog256(new TextEncoder().encode('héllo'))));
  });

  it('rejects non-byte input and reuse after digest', () => {
    expect(() => streebog256(42 as unknown as Uint8Array)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    const h = createStreebog256();
    h.digest();
    expect(() => h.update('x')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => h.digest()).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});

describe('the WebAssembly core and the JavaScript fallback agree', () => {
  it('Node runs the WebAssembly core', () => {
    expect(streebogEngine).toBe('wasm');
  });

  it('RFC 6986 M1 and M2 through the JavaScript path', () => {
    expect(hex(createStreebogJs(256).update(M1).digest())).toBe('9d151eefd8590b89daa6ba6cb74af9275dd051026bb149a452fd84e5e57b5500');
    expect(hex(createStreebogJs(512).update(M2).digest())).toBe(
      '1e88e62226bfca6f9994f1f2d51569e0daf8475a3b0fe61a5300eee46d961376035fe83549ada2b8620fcd7c496ce5b33f0cb9dddc2b6460143b03dabac9fb28',
    );
  });

  it('on random inputs up to 40 KiB (beyond one WebAssembly input window) (fast-check)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 * 1024 }), fc.boolean(), (length, big) => {
        const data = new Uint8Array(randomBytes(length));
        const size = big ? 512 : 256;
        expect(hex((big ? streebog512 : streebog256)(data))).toBe(hex(createStreebogJs(size).update(data).digest()));
      }),
      { numRuns: Math.max(20, Math.floor(runs / 10)) },
    );
  });
});

describe('Streebog incremental == one-shot', () => {
  it('for random data split at random points (fast-check)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 700 }), fc.array(fc.nat(700), { maxLength: 8 }), fc.boolean(), (data, cuts, big) => {
        const points = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b);
        const h = big ? createStreebog512() : createStreebog256();
        let from = 0;
        for (const p of [...points, data.length]) {
          h.update(data.subarray(from, p));
          from = p;
        }
        expect(hex(h.digest())).toBe(hex(big ? streebog512(data) : streebog256(data)));
      }),
      { numRuns: runs },
    );
  });
});

const ok = gostEngineOrSkip();
describe.skipIf(!ok)('Streebog against openssl dgst -engine gost', () => {
  /** Hashes many inputs with ONE openssl process per digest size (dgst accepts many files). */
  function opensslDigests(inputs: Uint8Array[], md: string): string[] {
    const dir = scratchDir('streebog-');
    try {
      const files = inputs.map((b, i) => dir.write(`in${i}.bin`, b));
      const out = openssl(['dgst', '-engine', 'gost', `-${md}`, '-r', ...files]).toString();
      const byFile = new Map(
        out
          .trim()
          .split('\n')
          .map((line) => [line.slice(line.indexOf('*') + 1), line.split(' ')[0]!] as const),
      );
      return files.map((f) => byFile.get(f) ?? 'missing');
    } finally {
      dir.cleanup();
    }
  }

  const lengths = [0, 1, 31, 32, 33, 55, 56, 63, 64, 65, 127, 128, 129, 191, 192, 255, 256, 511, 512, 1000, 4095, 4096, 10_000];
  while (lengths.length < 50) lengths.push(Math.floor(Math.random() * 10_001));
  const inputs = lengths.map((n) => new Uint8Array(randomBytes(n)));

  it('256 over ~50 random inputs of 0..10,000 bytes (block boundaries included)', () => {
    const expected = opensslDigests(inputs, 'md_gost12_256');
    expect(expected).toHaveLength(inputs.length);
    inputs.forEach((input, i) => expect(hex(streebog256(input)), `length ${input.length}`).toBe(expected[i]));
  });

  it('512 over the same inputs, and M2', () => {
    const expected = opensslDigests([...inputs, M2], 'md_gost12_512');
    expect(expected).toHaveLength(inputs.length + 1);
    [...inputs, M2].forEach((input, i) => expect(hex(streebog512(input)), `length ${input.length}`).toBe(expected[i]));
  });
});
