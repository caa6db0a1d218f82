import { unzipSync } from 'fflate';
import { isValidRuc, type SendInput } from 'sunat-gre-client';
import { type Guide, guideFileBaseName, validateGuide } from 'sunat-gre-client/gre';
import { GreQueueValidationError } from './errors.js';

/** A ready zip as SUNAT takes it: one entry, `RUC-TT-SERIE-NUMERO.xml`, the signed DespatchAdvice. */
/** A zip already built (by another tool) holding one signed `RUC-TT-SERIE-NUMERO.xml`. */
export interface ReadyZip {
  /** The zip's bytes. */
  zip: Uint8Array;
}

/** What `enqueue` takes: a typed guide (signed by the worker), a signed DespatchAdvice, or a ready zip of one. */
export type GreQueueInput = Guide | SendInput | ReadyZip;

/** The largest XML taken out of a ready zip (SUNAT's own limit for a GRE is far smaller). */
const MAX_XML_BYTES = 10 * 1024 * 1024;

/**
 * The signed XML inside a ready zip, as a SendInput (its name gives RUC, type, series and number). The client
 * zips it again, so the hash SUNAT sees is of that zip. Entries are measured before they are inflated.
 */
export function fromZip(input: ReadyZip): SendInput {
  if (!(input.zip instanceof Uint8Array) || input.zip.length === 0) throw new GreQueueValidationError('zip', 'must be the bytes of a zip');
  let entries: Record<string, Uint8Array>;
  const names: string[] = [];
  try {
    entries = unzipSync(input.zip, {
      filter: (f) => {
        names.push(f.name);
        return f.originalSize <= MAX_XML_BYTES && names.length === 1;
      },
    });
  } catch {
    throw new GreQueueValidationError('zip', 'must be a readable zip');
  }
  if (names.length !== 1) throw new GreQueueValidationError('zip', `must hold exactly one entry (found ${names.length})`);
  const m = /^(\d{11})-(09|31)-([A-Z0-9]{4})-(\d{1,8})\.xml$/.exec(names[0]!);
  if (!m) throw new GreQueueValidationError('zip', 'must hold one entry named RUC-TT-SERIE-NUMERO.xml');
  const xml = entries[names[0]!];
  if (!xml) throw new GreQueueValidationError('zip', `its entry must inflate to at most ${MAX_XML_BYTES} bytes`);
  return { ruc: m[1]!, type: m[2] as '09' | '31', series: m[3]!, number: m[4]!, xml };
}

const isZip = (input: GreQueueInput): input is ReadyZip => typeof input === 'object' && input !== null && 'zip' in input;

/** A guide stays a guide (the worker signs it); a zip becomes the SendInput inside it. */
export function normalize(input: GreQueueInput): Guide | SendInput {
  return isZip(input) ? fromZip(input) : input;
}

/** A signed document as the job keeps it: the XML's bytes in Base64, so they are resent exactly as first sent. */
export interface StoredDocument {
  /** The issuer's RUC (11 digits). */
  ruc: string;
  /** Document type: '09' remitente, '31' transportista. */
  type: '09' | '31';
  /** Series (4 characters). */
  series: string;
  /** Correlative number (1 to 8 digits). */
  number: string;
  /** The signed XML, Base64. */
  xmlBase64: string;
}

export const isGuide = (input: object): input is Guide => typeof input === 'object' && input !== null && 'issuer' in input;

/**
 * `RUC-TT-SERIE-NUMERO`, the job id: one job per document, however often it is enqueued. The number is written
 * without leading zeros, so `1` and `'00000001'` are the same document.
 */
export function documentIdOf(given: GreQueueInput): string {
  if (typeof given !== 'object' || given === null)
    throw new GreQueueValidationError('input', 'must be a Guide, { ruc, type, series, number, xml } or { zip }');
  const input = normalize(given);
  if (isGuide(input)) {
    validateGuide(input);
    return guideFileBaseName(input);
  }
  const { ruc, type, series, number, xml } = input;
  if (typeof ruc !== 'string' || !isValidRuc(ruc)) throw new GreQueueValidationError('ruc', 'must be 11 digits with a valid check digit');
  if (type !== '09' && type !== '31') throw new GreQueueValidationError('type', "must be '09' or '31'");
  if (typeof series !== 'string' || !/^(?:[TV][A-Z0-9]{3}|EG\d{2})$/.test(series))
    throw new GreQueueValidationError('series', 'must be 4 characters: T… (09), V… (31) or EG.. (contingency)');
  const n = typeof number === 'string' && /^\d{1,8}$/.test(number) ? Number(number) : number;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 99_999_999)
    throw new GreQueueValidationError('number', 'must be an integer from 1 to 99999999');
  if (!(typeof xml === 'string' || xml instanceof Uint8Array) || xml.length === 0)
    throw new GreQueueValidationError('xml', 'must be the signed DespatchAdvice (string or bytes)');
  return `${ruc}-${type}-${series}-${n}`;
}

export function storedDocument(input: SendInput): StoredDocument {
  const bytes = typeof input.xml === 'string' ? Buffer.from(input.xml, 'utf8') : Buffer.from(input.xml);
  return { ruc: input.ruc, type: input.type, series: input.series, number: String(input.number), xmlBase64: bytes.toString('base64') };
}

export function sendInputOf(doc: StoredDocument): SendInput {
  return { ruc: doc.ruc, type: doc.type, series: doc.series, number: doc.number, xml: Buffer.from(doc.xmlBase64, 'base64') };
}
