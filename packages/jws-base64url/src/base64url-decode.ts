import { Base64UrlError } from './errors.js';

// The strict decoders behind base64url.decode. Each takes a string and either returns exactly the bytes it
// encodes, in memory the result owns, or throws explain(text): the same error on every path. They differ only
// in speed, so decode() picks by length and runtime (see the README, "Benchmarks").

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** Value of each Base64Url character, -1 for anything else; indexed by the low byte of a UTF-16 unit. */
const VALUES = new Int8Array(256).fill(-1);
ALPHABET.split('').forEach((c, i) => (VALUES[c.charCodeAt(0)] = i));

/** Matches a UTF-16 unit above U+00FF. V8 compiles this to an immediate "no match" for one-byte strings. */
const ABOVE_LATIN1 = /[^\0-\xff]/;
/** Characters per slice when a long text is searched for '+' and '/' (fits in L2, so the second search is cheap). */
const SLICE = 1 << 17;

type SetFromBase64 = (text: string, options: { alphabet: 'base64url'; lastChunkHandling: 'loose' }) => { read: number; written: number };
const NATIVE_OPTIONS = Object.freeze({ alphabet: 'base64url', lastChunkHandling: 'loose' } as const);

/** True where the runtime has the TC39 "Uint8Array to/from base64" methods (Node ≥ 25); looked up once. */
export const hasNativeDecoder: boolean = typeof (Uint8Array.prototype as { setFromBase64?: SetFromBase64 }).setFromBase64 === 'function';

/** Length and last character: the checks every path makes first (both are O(1)). */
function shapeIsCanonical(text: string): boolean {
  const rest = text.length & 3;
  if (rest === 0) return true;
  if (rest === 1) return false;
  const c = text.charCodeAt(text.length - 1);
  const last = c < 128 ? VALUES[c]! : -1;
  return last >= 0 && (last & (rest === 2 ? 0x0f : 0x03)) === 0;
}

const decodedSize = (length: number): number => (length * 3) >>> 2;

/**
 * Decodes and validates in one JavaScript pass. Fastest for short texts: the result is small enough for V8 to
 * keep inside its heap (≤ 64 bytes), so it costs less than Node's pool slice plus a copy.
 */
export function decodeInJs(text: string): Uint8Array {
  if (!shapeIsCanonical(text)) throw explain(text);
  const length = text.length;
  const out = new Uint8Array(decodedSize(length));
  const whole = length & ~3;
  let values = 0; // OR of every looked-up value: negative if any character is outside the alphabet
  let units = 0; // OR of every UTF-16 unit: above 127 if any is non-ASCII (the table sees only the low byte)
  let o = 0;
  let i = 0;
  for (; i < whole; i += 4) {
    const c0 = text.charCodeAt(i),
      c1 = text.charCodeAt(i + 1),
      c2 = text.charCodeAt(i + 2),
      c3 = text.charCodeAt(i + 3);
    const v0 = VALUES[c0 & 0xff]!,
      v1 = VALUES[c1 & 0xff]!,
      v2 = VALUES[c2 & 0xff]!,
      v3 = VALUES[c3 & 0xff]!;
    units |= c0 | c1 | c2 | c3;
    values |= v0 | v1 | v2 | v3;
    const n = (v0 << 18) | (v1 << 12) | (v2 << 6) | v3;
    out[o++] = n >> 16;
    out[o++] = n >> 8;
    out[o++] = n;
  }
  if (i < length) {
    // 2 or 3 characters left (shapeIsCanonical refused 1); the last one was checked there.
    const c0 = text.charCodeAt(i),
      c1 = text.charCodeAt(i + 1);
    const v0 = VALUES[c0 & 0xff]!,
      v1 = VALUES[c1 & 0xff]!;
    units |= c0 | c1;
    values |= v0 | v1;
    out[o++] = (v0 << 2) | (v1 >> 4);
    if (length - i === 3) {
      const c2 = text.charCodeAt(i + 2);
      const v2 = VALUES[c2 & 0xff]!;
      units |= c2;
      values |= v2;
      out[o] = (v1 << 4) | (v2 >> 2);
    }
  }
  if (values < 0 || units > 127) throw explain(text);
  return out;
}

