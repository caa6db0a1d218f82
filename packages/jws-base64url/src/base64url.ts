import { decodeInJs, decodeNatively, decodeWithBuffer, hasNativeDecoder } from './base64url-decode.js';
import { Base64UrlError } from './errors.js';

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

/** Texts up to this length decode to at most 64 bytes, which V8 keeps inside its heap: cheapest in plain JS. */
const SHORT = 86;

/**
 * Strict Base64Url decoding: only `A-Z a-z 0-9 - _`, no padding, no whitespace, no length of 4n+1, no
 * non-zero bits after the last whole byte. Throws Base64UrlError naming the first offending position.
 * The result owns its memory (`.buffer` holds these bytes only).
 */
function decode(text: string): Uint8Array {
  if (typeof text !== 'string') throw new Base64UrlError('NOT_A_STRING', 0, 'base64url.decode expects a string');
  if (text.length <= SHORT) return decodeInJs(text);
  return hasNativeDecoder ? decodeNatively(text) : decodeWithBuffer(text);
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

/** Strict Base64Url (RFC 4648 §5, no padding) codec; frozen. */
export const base64url: {
  /** Encodes bytes, or a string as UTF-8 (a lone surrogate becomes U+FFFD), without padding. Throws TypeError on other input. */
  encode(data: Uint8Array | string): string;
  /**
   * Decodes strictly: only `A-Z a-z 0-9 - _`, no padding or whitespace, no length of 4n+1, no non-zero trailing bits.
   * Throws {@link Base64UrlError} naming the first offending position; the result owns its memory.
   */
  decode(text: string): Uint8Array;
  /** {@link base64url.decode}, then strict UTF-8 (a BOM is kept as U+FEFF); throws {@link Base64UrlError} `INVALID_UTF8` with the byte offset. */
  decodeToString(text: string): string;
} = Object.freeze({ encode, decode, decodeToString });

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
