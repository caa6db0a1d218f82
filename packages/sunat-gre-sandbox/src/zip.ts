import { crc32, inflateRawSync } from 'node:zlib';

export interface ZipEntry {
  name: string;
  data: Uint8Array;
}

/** Why a zip was refused, as SUNAT's catalogue codes. */
export type ZipProblem = '0155' | '0156' | '0157' | '0158';

export const MAX_ENTRY_BYTES = 5 * 1024 * 1024;

/**
 * Reads a zip that must hold exactly one file, from its central directory, never trusting a size field:
 * inflation stops at `maxEntryBytes` and the CRC is checked. Any inconsistency is "corrupt" (0156).
 */
export function readSingleEntryZip(zip: Uint8Array, maxEntryBytes = MAX_ENTRY_BYTES): ZipEntry | { problem: ZipProblem } {
  if (zip.length === 0) return { problem: '0155' };
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  // End of central directory: 22 bytes + a comment of up to 65535.
  let eocd = -1;
  for (let i = zip.length - 22; i >= 0 && i >= zip.length - 22 - 0xffff; i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return { problem: '0156' };
  const entries = view.getUint16(eocd + 10, true);
  const cdOffset = view.getUint32(eocd + 16, true);
  if (entries === 0) return { problem: '0157' };
  if (entries > 1) return { problem: '0158' };
  if (cdOffset + 46 > zip.length || view.getUint32(cdOffset, true) !== 0x02014b50) return { problem: '0156' };
  const flags = view.getUint16(cdOffset + 8, true);
  const method = view.getUint16(cdOffset + 10, true);
  const crc = view.getUint32(cdOffset + 16, true);
  const compressedSize = view.getUint32(cdOffset + 20, true);
  const nameLength = view.getUint16(cdOffset + 28, true);
  const localOffset = view.getUint32(cdOffset + 42, true);
  if (flags & 0x1) return { problem: '0156' }; // encrypted
  if (cdOffset + 46 + nameLength > zip.length) return { problem: '0156' };
  const name = new TextDecoder('utf-8', { fatal: false }).decode(zip.subarray(cdOffset + 46, cdOffset + 46 + nameLength));
  if (localOffset + 30 > zip.length || view.getUint32(localOffset, true) !== 0x04034b50) return { problem: '0156' };
  const dataStart = localOffset + 30 + view.getUint16(localOffset + 26, true) + view.getUint16(localOffset + 28, true);
  if (dataStart + compressedSize > zip.length) return { problem: '0156' };
  const raw = zip.subarray(dataStart, dataStart + compressedSize);
  let data: Uint8Array;
  try {
    if (method === 0) {
      if (raw.length > maxEntryBytes) return { problem: '0156' };
      data = raw;
    } else if (method === 8) {
      data = inflateRawSync(raw, { maxOutputLength: maxEntryBytes });
    } else return { problem: '0156' };
  } catch {
    return { problem: '0156' };
  }
  if (crc32(data) >>> 0 !== crc) return { problem: '0156' };
  return { name, data };
}