/**
 * Node's SIMD decoder (any Node line), after native checks for what it lets through. It skips characters it
 * does not know (so the output comes out short), stops at '=', reads '+' and '/' like '-' and '_', and keeps
 * only the low byte of a UTF-16 unit above U+00FF. So the text is canonical exactly when it has no unit above
 * U+00FF, no '+' or '/', a canonical length and last character, and decodes to its full length.
 */
export function decodeWithBuffer(text: string): Uint8Array {
  if (!shapeIsCanonical(text) || ABOVE_LATIN1.test(text) || !hasNoPlusOrSlash(text)) throw explain(text);
  const size = decodedSize(text.length);
  // Its own ArrayBuffer (never Node's shared pool, so `.buffer` shows no other caller's data), without the zero
  // fill: every byte is written or we throw.
  const bytes = Buffer.allocUnsafeSlow(size);
  if (bytes.write(text, 'base64url') !== size) throw explain(text);
  return new Uint8Array(bytes.buffer, bytes.byteOffset, size);
}

/**
 * The runtime's own decoder (Uint8Array.prototype.setFromBase64, Node ≥ 25), which refuses '+', '/' and
 * anything non-ASCII itself. No lastChunkHandling is as strict as RFC 7515 asks: every mode skips ASCII
 * whitespace, 'strict' demands the padding JWS forbids, 'loose' takes padding and stray trailing bits. So it runs
 * 'loose'; the shape check covers the trailing bits, and skipped whitespace or padding shows as fewer bytes
 * written than the length promises. Writing into an uninitialised buffer is what makes it fast: fromBase64
 * zero-fills its result and copies into it.
 */
export function decodeNatively(text: string): Uint8Array {
  if (!hasNativeDecoder) throw new Error('Uint8Array.prototype.setFromBase64 is not available on this runtime');
  if (!shapeIsCanonical(text)) throw explain(text);
  const size = decodedSize(text.length);
  const bytes = Buffer.allocUnsafeSlow(size);
  let result: { read: number; written: number };
  try {
    result = (bytes as unknown as { setFromBase64: SetFromBase64 }).setFromBase64(text, NATIVE_OPTIONS);
  } catch (error) {
    if (error instanceof SyntaxError) throw explain(text); // a character outside the alphabet
    throw error;
  }
  if (result.read !== text.length || result.written !== size) throw explain(text);
  return new Uint8Array(bytes.buffer, bytes.byteOffset, size);
}

/** Slice by slice, so the text is read from memory once for both searches (a slice is a view, not a copy). */
function hasNoPlusOrSlash(text: string): boolean {
  for (let start = 0; start < text.length; start += SLICE) {
    const part = start === 0 && text.length <= SLICE ? text : text.slice(start, start + SLICE);
    if (part.indexOf('+') !== -1 || part.indexOf('/') !== -1) return false;
  }
  return true;
}

/** The failure path: find the first rule the text breaks, in reading order. */
export function explain(text: string): Base64UrlError {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 128 && VALUES[c]! >= 0) continue;
    const shown = JSON.stringify(text[i]);
    if (c === 0x3d) return new Base64UrlError('PADDING', i, `base64url text must not be padded: '=' at position ${i}`);
    if (c === 0x20 || (c >= 0x09 && c <= 0x0d))
      return new Base64UrlError('WHITESPACE', i, `base64url text must not contain whitespace: ${shown} at position ${i}`);
    const hint = c === 0x2b || c === 0x2f ? ' (standard Base64 alphabet; Base64Url uses - and _)' : '';
    return new Base64UrlError('INVALID_CHARACTER', i, `invalid base64url character ${shown} at position ${i}${hint}`);
  }
  if (text.length % 4 === 1) {
    return new Base64UrlError(
      'INVALID_LENGTH',
      text.length - 1,
      `base64url text has an impossible length ${text.length} (4n+1): the character at position ${text.length - 1} is left over`,
    );
  }
  const last = text.length - 1;
  return new Base64UrlError(
    'NON_ZERO_TRAILING_BITS',
    last,
    `base64url text is not canonical: the last character at position ${last} has non-zero unused bits`,
  );
}
