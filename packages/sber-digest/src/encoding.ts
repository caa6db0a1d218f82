import { SberDigestValidationError } from './errors.js';

/** How the digest text becomes the signed bytes: UTF-8 (default), or Windows-1251, the Russian Windows code page. */
export type DigestEncoding = 'utf-8' | 'windows-1251';

let cp1251: Map<string, number> | undefined;

/** Windows-1251 built from the platform's own decoder (WHATWG table), read backwards: no table of ours to get wrong. */
function cp1251Table(): Map<string, number> {
  if (!cp1251) {
    const decoder = new TextDecoder('windows-1251');
    cp1251 = new Map();
    for (let b = 0; b < 256; b++) cp1251.set(decoder.decode(Uint8Array.of(b)), b);
  }
  return cp1251;
}

export function encodeDigest(text: string, encoding: DigestEncoding): Uint8Array {
  if (encoding === 'utf-8') return new TextEncoder().encode(text);
  if (encoding !== 'windows-1251') throw new SberDigestValidationError('encoding', 'type', "must be 'utf-8' or 'windows-1251'");
  const table = cp1251Table();
  const out = new Uint8Array(text.length);
  let i = 0;
  for (const ch of text) {
    const byte = table.get(ch);
    if (byte === undefined)
      throw new SberDigestValidationError('digest', 'encoding', `contains ${JSON.stringify(ch)}, which Windows-1251 cannot write`);
    out[i++] = byte;
  }
  return out.subarray(0, i);
}
