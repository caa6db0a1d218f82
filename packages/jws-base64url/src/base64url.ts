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

/**
 * Strict Base64Url decoding: only `A-Z a-z 0-9 - _`, no padding, no whitespace, no length of 4n+1, no
 * non-zero bits after the last whole byte. Throws Base64UrlError naming the first offending position.
 */
function decode(text: string): Uint8Array {
  if (typeof text !== 'string') throw new Base64UrlError('NOT_A_STRING', 0, 'base64url.decode expects a string');
  const length = text.length;
  // Fast path. Node's decoder skips characters it does not know (so the output comes out short), stops at '=',
  // reads '+' and '/' like '-' and '_', and keeps only the low byte of a UTF-16 unit: so the text is canonical
  // exactly when it is ASCII, holds no '+' or '/', has a valid length, decodes to its full length and its last
  // character carries no stray bits. Each check is a single native pass, unlike a regular expression.
  if (length % 4 !== 1 && text.indexOf('+') === -1 && text.indexOf('/') === -1 && Buffer.byteLength(text, 'utf8') === length) {
    const bytes = Buffer.from(text, 'base64url');
    if (bytes.length === ((length * 3) >>> 2) && trailingBitsClear(text)) return asUint8Array(bytes);
  }
  throw explain(text);
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

/** A small pooled Buffer is copied, so the result never exposes Node's shared pool through `.buffer`. */
function asUint8Array(bytes: Buffer): Uint8Array {
  return bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.length
    ? new Uint8Array(bytes.buffer, 0, bytes.length)
    : new Uint8Array(bytes);
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
