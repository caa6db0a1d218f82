import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Base64UrlError, base64url } from '../src/index.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** A reference validator written the obvious, slow way. */
function isCanonical(text: string): boolean {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return false;
  const rest = text.length % 4;
  if (rest === 0) return true;
  const last = ALPHABET.indexOf(text[text.length - 1]!);
  return (last & (rest === 2 ? 0x0f : 0x03)) === 0;
}

/** The refusal the rules call for, found the obvious, slow way: first bad character, then length, then trailing bits. */
function expectedRefusal(text: string): { code: string; position: number } | undefined {
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (ALPHABET.includes(c)) continue;
    if (c === '=') return { code: 'PADDING', position: i };
    if (' \t\n\r\v\f'.includes(c)) return { code: 'WHITESPACE', position: i };
    return { code: 'INVALID_CHARACTER', position: i };
  }
  if (text.length % 4 === 1) return { code: 'INVALID_LENGTH', position: text.length - 1 };
  return isCanonical(text) ? undefined : { code: 'NON_ZERO_TRAILING_BITS', position: text.length - 1 };
}

/** The same text held as a two-byte (UTF-16) V8 string, which Node's decoder reads differently from a one-byte one. */
const asTwoByte = (text: string): string => `\u0141${text}`.slice(1);

function refusal(text: string): Base64UrlError {
  try {
    base64url.decode(text);
  } catch (error) {
    if (Base64UrlError.isInstance(error)) return error;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(text)}`);
}

describe('base64url', () => {
  it('encodes the RFC 4648 test vectors without padding', () => {
    const vectors: [string, string][] = [
      ['', ''],
      ['f', 'Zg'],
      ['fo', 'Zm8'],
      ['foo', 'Zm9v'],
      ['foob', 'Zm9vYg'],
      ['fooba', 'Zm9vYmE'],
      ['foobar', 'Zm9vYmFy'],
    ];
    for (const [plain, encoded] of vectors) {
      expect(base64url.encode(plain)).toBe(encoded);
      expect(base64url.decodeToString(encoded)).toBe(plain);
    }
    expect(base64url.encode(new Uint8Array([0xfb, 0xff, 0xbf]))).toBe('-_-_');
  });

  it('encodes a subarray view without reading outside it', () => {
    const backing = new Uint8Array([1, 2, 3, 4, 5, 6]);
    expect(base64url.encode(backing.subarray(2, 4))).toBe(Buffer.from([3, 4]).toString('base64url'));
  });

  it('returns a plain Uint8Array that owns its memory', () => {
    const bytes = base64url.decode('AQID');
    expect(Object.getPrototypeOf(bytes)).toBe(Uint8Array.prototype);
    expect(bytes.buffer.byteLength).toBe(3);
  });

  it.each([
    ['Zg==', 'PADDING', 2],
    ['Zm8=', 'PADDING', 3],
    ['Zm9v YmFy', 'WHITESPACE', 4],
    ['Zm9v\nYmFy', 'WHITESPACE', 4],
    ['\tZm9v', 'WHITESPACE', 0],
    ['-_+/', 'INVALID_CHARACTER', 2],
    ['ab/c', 'INVALID_CHARACTER', 2],
    ['Zm9v!', 'INVALID_CHARACTER', 4],
    ['Zm9\u0141', 'INVALID_CHARACTER', 3], // Node would read U+0141 as 'A'
    ['Zm9vY', 'INVALID_LENGTH', 4],
    ['Z', 'INVALID_LENGTH', 0],
    ['Zh', 'NON_ZERO_TRAILING_BITS', 1],
    ['Zm9', 'NON_ZERO_TRAILING_BITS', 2],
  ])('refuses %j with %s at %i', (text, code, position) => {
    const error = refusal(text);
    expect(error.code).toBe(code);
    expect(error.position).toBe(position);
    expect(error.message).toContain(`position ${position}`);
  });

  it('refuses a non-string', () => {
    expect(() => base64url.decode(42 as unknown as string)).toThrow(expect.objectContaining({ code: 'NOT_A_STRING' }));
  });

  it('decodeToString refuses invalid UTF-8 and names the byte', () => {
    const text = base64url.encode(new Uint8Array([0x61, 0x62, 0xc3, 0x28]));
    expect(() => base64url.decodeToString(text)).toThrow(expect.objectContaining({ code: 'INVALID_UTF8', position: 2 }));
    expect(() => base64url.decodeToString(base64url.encode(new Uint8Array([0xed, 0xa0, 0x80])))).toThrow(
      expect.objectContaining({ code: 'INVALID_UTF8', position: 0 }),
    );
    expect(base64url.decodeToString(base64url.encode('\ufeffé€😀'))).toBe('\ufeffé€😀');
  });

  it('property: round trips random bytes, equal to Buffer base64url', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const text = base64url.encode(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64url'));
        expect(base64url.decode(text)).toEqual(bytes);
      }),
      { numRuns: RUNS },
    );
  });

  it('property: round trips strings through UTF-8', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 100 }), (s) => {
        expect(base64url.decodeToString(base64url.encode(s))).toBe(s);
      }),
      { numRuns: RUNS },
    );
  });

  it('property: accepts exactly the canonical texts (random strings over a hostile alphabet)', () => {
    const hostile = fc.constantFrom(
      ...ALPHABET.split(''),
      '+',
      '/',
      '=',
      ' ',
      '\n',
      '\r',
      '\t',
      '.',
      '\u0000',
      'é',
      '\u0141',
      '\u0100',
      '😀',
      '\ufffd',
    );
    fc.assert(
      fc.property(
        fc.array(hostile, { maxLength: 40 }).map((a) => a.join('')),
        (text) => {
          let accepted = true;
          try {
            base64url.decode(text);
          } catch (error) {
            expect(Base64UrlError.isInstance(error)).toBe(true);
            accepted = false;
          }
          expect(accepted).toBe(isCanonical(text));
        },
      ),
      { numRuns: RUNS * 3 },
    );
  });

  it('property: every mutation of a canonical text is refused at the right position', () => {
    const mutation = fc.record({
      bytes: fc.uint8Array({ minLength: 1, maxLength: 60 }),
      kind: fc.constantFrom('pad', 'plus', 'slash', 'space', 'newline', 'nonAscii', 'truncate1', 'trailing'),
      at: fc.nat(),
    });
    fc.assert(
      fc.property(mutation, ({ bytes, kind, at }) => {
        const text = base64url.encode(bytes);
        const i = at % text.length;
        const put = (c: string) => text.slice(0, i) + c + text.slice(i + 1);
        switch (kind) {
          case 'pad': {
            const padded = Buffer.from(bytes).toString('base64');
            if (padded.endsWith('=')) expect(refusal(padded.replaceAll('+', '-').replaceAll('/', '_')).code).toBe('PADDING');
            return;
          }
          case 'plus':
            return void expect(refusal(put('+'))).toMatchObject({ code: 'INVALID_CHARACTER', position: i });
          case 'slash':
            return void expect(refusal(put('/'))).toMatchObject({ code: 'INVALID_CHARACTER', position: i });
          case 'space':
            return void expect(refusal(put(' '))).toMatchObject({ code: 'WHITESPACE', position: i });
          case 'newline':
            return void expect(refusal(`${text.slice(0, i)}\n${text.slice(i)}`)).toMatchObject({ code: 'WHITESPACE', position: i });
          case 'nonAscii':
            return void expect(refusal(put(String.fromCharCode(0x100 + text.charCodeAt(i))))).toMatchObject({
              code: 'INVALID_CHARACTER',
              position: i,
            });
          case 'truncate1': {
            const cut = text.slice(0, text.length - (text.length % 4 === 0 ? 3 : text.length % 4 === 3 ? 2 : 1));
            if (cut.length % 4 === 1) expect(refusal(cut)).toMatchObject({ code: 'INVALID_LENGTH', position: cut.length - 1 });
            return;
          }
          case 'trailing': {
            const rest = text.length % 4;
            if (rest === 0) return;
            const last = ALPHABET.indexOf(text[text.length - 1]!);
            const bumped = ALPHABET[last | 0x01]!; // bit 0 is always among the unused bits
            if (bumped === text[text.length - 1]) return;
            expect(refusal(text.slice(0, -1) + bumped)).toMatchObject({ code: 'NON_ZERO_TRAILING_BITS', position: text.length - 1 });
          }
        }
      }),
      { numRuns: RUNS },
    );
  });
  it('decodes long texts (past the 86-character switch to the native or Buffer decoder) and returns memory it owns', () => {
    for (const n of [767, 768, 769, 770, 3000]) {
      const bytes = new Uint8Array(randomBytes(n));
      const text = Buffer.from(bytes).toString('base64url');
      for (const form of [text, asTwoByte(text)]) {
        const decoded = base64url.decode(form);
        expect(decoded).toEqual(bytes);
        expect(Object.getPrototypeOf(decoded)).toBe(Uint8Array.prototype);
        expect(decoded.buffer.byteLength).toBe(n);
      }
    }
  });

  it("finds '+' and '/' in every slice of a long text, at its edges too", () => {
    const text = Buffer.from(randomBytes(225_000)).toString('base64url'); // 300 000 characters: three slices
    expect(base64url.decode(text)).toHaveLength(225_000);
    for (const i of [0, 131_071, 131_072, 262_143, 262_144, text.length - 2]) {
      for (const c of ['+', '/']) {
        expect(refusal(text.slice(0, i) + c + text.slice(i + 1))).toMatchObject({ code: 'INVALID_CHARACTER', position: i });
      }
    }
    expect(refusal(`${text.slice(0, 200_000)}\u0141${text.slice(200_001)}`)).toMatchObject({
      code: 'INVALID_CHARACTER',
      position: 200_000,
    });
    expect(refusal(`${text.slice(0, 200_000)}é${text.slice(200_001)}`)).toMatchObject({ code: 'INVALID_CHARACTER', position: 200_000 });
  });

  it('property: short and long texts, one-byte and two-byte, are refused exactly as the rules say', () => {
    const hostile = fc.constantFrom(
      '+',
      '/',
      '=',
      ' ',
      '\n',
      '\t',
      '.',
      '\u0000',
      '\u007f',
      'é',
      '\u00ff',
      '\u0141',
      '\u0100',
      '\u012d',
      '😀',
      'A',
      '-',
      '_',
    );
    // Mostly a single defect, so the fast paths (not only explain()) have to find it.
    const edit = fc.record({ at: fc.nat(), c: fc.oneof(hostile, fc.constantFrom(...ALPHABET.split(''))), insert: fc.boolean() });
    const input = fc.record({
      bytes: fc.uint8Array({ maxLength: 1600, size: 'max' }), // nearly all past the 86-character switch
      edits: fc.array(edit, { maxLength: 2 }),
      cut: fc.constantFrom(0, 0, 0, 1, 2, 3),
      twoByte: fc.boolean(),
    });
    fc.assert(
      fc.property(input, ({ bytes, edits, cut, twoByte }) => {
        let text = Buffer.from(bytes).toString('base64url');
        text = text.slice(0, text.length - Math.min(cut, text.length)); // may leave 4n+1 or stray trailing bits
        for (const { at, c, insert } of edits) {
          const i = at % (text.length + 1);
          text = text.slice(0, i) + c + text.slice(insert ? i : i + 1);
        }
        if (twoByte) text = asTwoByte(text);
        // Plain comparisons: a failing vitest matcher on kilobyte arrays makes fast-check's shrinking crawl.
        const expected = expectedRefusal(text);
        let got: { code: string; position: number } | undefined;
        try {
          if (!Buffer.from(base64url.decode(text)).equals(Buffer.from(text, 'base64url'))) return false;
        } catch (error) {
          if (!Base64UrlError.isInstance(error)) throw error;
          got = { code: error.code, position: error.position };
        }
        return got?.code === expected?.code && got?.position === expected?.position;
      }),
      { numRuns: RUNS, endOnFailure: true }, // shrinking kilobyte inputs takes minutes; the seed reproduces the case
    );
  });
});
