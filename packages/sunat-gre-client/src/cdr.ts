import { GreCdrError } from './errors.js';
import { child, children, decodeXmlBytes, localName, parseXml, path, text } from './xml.js';
import { DEFAULT_ZIP_LIMITS, readSingleXmlEntry, type ZipLimits } from './zip.js';

/** SUNAT's constancia de recepción (CDR), read from its ApplicationResponse. */
export interface Cdr {
  /** The CDR's own `cbc:ID` (a UUID). */
  id: string;
  /** `0` accepted; 2000–3999 rejected; 4000+ accepted with observations (see `notes`). */
  responseCode: string;
  /** `cbc:Description`: SUNAT's text for the response. */
  description: string;
  /** The guide it answers, e.g. `T001-1`. */
  referenceId: string;
  /** Observations: each `cbc:Note` "<code> - <text>". */
  notes: {
    /** The observation's code. */
    code: string;
    /** Its text. */
    text: string;
  }[];
  /** URL of SUNAT's printable guide / QR (`DocumentReference/DocumentDescription`), when present. */
  documentUrl?: string;
  /** `IssueDate` + `IssueTime`, Lima local time as written (no offset), e.g. `2023-01-05T10:23:59.909`. */
  issuedAt?: string;
  /** `ResponseDate` + `ResponseTime`, Lima local time as written. */
  respondedAt?: string;
  /** Name of the XML inside the zip (e.g. `R-20000000001-09-T001-1.xml`), when read from a zip. */
  fileName?: string;
  /** The XML text. */
  xml: string;
}

/** A CDR without its XML, file name and times: the small, JSON-safe part that a job result or a log line keeps. */
export type CdrSummary = Pick<Cdr, 'id' | 'responseCode' | 'description' | 'referenceId' | 'notes' | 'documentUrl'>;

/** The {@link CdrSummary} of a CDR (`documentUrl` only when the CDR has one). */
export function summarizeCdr(cdr: Cdr): CdrSummary {
  return {
    id: cdr.id,
    responseCode: cdr.responseCode,
    description: cdr.description,
    referenceId: cdr.referenceId,
    notes: cdr.notes,
    ...(cdr.documentUrl ? { documentUrl: cdr.documentUrl } : {}),
  };
}

/** Size limits of {@link parseCdr}; unset ones keep the built-in defaults. */
export interface ParseCdrOptions extends Partial<ZipLimits> {}

/**
 * Reads a CDR from its zip (bytes, or base64 as in `arcCdr`). Throws only `GreCdrError`. Safe by construction:
 * size limits before and during inflation, exactly one plain-named XML entry, no DTD.
 */
export function parseCdr(zipOrBase64: Uint8Array | string, options: ParseCdrOptions = {}): Cdr {
  const limits: ZipLimits = {
    maxZipBytes: options.maxZipBytes ?? DEFAULT_ZIP_LIMITS.maxZipBytes,
    maxEntryBytes: options.maxEntryBytes ?? DEFAULT_ZIP_LIMITS.maxEntryBytes,
  };
  let zip: Uint8Array;
  if (typeof zipOrBase64 === 'string') zip = decodeBase64(zipOrBase64, limits.maxZipBytes);
  else if (zipOrBase64 instanceof Uint8Array) zip = zipOrBase64;
  else throw new GreCdrError('input', 'expected the zip bytes (Uint8Array) or their base64 text');
  const entry = readSingleXmlEntry(zip, limits);
  const xml = decodeXmlBytes(entry.data);
  if (xml === undefined) throw new GreCdrError('encoding', 'the XML is not valid UTF-8');
  return { ...readCdrXml(xml), fileName: entry.name };
}

/** Reads an ApplicationResponse already out of its zip. Throws only `GreCdrError`. */
export function readCdrXml(xml: string): Cdr {
  if (typeof xml !== 'string') throw new GreCdrError('input', 'expected the XML text');
  const parsed = parseXml(xml);
  if ('problem' in parsed) throw new GreCdrError(parsed.problem.startsWith('a DTD') ? 'dtd' : 'xml', parsed.problem);
  const { rootName, root } = parsed;
  if (localName(rootName) !== 'ApplicationResponse')
    throw new GreCdrError('root', `the root element is ${rootName}, not ApplicationResponse`);
  const response = path(root, ['DocumentResponse', 'Response']);
  const responseCode = text(child(response, 'ResponseCode'));
  if (responseCode === undefined) throw new GreCdrError('missing-field', 'no DocumentResponse/Response/ResponseCode');
  const stamp = (date: string, time: string): string | undefined => {
    const d = text(child(root, date));
    const t = text(child(root, time));
    return d === undefined ? undefined : t === undefined ? d : `${d}T${t}`;
  };
  return {
    id: text(child(root, 'ID')) ?? '',
    responseCode,
    description: text(child(response, 'Description')) ?? '',
    referenceId: text(child(response, 'ReferenceID')) ?? '',
    notes: children(root, 'Note')
      .map((n) => text(n))
      .filter((n): n is string => n !== undefined)
      .map(splitNote),
    documentUrl: text(path(root, ['DocumentResponse', 'DocumentReference', 'DocumentDescription'])),
    issuedAt: stamp('IssueDate', 'IssueTime'),
    respondedAt: stamp('ResponseDate', 'ResponseTime'),
    xml,
  };
}

/** "4398 - El Número de placa…" → { code: '4398', text: 'El Número de placa…' }; no code → code ''. */
function splitNote(note: string): { code: string; text: string } {
  const m = /^(\d{1,5})\s*-\s*([\s\S]*)$/.exec(note);
  return m ? { code: m[1]!, text: m[2]!.trim() } : { code: '', text: note };
}

function decodeBase64(s: string, maxBytes: number): Uint8Array {
  const compact = /\s/.test(s) ? s.replace(/\s+/g, '') : s;
  if (compact.length > Math.ceil(maxBytes / 3) * 4)
    throw new GreCdrError('zip-too-large', `the base64 text is longer than a ${maxBytes}-byte zip`);
  if (compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) throw new GreCdrError('base64', 'the CDR is not valid base64');
  return new Uint8Array(Buffer.from(compact, 'base64'));
}
