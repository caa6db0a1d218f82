import { isValidRuc } from '@internal/sunat-kit';
import { GreValidationError } from './errors.js';
import { child, decodeXmlBytes, localName, parseXml, path, text } from './xml.js';

/** GRE document type: `09` remitente, `31` transportista. */
export type GreType = '09' | '31';

/** A signed GRE document to send: its identity (checked before sending) and its XML. */
export interface SendInput {
  /** The issuer's RUC: 11 digits with a valid check digit. */
  ruc: string;
  /** `09` guía de remisión remitente, `31` guía de remisión transportista. */
  type: GreType;
  /** 4 characters: `T…` for 09, `V…` for 31 (or `EG…`, physical contingency series). */
  series: string;
  /** 1 to 99999999; a string keeps its leading zeros in the file name (both forms are accepted by SUNAT). */
  number: number | string;
  /** The signed DespatchAdvice, bytes sent as they are (a string is encoded as UTF-8). */
  xml: string | Uint8Array;
}

/** What a valid input becomes: the names SUNAT expects and the bytes to zip. */
export interface CheckedInput {
  ruc: string;
  type: GreType;
  series: string;
  number: string;
  /** `RUC-TT-SERIE-NUMERO`: the path segment, and the zip and XML names without extension. */
  baseName: string;
  xmlBytes: Uint8Array;
}

/** The largest XML accepted: SUNAT's request limit is not published; 5 MiB keeps the JSON body near 10 MiB. */
export const MAX_XML_BYTES = 5 * 1024 * 1024;

// One RUC check for the client, the sandbox and oauth-sunat (@internal/sunat-kit, inlined at build).
export { isValidRuc };

const DESPATCH_ADVICE_NS = 'urn:oasis:names:specification:ubl:schema:xsd:DespatchAdvice-2';

/** Checks a send's input against SUNAT's rules before anything touches the network. */
export function checkSendInput(input: unknown): CheckedInput {
  const bad = (field: string, rule: string): never => {
    throw new GreValidationError(field, rule);
  };
  if (typeof input !== 'object' || input === null) return bad('input', 'must be an object { ruc, type, series, number, xml }');
  const { ruc, type, series, number, xml } = input as Record<string, unknown>;

  if (typeof ruc !== 'string' || !/^\d{11}$/.test(ruc)) bad('ruc', 'must be 11 digits');
  if (!isValidRuc(ruc as string)) bad('ruc', 'check digit does not match (SUNAT modulo 11, weights 5,4,3,2,7,6,5,4,3,2)');
  if (type !== '09' && type !== '31') bad('type', "must be '09' (remitente) or '31' (transportista)");
  if (typeof series !== 'string' || !/^[A-Z0-9]{4}$/.test(series)) bad('series', 'must be 4 characters, upper-case letters or digits');
  const prefix = type === '09' ? 'T' : 'V';
  if (!(series as string).startsWith(prefix) && !(series as string).startsWith('EG'))
    bad('series', `must start with '${prefix}' for type ${type as string} (or 'EG' for a contingency series)`);

  let num: string;
  if (typeof number === 'number') {
    if (!Number.isSafeInteger(number) || number < 1 || number > 99_999_999) bad('number', 'must be an integer from 1 to 99999999');
    num = String(number);
  } else if (typeof number === 'string') {
    if (!/^\d{1,8}$/.test(number) || Number(number) === 0) bad('number', 'must be 1 to 8 digits, not zero');
    num = number;
  } else return bad('number', 'must be an integer from 1 to 99999999 (number or digit string)');

  let xmlBytes: Uint8Array;
  let xmlText: string | undefined;
  if (typeof xml === 'string') {
    if (/^\uFEFF?<\?xml[^>]*encoding=["'](?!utf-8["'])/i.test(xml))
      bad('xml', 'a string must be UTF-8 XML (declare encoding="UTF-8" or pass the bytes)');
    xmlBytes = Buffer.from(xml, 'utf8');
    xmlText = xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml;
  } else if (xml instanceof Uint8Array) {
    xmlBytes = xml;
    xmlText = decodeXmlBytes(xml);
    if (xmlText === undefined) bad('xml', 'must be valid UTF-8 (or declare ISO-8859-1)');
  } else return bad('xml', 'must be the DespatchAdvice XML (string or Uint8Array)');
  if (xmlBytes.length === 0 || xmlText!.trim() === '') bad('xml', 'must not be empty');
  if (xmlBytes.length > MAX_XML_BYTES) bad('xml', `must be at most ${MAX_XML_BYTES} bytes`);

  const parsed = parseXml(xmlText!);
  if ('problem' in parsed) return bad('xml', parsed.problem);
  if (localName(parsed.rootName) !== 'DespatchAdvice') bad('xml', `root element must be DespatchAdvice, not ${parsed.rootName}`);
  const nsAttr = parsed.rootName.includes(':') ? `xmlns:${parsed.rootName.slice(0, parsed.rootName.indexOf(':'))}` : 'xmlns';
  if (parsed.root.attrs[nsAttr] !== DESPATCH_ADVICE_NS) bad('xml', `root element must be in the namespace ${DESPATCH_ADVICE_NS}`);
  const id = text(child(parsed.root, 'ID'));
  const idMatch = id === undefined ? null : /^([A-Z0-9]{4})-(\d{1,8})$/.exec(id);
  if (!idMatch) bad('xml', `cbc:ID must be SERIE-NUMERO, found ${JSON.stringify(id ?? '')}`);
  if (idMatch![1] !== series || Number(idMatch![2]) !== Number(num))
    bad('xml', `cbc:ID ${id} does not name the document being sent (${series as string}-${num})`);
  const typeCode = text(child(parsed.root, 'DespatchAdviceTypeCode'));
  if (typeCode !== type) bad('xml', `cbc:DespatchAdviceTypeCode ${JSON.stringify(typeCode ?? '')} does not match type ${type as string}`);
  const supplier = text(path(parsed.root, ['DespatchSupplierParty', 'Party', 'PartyIdentification', 'ID']));
  if (supplier !== undefined && supplier !== ruc) bad('xml', `the supplier's RUC ${supplier} is not the sender's RUC ${ruc as string}`);

  return {
    ruc: ruc as string,
    type: type as GreType,
    series: series as string,
    number: num,
    baseName: `${ruc}-${type}-${series}-${num}`,
    xmlBytes,
  };
}

/** Tickets are UUIDs; anything else would only reach SUNAT to be refused. */
export function checkTicket(ticket: unknown): string {
  if (typeof ticket !== 'string' || ticket === '') throw new GreValidationError('ticket', 'must be a non-empty string');
  if (!/^[0-9A-Za-z-]{1,64}$/.test(ticket))
    throw new GreValidationError('ticket', "must be SUNAT's numTicket (a UUID: letters, digits and dashes)");
  return ticket;
}

export function checkOptionalNumber(field: string, value: unknown, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min)
    throw new GreValidationError(field, `must be a finite number >= ${min}`);
  return value;
}
