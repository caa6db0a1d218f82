import { createHash } from 'node:crypto';
import { crc32, inflateRawSync } from 'node:zlib';
import { zipSync } from 'fflate';
import { GreCdrError } from './errors.js';

/** The zip SUNAT expects: exactly one entry, the XML, deflated. */
export function zipSingleFile(name: string, data: Uint8Array): Uint8Array {
  return zipSync({ [name]: [data, { level: 6 }] });
}

export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export interface ZipLimits {
  /** Largest zip accepted; default 5 MiB. */
  maxZipBytes: number;
  /** Largest inflated entry; default 10 MiB. Inflation stops as soon as it is passed. */
  maxEntryBytes: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxZipBytes: 5 * 1024 * 1024, maxEntryBytes: 10 * 1024 * 1024 };

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/**
 * Reads a zip that must hold exactly one XML file, from its central directory, without trusting it: declared
 * sizes are checked against the limits first, inflation stops as soon as it passes `maxEntryBytes`, the
 * CRC and the real size are checked, and names with a path are refused.
 */
export function readSingleXmlEntry(zip: Uint8Array, limits: ZipLimits = DEFAULT_ZIP_LIMITS): { name: string; data: Uint8Array } {
  const fail = (rule: string, message: string): never => {
    throw new GreCdrError(rule, message);
  };
  if (zip.length > limits.maxZipBytes) fail('zip-too-large', `the zip has ${zip.length} bytes, more than the limit of ${limits.maxZipBytes}`);
  if (zip.length < 22) fail('not-a-zip', 'too short to be a zip');
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let eocd = -1;
  for (let i = zip.length - 22; i >= 0 && i >= zip.length - 22 - 0xffff; i--) {
    if (view.getUint32(i, true) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) fail('not-a-zip', 'no end-of-central-directory record');
  const entries = view.getUint16(eocd + 10, true);
  const cdSize = view.getUint32(eocd + 12, true);
  const cdOffset = view.getUint32(eocd + 16, true);
  if (entries !== 1) fail('entry-count', `the zip must hold exactly one file, it declares ${entries}`);
  if (cdOffset + 46 > eocd || cdOffset + cdSize > eocd || view.getUint32(cdOffset, true) !== CENTRAL) fail('corrupt', 'central directory out of bounds');
  const flags = view.getUint16(cdOffset + 8, true);
  const method = view.getUint16(cdOffset + 10, true);
  const crc = view.getUint32(cdOffset + 16, true);
  const compressedSize = view.getUint32(cdOffset + 20, true);
  const declaredSize = view.getUint32(cdOffset + 24, true);
  const nameLength = view.getUint16(cdOffset + 28, true);
  const localOffset = view.getUint32(cdOffset + 42, true);
  if (flags & 0x1) fail('encrypted', 'encrypted entries are not accepted');
  if (cdOffset + 46 + nameLength > eocd) fail('corrupt', 'entry name out of bounds');
  const name = decodeName(zip.subarray(cdOffset + 46, cdOffset + 46 + nameLength));
  if (name === '' || /[/\\:\0]/.test(name) || name === '.' || name === '..') fail('path', `the entry name ${JSON.stringify(name)} is not a plain file name`);
  if (!/\.xml$/i.test(name)) fail('entry-type', `the entry ${JSON.stringify(name)} is not an XML file`);
  if (declaredSize > limits.maxEntryBytes) fail('entry-too-large', `the entry declares ${declaredSize} bytes, more than the limit of ${limits.maxEntryBytes}`);
  if (localOffset + 30 > cdOffset || view.getUint32(localOffset, true) !== LOCAL) fail('corrupt', 'local header out of bounds');
  const dataStart = localOffset + 30 + view.getUint16(localOffset + 26, true) + view.getUint16(localOffset + 28, true);
  if (dataStart + compressedSize > cdOffset) fail('corrupt', 'entry data out of bounds');
  const raw = zip.subarray(dataStart, dataStart + compressedSize);

  let data: Uint8Array;
  if (method === 0) data = raw;
  else if (method === 8) data = inflateBounded(raw, limits.maxEntryBytes);
  else return fail('method', `compression method ${method} is not supported (only stored and deflate)`);
  if (data.length > limits.maxEntryBytes) fail('entry-too-large', `the entry inflates past the limit of ${limits.maxEntryBytes} bytes`);
  if (data.length !== declaredSize) fail('corrupt', `the entry declares ${declaredSize} bytes but holds ${data.length}`);
  if (crc32(data) >>> 0 !== crc) fail('crc', 'the entry\'s CRC-32 does not match its data');
  return { name, data };
}

/** Inflates with zlib's `maxOutputLength`: output stops growing at `max`, whatever the headers claimed. */
function inflateBounded(raw: Uint8Array, max: number): Uint8Array {
  try {
    return inflateRawSync(raw, { maxOutputLength: max + 1 });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new GreCdrError('entry-too-large', `the entry inflates past the limit of ${max} bytes`);
    throw new GreCdrError('corrupt', 'the deflate data is invalid or truncated');
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

function decodeName(bytes: Uint8Array): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new GreCdrError('path', 'the entry name is not valid UTF-8');
  }
}
