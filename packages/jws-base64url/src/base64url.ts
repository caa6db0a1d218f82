import { Base64UrlError } from './errors.js';

// Decoded value of each Base64Url character, -1 for anything else (only used on the failure path and for the last char).
const VALUES = new Int8Array(128).fill(-1);
'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.split('').forEach((c, i) => (VALUES[c.charCodeAt(0)] = i));

const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function toBuffer(data: Uint8Array | string): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (data instanceof Uint8Array) return Buffer.from(data.buffer, data.byteOffset, data.byteLength); // a view, no copy
  throw new TypeError('base64url.encode expects a Uint8Array or a string');
}

/** Base64Url without padding (RFC 4648 §5). A string is encoded as UTF-8 (a lone surrogate becomes U+FFFD). */
function encode(data: Uint8Array | string): string {
  return toBuffer(data).toString('base64url');
}

/** Texts shorter than this take the path with the least per-call overhead; longer ones the least passes over memory. */
const LARGE = 1024;
/** Characters per slice when a long text is searched for '+' and '/' (fits in L2, so the second search is cheap). */
const SLICE = 1 << 17;
/** Matches a UTF-16 unit above U+00FF. V8 compiles this to an immediate "no match" for one-byte strings. */
const ABOVE_LATIN1 = /[^\0-\xff]/;

/**
 * Strict Base64Url decoding: only `A-Z a-z 0-9 - _`, no padding, no whitespace, no length of 4n+1, no
 * non-zero bits after the last whole byte. Throws Base64UrlError naming the first offending position.
 */
function decode(text: string): Uint8Array {
  if (typeof text !== 'string') throw new Base64UrlError('NOT_A_STRING', 0, 'base64url.decode expects a string');
  const length = text.length;
  // Node's decoder skips characters it does not know (so the output comes out short), stops at '=', reads '+'
  // and '/' like '-' and '_', and keeps only the low byte of a UTF-16 unit above U+00FF. So the text is canonical
  // exactly when it has no unit above U+00FF, no '+' or '/', a valid length, decodes to its full length and its
  // last character carries no stray bits. Each check is a native pass; a RegExp over the whole alphabet or a
  // charCodeAt loop takes 20-30 ms per 16 MiB, against ~1 ms here. Any failure goes to explain(), which names the rule.
  if (length % 4 !== 1 && trailingBitsClear(text)) {
    const size = (length * 3) >>> 2;
    if (length < LARGE) {
      // Per-call overhead matters most here: byteLength is the cheaper ASCII check on short texts (a slow pass on
      // long ones) and the pool the cheaper buffer.
      if (text.indexOf('+') === -1 && text.indexOf('/') === -1 && Buffer.byteLength(text, 'utf8') === length) {
        const bytes = Buffer.from(text, 'base64url');
        if (bytes.length === size) return new Uint8Array(bytes); // a copy, so `.buffer` never exposes Node's pool
      }
    } else if (!ABOVE_LATIN1.test(text) && hasNoPlusOrSlash(text)) {
      // Units U+0080-U+00FF are skipped by the decoder, so a short count catches them. allocUnsafeSlow gives the
      // result its own ArrayBuffer and skips the zero-fill Buffer.from pays: every byte is written or we throw.
      const bytes = Buffer.allocUnsafeSlow(size);
      if (bytes.write(text, 'base64url') === size) return new Uint8Array(bytes.buffer, bytes.byteOffset, size);
    }
  }
  throw explain(text);
}

/** Slice by slice, so the text is read from memory once for both searches (a slice is a view, not a copy). */
function hasNoPlusOrSlash(text: string): boolean {
  for (let start = 0; start < text.length; start += SLICE) {
    const part = text.slice(start, start + SLICE);
    if (part.indexOf('+') !== -1 || part.indexOf('/') !== -1) return false;
  }
  return true;
}

/** Strict decoding, then strict UTF-8 (a BOM is kept as U+FEFF). */
function decodeToString(text: string): string {
  const bytes = decode(text);
  try {
    return utf8Decoder.decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    throw new Base64UrlError('INVALID_UTF8', at, `base64url text decodes to invalid UTF-8 at byte ${at}`);
  }
}

export const base64url: {
  encode(data: Uint8Array | string): string;
  decode(text: string): Uint8Array;
  decodeToString(text: string): string;
} = Object.freeze({ encode, decode, decodeToString });

function trailingBitsClear(text: string): boolean {
  const rest = text.length & 3;
  if (rest === 0) return true;
  const last = VALUES[text.charCodeAt(text.length - 1)]!;
  return (last & (rest === 2 ? 0x0f : 0x03)) === 0;
}

/** The failure path: find the first rule the text breaks, in reading order. */
function explain(text: string): Base64UrlError {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 128 && VALUES[c]! >= 0) continue;
    const shown = JSON.stringify(text[i]);
    if (c === 0x3d) return new Base64UrlError('PADDING', i, `base64url text must not be padded: '=' at position ${i}`);
    if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) return new Base64UrlError('WHITESPACE', i, `base64url text must not contain whitespace: ${shown} at position ${i}`);
    const hint = c === 0x2b || c === 0x2f ? ' (standard Base64 alphabet; Base64Url uses - and _)' : '';
    return new Base64UrlError('INVALID_CHARACTER', i, `invalid base64url character ${shown} at position ${i}${hint}`);
  }
  if (text.length % 4 === 1) {
    return new Base64UrlError('INVALID_LENGTH', text.length - 1, `base64url text has an impossible length ${text.length} (4n+1): the character at position ${text.length - 1} is left over`);
  }
  const last = text.length - 1;
  return new Base64UrlError('NON_ZERO_TRAILING_BITS', last, `base64url text is not canonical: the last character at position ${last} has non-zero unused bits`);
}

/** Offset of the first byte that does not start a well-formed UTF-8 sequence (WHATWG rules: no overlongs, surrogates or > U+10FFFF). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b < 0x80) need = 0;
    else if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) return i;
    }
    i += need + 1;
  }
  return bytes.length;
}
