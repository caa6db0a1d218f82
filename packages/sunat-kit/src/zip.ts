import { crc32, inflateRawSync } from 'node:zlib';

export interface SingleEntryZipLimits {
  /** Largest zip accepted. */
  maxZipBytes: number;
  /** Largest inflated entry: inflation stops as soon as it is passed. */
  maxEntryBytes: number;
}

/** Why a zip was refused. `entry-count` carries the declared count (0 and >1 mean different things to SUNAT). */
export type ZipRule =
  | 'empty'
  | 'zip-too-large'
  | 'not-a-zip'
  | 'entry-count'
  | 'corrupt'
  | 'encrypted'
  | 'path'
  | 'entry-too-large'
  | 'method'
  | 'crc';

export type SingleEntryZip = { name: string; data: Uint8Array } | { rule: ZipRule; message: string; entries?: number };

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a zip that must hold exactly one file, from its central directory, without trusting it: declared sizes
 * are checked against the limits first, inflation stops at `maxEntryBytes`, the real size and the CRC are
 * checked, names with a path or that are not UTF-8 are refused. Never throws: the caller turns the rule into
 * its own error (a typed client error, a SUNAT code).
 */
export function readSingleEntryZip(zip: Uint8Array, limits: SingleEntryZipLimits): SingleEntryZip {
  const fail = (rule: ZipRule, message: string, entries?: number): SingleEntryZip =>
    entries === undefined ? { rule, message } : { rule, message, entries };
  if (zip.length === 0) return fail('empty', 'the zip is empty');
  if (zip.length > limits.maxZipBytes)
    return fail('zip-too-large', `the zip has ${zip.length} bytes, more than the limit of ${limits.maxZipBytes}`);
  if (zip.length < 22) return fail('not-a-zip', 'too short to be a zip');
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  // End of central directory: 22 bytes + a comment of up to 65535.
  let eocd = -1;
  for (let i = zip.length - 22; i >= 0 && i >= zip.length - 22 - 0xffff; i--) {
    if (view.getUint32(i, true) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return fail('not-a-zip', 'no end-of-central-directory record');
  const entries = view.getUint16(eocd + 10, true);
  const cdSize = view.getUint32(eocd + 12, true);
  const cdOffset = view.getUint32(eocd + 16, true);
  if (entries !== 1) return fail('entry-count', `the zip must hold exactly one file, it declares ${entries}`, entries);
  if (cdOffset + 46 > eocd || cdOffset + cdSize > eocd || view.getUint32(cdOffset, true) !== CENTRAL)
    return fail('corrupt', 'central directory out of bounds');
  const flags = view.getUint16(cdOffset + 8, true);
  const method = view.getUint16(cdOffset + 10, true);
  const crc = view.getUint32(cdOffset + 16, true);
  const compressedSize = view.getUint32(cdOffset + 20, true);
  const declaredSize = view.getUint32(cdOffset + 24, true);
  const nameLength = view.getUint16(cdOffset + 28, true);
  const localOffset = view.getUint32(cdOffset + 42, true);
  if (flags & 0x1) return fail('encrypted', 'encrypted entries are not accepted');
  if (cdOffset + 46 + nameLength > eocd) return fail('corrupt', 'entry name out of bounds');
  let name: string;
  try {
    name = UTF8.decode(zip.subarray(cdOffset + 46, cdOffset + 46 + nameLength));
  } catch {
    return fail('path', 'the entry name is not valid UTF-8');
  }
  if (name === '' || /[/\\:\0]/.test(name) || name === '.' || name === '..')
    return fail('path', `the entry name ${JSON.stringify(name)} is not a plain file name`);
  if (declaredSize > limits.maxEntryBytes)
    return fail('entry-too-large', `the entry declares ${declaredSize} bytes, more than the limit of ${limits.maxEntryBytes}`);
  if (localOffset + 30 > cdOffset || view.getUint32(localOffset, true) !== LOCAL) return fail('corrupt', 'local header out of bounds');
  const dataStart = localOffset + 30 + view.getUint16(localOffset + 26, true) + view.getUint16(localOffset + 28, true);
  if (dataStart + compressedSize > cdOffset) return fail('corrupt', 'entry data out of bounds');
  const raw = zip.subarray(dataStart, dataStart + compressedSize);

  let data: Uint8Array;
  if (method === 0) data = raw;
  else if (method === 8) {
    try {
      data = inflateRawSync(raw, { maxOutputLength: limits.maxEntryBytes + 1 });
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
        return fail('entry-too-large', `the entry inflates past the limit of ${limits.maxEntryBytes} bytes`);
      return fail('corrupt', 'the deflate data is invalid or truncated');
    }
  } else return fail('method', `compression method ${method} is not supported (only stored and deflate)`);
  if (data.length > limits.maxEntryBytes)
    return fail('entry-too-large', `the entry inflates past the limit of ${limits.maxEntryBytes} bytes`);
  if (data.length !== declaredSize) return fail('corrupt', `the entry declares ${declaredSize} bytes but holds ${data.length}`);
  if (crc32(data) >>> 0 !== crc) return fail('crc', "the entry's CRC-32 does not match its data");
  return { name, data };
}
