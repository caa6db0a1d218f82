import { createHash } from 'node:crypto';
import { readSingleEntryZip } from '@internal/sunat-kit';
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

/**
 * Reads a zip that must hold exactly one XML file, with the reader the sandbox uses too (`@internal/sunat-kit`:
 * limits checked before inflating, CRC and real size checked, names with a path refused), and turns a refusal
 * into a `GreCdrError` with the reader's rule; an empty body is `not-a-zip` here, and the entry must be `.xml`.
 */
export function readSingleXmlEntry(zip: Uint8Array, limits: ZipLimits = DEFAULT_ZIP_LIMITS): { name: string; data: Uint8Array } {
  const r = readSingleEntryZip(zip, limits);
  if ('rule' in r)
    throw new GreCdrError(r.rule === 'empty' ? 'not-a-zip' : r.rule, r.rule === 'empty' ? 'too short to be a zip' : r.message);
  if (!/\.xml$/i.test(r.name)) throw new GreCdrError('entry-type', `the entry ${JSON.stringify(r.name)} is not an XML file`);
  return r;
}
