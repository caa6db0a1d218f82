import { GreValidationError, isValidRuc, type SendInput } from 'sunat-gre-client';
import { guideFileBaseName, validateGuide, type Guide } from 'sunat-gre-client/gre';

/** What `enqueue` takes: a typed guide (signed by the worker) or a signed DespatchAdvice ready to send. */
export type GreQueueInput = Guide | SendInput;

/** A signed document as the job keeps it: the XML's bytes in Base64, so they are resent exactly as first sent. */
export interface StoredDocument {
  ruc: string;
  type: '09' | '31';
  series: string;
  number: string;
  xmlBase64: string;
}

export const isGuide = (input: GreQueueInput): input is Guide => typeof input === 'object' && input !== null && 'issuer' in input;

/**
 * `RUC-TT-SERIE-NUMERO`, the job id: one job per document, however often it is enqueued. The number is written
 * without leading zeros, so `1` and `'00000001'` are the same document.
 */
export function documentIdOf(input: GreQueueInput): string {
  if (typeof input !== 'object' || input === null) throw new GreValidationError('input', 'must be a Guide or { ruc, type, series, number, xml }');
  if (isGuide(input)) {
    validateGuide(input);
    return guideFileBaseName(input);
  }
  const { ruc, type, series, number, xml } = input;
  if (typeof ruc !== 'string' || !isValidRuc(ruc)) throw new GreValidationError('ruc', 'must be 11 digits with a valid check digit');
  if (type !== '09' && type !== '31') throw new GreValidationError('type', "must be '09' or '31'");
  if (typeof series !== 'string' || !/^(?:[TV][A-Z0-9]{3}|EG\d{2})$/.test(series)) throw new GreValidationError('series', 'must be 4 characters: T… (09), V… (31) or EG.. (contingency)');
  const n = typeof number === 'string' && /^\d{1,8}$/.test(number) ? Number(number) : number;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 99_999_999) throw new GreValidationError('number', 'must be an integer from 1 to 99999999');
  if (!(typeof xml === 'string' || xml instanceof Uint8Array) || xml.length === 0) throw new GreValidationError('xml', 'must be the signed DespatchAdvice (string or bytes)');
  return `${ruc}-${type}-${series}-${n}`;
}

export function storedDocument(input: SendInput): StoredDocument {
  const bytes = typeof input.xml === 'string' ? Buffer.from(input.xml, 'utf8') : Buffer.from(input.xml);
  return { ruc: input.ruc, type: input.type, series: input.series, number: String(input.number), xmlBase64: bytes.toString('base64') };
}

export function sendInputOf(doc: StoredDocument): SendInput {
  return { ruc: doc.ruc, type: doc.type, series: doc.series, number: doc.number, xml: Buffer.from(doc.xmlBase64, 'base64') };
}
