import { createHash, randomUUID, X509Certificate } from 'node:crypto';
import { checkSunatObservations, checkSunatPatterns, checkSunatRules } from '@internal/sunat-kit';
import { buildCdrZip } from './cdr.js';
import { CODES, type Code, type ErrorShape, errorBody, generalError } from './codes.js';
import { type DespatchAdvice, readDespatchAdvice } from './document.js';
import { type GreMemory, type Outcome, type SunatSandboxState, type Ticket, toState } from './state.js';
import { limaSeconds } from './time.js';
import type { Answer, TokenClaims } from './token.js';
import { verifyXmlSignature } from './xml-signature.js';
import { readSingleEntryZip } from './zip.js';

/**
 * What the sandbox does with a guide's XMLDSig: 'ignore' (never read), 'verify-if-present' (a present signature
 * must verify, else 99 with 2334/2335/…), 'required' (as 'verify-if-present', and an unsigned guide is 99/1059).
 */
export type SignaturePolicy = 'required' | 'verify-if-present' | 'ignore';

/** Plates starting with this prefix are "not in SUNAT's vehicle database": accepted with note 4398. */
export const UNKNOWN_PLATE_PREFIX = 'ZZ';

export interface GreStats {
  sends: number;
  polls: number;
  received: Map<string, number>;
}

export interface SendResult extends Answer {
  /** The document was stored and has a ticket. */
  stored: boolean;
}

const PATH_RE = /^([^-]*)-([^-]*)-([^-]*)-([^-]*)$/;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export interface GreService {
  send(claims: TokenClaims, fileBase: string, body: Buffer, contentType: string | undefined): SendResult;
  status(claims: TokenClaims, ticket: string): Answer;
  /** Every stored guide and the duplicate keys, as plain JSON. */
  snapshot(): SunatSandboxState;
  readonly stats: GreStats;
}

