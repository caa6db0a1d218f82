import { fuzzRuns } from '@internal/testkit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeInJs, decodeNatively, decodeWithBuffer, hasNativeDecoder } from '../src/base64url-decode.js';
import { Base64UrlError, base64url } from '../src/index.js';

// base64url.decode picks one of three strict decoders by length and runtime. Whatever it picks, the answer must
// be the same: the same bytes, or the same Base64UrlError (code, position, message).
const RUNS = fuzzRuns(2000);
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const NODE_MAJOR = Number(process.versions.node.split('.')[0]);

type Outcome = { bytes: string; owned: boolean } | { code: string; position: number; message: string };

function outcome(decoder: (text: string) => Uint8Array, text: string): Outcome {
  try {
    const bytes = decoder(text);
    return { bytes: Buffer.from(bytes).toString('hex'), owned: bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.length };
  } catch (error) {
    if (!Base64UrlError.isInstance(error)) throw error;
    return { code: error.code, position: error.position, message: error.message };
  }
}

const paths: [string, (text: string) => Uint8Array][] = [
  ['plain JS', decodeInJs],
  ['Buffer', decodeWithBuffer],
  ...(hasNativeDecoder ? [['setFromBase64', decodeNatively] as [string, (text: string) => Uint8Array]] : []),
];

/** Near-valid texts: a canonical text (any length, across the 86-character switch), cut, then one or two edits. */
const nearValid = fc
  .record({
    bytes: fc.uint8Array({ maxLength: 400 }),
    cut: fc.constantFrom(0, 0, 0, 1, 2, 3),
    edits: fc.array(
      fc.record({
        at: fc.nat(),
        c: fc.constantFrom(
          ...ALPHABET.split(''),
          '=',
          '==',
          ' ',
          '\n',
          '\r',
          '\t',
          '\f',
          '\v',
          '+',
          '/',
          '.',
          '\0',
          '\x7f',
          '\x80',
          'é',
          '\xff',
          '\u0141',
          '\u0100',
          '\u012d',
          '😀',
        ),
        insert: fc.boolean(),
      }),
      { maxLength: 2 },
    ),
    twoByte: fc.boolean(),
  })
  .map(({ bytes, cut, edits, twoByte }) => {
    let text = Buffer.from(bytes).toString('base64url');
    text = text.slice(0, text.length - Math.min(cut, text.length));
    for (const { at, c, insert } of edits) {
      const i = at % (text.length + 1);
      text = text.slice(0, i) + c + text.slice(insert ? i : i + 1);
    }
    return twoByte ? `\u0141${text}`.slice(1) : text; // the same text held as a two-byte V8 string
  });

/** Anything at all: random UTF-16 strings, and padded standard Base64. */
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 120 }),
  fc.uint8Array({ maxLength: 100 }).map((b) => Buffer.from(b).toString('base64')),
  fc.string({ unit: fc.constantFrom(...ALPHABET.split('')), maxLength: 120 }),
);

describe(`strict decoders agree (${paths.map(([name]) => name).join(', ')}; ${RUNS} runs each)`, () => {
  it('finds the native decoder exactly where the runtime has one', () => {
    expect(hasNativeDecoder).toBe(typeof (Uint8Array.prototype as { setFromBase64?: unknown }).setFromBase64 === 'function');
    if (NODE_MAJOR >= 26) expect(hasNativeDecoder).toBe(true);
    if (NODE_MAJOR <= 24) expect(hasNativeDecoder).toBe(false);
    if (!hasNativeDecoder)
      console.warn(
        `\n  NOTE: Node ${process.version} has no Uint8Array.prototype.setFromBase64; the native decoder is compared on Node ≥ 25 only.\n`,
      );
  });

  it.each([
    ['near-valid', nearValid],
    ['arbitrary', anyText],
  ] as const)('property: %s texts give the same bytes or the same error on every path, and base64url.decode agrees', (_, texts) => {
    fc.assert(
      fc.property(texts, (text) => {
        const expected = outcome(base64url.decode, text);
        for (const [name, decoder] of paths) {
          const got = outcome(decoder, text);
          if (JSON.stringify(got) !== JSON.stringify(expected))
            throw new Error(`${name} path: ${JSON.stringify(got)} but base64url.decode: ${JSON.stringify(expected)}`);
        }
        if ('bytes' in expected) {
          if (!expected.owned) throw new Error('result does not own its memory');
          if (expected.bytes !== Buffer.from(text, 'base64url').toString('hex')) throw new Error('bytes differ from Buffer');
        }
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
  });

  it.skipIf(!hasNativeDecoder)('the native path refuses what setFromBase64 alone lets through, with the portable errors', () => {
    // lastChunkHandling 'loose' skips whitespace and takes padding and stray trailing bits: the checks around it must not.
    for (const [text, code, position] of [
      ['Zm9v\nYmFy', 'WHITESPACE', 4],
      [`${'QUJD'.repeat(30)} `.repeat(2).trimEnd(), 'WHITESPACE', 120],
      ['Zm9vYg==', 'PADDING', 6],
      [`${'QUJD'.repeat(30)}Zg==`, 'PADDING', 122],
      [`${'QUJD'.repeat(30)}Zh`, 'NON_ZERO_TRAILING_BITS', 121],
      [`${'QUJD'.repeat(30)}Zm9`, 'NON_ZERO_TRAILING_BITS', 122],
      [`${'QUJD'.repeat(30)}Q\u0141JD`, 'INVALID_CHARACTER', 121],
    ] as const) {
      expect(outcome(decodeNatively, text)).toEqual(outcome(decodeWithBuffer, text));
      expect(outcome(decodeNatively, text)).toMatchObject({ code, position });
    }
  });
});
