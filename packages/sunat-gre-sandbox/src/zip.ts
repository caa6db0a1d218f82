import { readSingleEntryZip as readZip } from '@internal/sunat-kit';

export interface ZipEntry {
  name: string;
  data: Uint8Array;
}

/** Why a zip was refused, as SUNAT's catalogue codes (0159: an entry name that is not a plain file name). */
export type ZipProblem = '0155' | '0156' | '0157' | '0158' | '0159';

export const MAX_ENTRY_BYTES = 5 * 1024 * 1024;

/**
 * Reads a zip that must hold exactly one file with the reader shared with the client (`@internal/sunat-kit`)
 * and answers its refusals as SUNAT's catalogue codes: empty 0155, no file 0157, several 0158, a name with a
 * path 0159, anything else corrupt 0156.
 */
export function readSingleEntryZip(zip: Uint8Array, maxEntryBytes = MAX_ENTRY_BYTES): ZipEntry | { problem: ZipProblem } {
  const r = readZip(zip, { maxZipBytes: Number.MAX_SAFE_INTEGER, maxEntryBytes });
  if (!('rule' in r)) return r;
  switch (r.rule) {
    case 'empty':
      return { problem: '0155' };
    case 'entry-count':
      return { problem: r.entries === 0 ? '0157' : '0158' };
    case 'path':
      return { problem: '0159' };
    default:
      return { problem: '0156' };
  }
}