export function greService(
  o: { pendingPolls: number; signature: SignaturePolicy; errorShape: ErrorShape | 'alternate' },
  restored: GreMemory = { tickets: new Map(), registered: new Set() },
): GreService {
  const { tickets, registered } = restored;
  const stats: GreStats = { sends: 0, polls: 0, received: new Map() };
  let unprocessable = 0;

  /** Both documented 422 shapes: alternating by default (first 'rest', then 'manual', ...). */
  const reject = (...codes: Code[]): SendResult => {
    const shape: ErrorShape = o.errorShape === 'alternate' ? (unprocessable++ % 2 === 0 ? 'rest' : 'manual') : o.errorShape;
    return { status: 422, body: errorBody(shape, codes), stored: false };
  };

  function send(claims: TokenClaims, fileBase: string, body: Buffer, contentType: string | undefined): SendResult {
    // 1. the path: RUC-TT-SERIE-NUM
    const m = PATH_RE.exec(fileBase);
    if (!m) return reject('0151');
    const [, ruc = '', type = '', series = '', num = ''] = m;
    const pathCodes: Code[] = [];
    if (!/^\d{11}$/.test(ruc)) pathCodes.push('500');
    if (type !== '09' && type !== '31') pathCodes.push('501');
    if (!/^[A-Z0-9]{4}$/.test(series)) pathCodes.push('502');
    else if (type === '09' ? !/^(T|EG)/.test(series) : type === '31' && !/^(V|EG)/.test(series)) pathCodes.push('1001');
    if (!/^\d{1,8}$/.test(num) || Number(num) === 0) pathCodes.push('503');
    if (pathCodes.length) return reject(...pathCodes);
    if (ruc !== claims.ruc) return reject('0154');

    // 2. the JSON body
    if (!/^application\/json\b/i.test(contentType ?? '')) return { status: 415, body: generalError(415), stored: false };
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      return { status: 400, body: generalError(400), stored: false };
    }
    const archivo = isObject(json) ? json['archivo'] : undefined;
    if (!isObject(archivo)) return reject('504');
    const { nomArchivo, arcGreZip, hashZip } = archivo;
    const bodyCodes: Code[] = [];
    if (typeof nomArchivo !== 'string' || nomArchivo === '') bodyCodes.push('505');
    else if (nomArchivo !== `${fileBase}.zip`) bodyCodes.push('0151');
    if (arcGreZip === '') bodyCodes.push('0155');
    else if (typeof arcGreZip !== 'string' || !BASE64_RE.test(arcGreZip)) bodyCodes.push('506');
    if (typeof hashZip !== 'string' || !/^[0-9a-fA-F]{64}$/.test(hashZip)) bodyCodes.push('507');
    if (bodyCodes.length) return reject(...bodyCodes);
    const zip = Buffer.from(arcGreZip as string, 'base64');
    if (createHash('sha256').update(zip).digest('hex') !== (hashZip as string).toLowerCase()) return reject('508');

    // 3. the zip: exactly one XML named as the path
    const entry = readSingleEntryZip(zip);
    if ('problem' in entry) return reject(entry.problem);
    if (/[/\\]|\.\./.test(entry.name) || !entry.name.toLowerCase().endsWith('.xml')) return reject('0159');
    if (entry.name !== `${fileBase}.xml`) return reject('0161');

    // 4. the document agrees with its name
    const doc = readDespatchAdvice(entry.data);
    if ('problem' in doc) return reject(doc.problem);
    const idMatch = doc.id ? /^([A-Z0-9]{4})-(\d{1,8})$/.exec(doc.id) : null;
    if (!doc.id) return reject('1002');
    if (!idMatch) return reject('1001');
    const docCodes: Code[] = [];
    if (doc.supplierRuc !== ruc) docCodes.push('1034');
    if (idMatch[1] !== series) docCodes.push('1035');
    if (Number(idMatch[2]) !== Number(num)) docCodes.push('1036');
    if (!doc.typeCode) docCodes.push('1050');
    else if (doc.typeCode !== type) docCodes.push('1052');
    if (docCodes.length) return reject(...docCodes);

    // 5. stored: from here the sender has a ticket, whatever the verdict
    const key = `${ruc}-${type}-${series}-${Number(num)}`;
    const outcome = judge(doc, entry.data, type, registered.has(key));
    if (!('cdr' in outcome) || outcome.cdr) registered.add(key);
    const ticket = randomUUID();
    const receivedAt = new Date();
    tickets.set(ticket, { ruc, baseName: fileBase, referenceId: doc.id, recipientRuc: doc.recipientRuc, receivedAt, polls: 0, outcome });
    stats.sends++;
    stats.received.set(nomArchivo as string, (stats.received.get(nomArchivo as string) ?? 0) + 1);
    return { status: 200, body: { numTicket: ticket, fecRecepcion: limaSeconds(receivedAt) }, stored: true };
  }

  /** SUNAT's asynchronous verdict, decided at reception so that it is deterministic. */
  function judge(doc: DespatchAdvice, xml: Uint8Array, type: string, duplicate: boolean): Outcome {
    if (duplicate) return { code: '1033', cdr: false };
    if (o.signature === 'required' && !doc.hasSignature) return { code: '1059', cdr: false };
    if (o.signature !== 'ignore' && doc.hasSignature) {
      const problem = signatureProblem(Buffer.from(xml).toString('utf8'));
      if (problem) return { code: problem, cdr: true };
    }
    if (!doc.customizationId) return { code: '2113', cdr: true };
    if (doc.customizationId !== '2.0') return { code: '2112', cdr: true };
    const weight = Number(doc.grossWeight);
    if (!doc.grossWeight || !Number.isFinite(weight) || weight <= 0) return { code: '2523', cdr: true };
    if (type === '31' && doc.plates.length === 0) return { code: '2566', cdr: true };
    // SUNAT's GRE rules, the ones sunat-gre-client validates with (@internal/sunat-kit): the first error rejects
    // the guide with its code; observations are accepted and written as CDR notes, as SUNAT does.
    const errors: Code[] = [];
    const collect = (_field: string, _rule: string, _message: string, code?: string): void => {
      if (code !== undefined && code in CODES) errors.push(code as Code);
    };
    checkSunatPatterns(doc.guide, collect);
    checkSunatRules(doc.guide, collect);
    if (errors.length) return { code: errors[0]!, cdr: true };
    const notes: string[] = [];
    checkSunatObservations(doc.guide, (_field, _message, code) => notes.push(`${code} - ${CODES[code as Code] ?? ''}`));
    const plateNotes = doc.plates
      .filter((p) => p.toUpperCase().startsWith(UNKNOWN_PLATE_PREFIX))
      .map((p) => `4398 - ${CODES['4398']}, placa: ${p}`);
    return { code: '0', notes: [...notes, ...plateNotes] };
  }

  function status(claims: TokenClaims, ticketId: string): Answer {
    if (ticketId === '') return reject('166');
    const ticket = UUID_RE.test(ticketId) ? tickets.get(ticketId.toLowerCase()) : undefined;
    if (!ticket) return reject('0127');
    if (ticket.ruc !== claims.ruc) return reject('0126');
    stats.polls++;
    ticket.polls++;
    if (ticket.polls <= o.pendingPolls) return { status: 200, body: { codRespuesta: '98' } };
    ticket.final ??= finalAnswer(ticket);
    return { status: 200, body: ticket.final };
  }

  function finalAnswer(t: Ticket): Record<string, unknown> {
    const cdr = (responseCode: string, description: string, notes: string[]): string =>
      Buffer.from(
        buildCdrZip({
          baseName: t.baseName,
          ruc: t.ruc,
          referenceId: t.referenceId,
          recipientRuc: t.recipientRuc,
          responseCode,
          description,
          notes,
          receivedAt: t.receivedAt,
          respondedAt: new Date(),
        }),
      ).toString('base64');
    const { outcome } = t;
    if (outcome.code === '0') {
      const notes = 'notes' in outcome ? outcome.notes : [];
      return {
        codRespuesta: '0',
        arcCdr: cdr('0', `El Comprobante  numero ${t.referenceId}, ha sido aceptado`, notes),
        indCdrGenerado: '1',
      };
    }
    const desError = CODES[outcome.code];
    const error = { numError: outcome.code, desError };
    if ('cdr' in outcome && outcome.cdr) return { codRespuesta: '99', error, arcCdr: cdr(outcome.code, desError, []), indCdrGenerado: '1' };
    return { codRespuesta: '99', error, indCdrGenerado: '0' };
  }

  return { send, status, snapshot: () => toState({ tickets, registered }), stats };
}

/** The XMLDSig verdict (xml-signature.ts), then the embedded certificate's validity today (2327). */
function signatureProblem(xml: string): Code | undefined {
  const result = verifyXmlSignature(xml);
  if (!result.ok) return result.code;
  const cert = new X509Certificate(result.certificatePem);
  const now = Date.now();
  if (Date.parse(cert.validFrom) > now || Date.parse(cert.validTo) < now) return '2327';
  return undefined;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
