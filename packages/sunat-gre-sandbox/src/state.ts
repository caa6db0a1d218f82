import { CODES, type Code } from './codes.js';
import { SunatSandboxError } from './errors.js';

/** The verdict decided at reception: accepted (with CDR notes), or an error code with or without a CDR. */
export type Outcome = { code: '0'; notes: string[] } | { code: Code; cdr: boolean };

/** A stored guide and its ticket, as the GRE service keeps it in memory. */
export interface Ticket {
  ruc: string;
  baseName: string;
  referenceId: string;
  recipientRuc?: string;
  receivedAt: Date;
  polls: number;
  outcome: Outcome;
  /** The verdict's answer once given: kept so that later polls return the same CDR. */
  final?: Record<string, unknown>;
}

/** One stored guide in a {@link SunatSandboxState}. */
export interface SunatStoredDocument {
  /** `numTicket` (a lowercase UUID). */
  ticket: string;
  /** The sender's RUC. */
  ruc: string;
  /** `RUC-TT-SERIE-NUM`, as in the send path. */
  baseName: string;
  /** The guide's `cbc:ID`. */
  referenceId: string;
  /** The recipient's RUC, when the guide names one. */
  recipientRuc?: string;
  /** Reception time, ISO 8601 in UTC. */
  receivedAt: string;
  /** Status polls answered so far. */
  polls: number;
  /** `code` '0' = accepted with these CDR notes; otherwise a code of `CODES` and whether a CDR goes with it. */
  outcome:
    | {
        /** '0': accepted. */
        code: '0';
        /** Observations for the CDR, as `"<code> - <text>"`. */
        notes: string[];
      }
    | {
        /** The rejection code, a key of `CODES`. */
        code: string;
        /** Whether a rejection CDR goes with it. */
        cdr: boolean;
      };
  /** The final answer (`codRespuesta`, `arcCdr`, …) once it has been given. */
  final?: Record<string, unknown>;
}

/** What `sandbox.snapshot()` returns and `startSunatSandbox({ state })` restores: plain JSON, no token or key. */
export interface SunatSandboxState {
  /** Format version; 1. */
  version: 1;
  /** Every stored guide, by ticket. */
  documents: SunatStoredDocument[];
  /** Keys `RUC-TT-SERIE-NUMBER` (number without padding) a resend of which is answered 1033. */
  registered: string[];
}

export interface GreMemory {
  tickets: Map<string, Ticket>;
  registered: Set<string>;
}

export function toState({ tickets, registered }: GreMemory): SunatSandboxState {
  const documents = [...tickets].map(([ticket, t]): SunatStoredDocument => {
    const outcome = t.outcome.code === '0' && 'notes' in t.outcome ? { code: '0' as const, notes: [...t.outcome.notes] } : { ...t.outcome };
    const doc: SunatStoredDocument = {
      ticket,
      ruc: t.ruc,
      baseName: t.baseName,
      referenceId: t.referenceId,
      receivedAt: t.receivedAt.toISOString(),
      polls: t.polls,
      outcome,
    };
    if (t.recipientRuc !== undefined) doc.recipientRuc = t.recipientRuc;
    if (t.final !== undefined) doc.final = structuredClone(t.final);
    return doc;
  });
  return { version: 1, documents, registered: [...registered] };
}

const TICKET_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const BASE_RE = /^(\d{11})-(?:09|31)-[A-Z0-9]{4}-\d{1,8}$/;
const KEY_RE = /^\d{11}-(?:09|31)-[A-Z0-9]{4}-[1-9]\d{0,7}$/;
const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function bad(field: string, rule: string): never {
  throw new SunatSandboxError('BAD_OPTION', `${field} ${rule}`, field);
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isCode(x: unknown): x is Code {
  return typeof x === 'string' && Object.hasOwn(CODES, x);
}

/** Checks a state given by the caller (typically JSON read back from disk) and turns it into memory. */
export function fromState(input: unknown): GreMemory {
  if (!isObject(input)) bad('state', 'must be an object');
  if (input.version !== 1) bad('state.version', 'must be 1');
  if (!Array.isArray(input.documents)) bad('state.documents', 'must be an array');
  if (!Array.isArray(input.registered)) bad('state.registered', 'must be an array');
  const tickets = new Map<string, Ticket>();
  input.documents.forEach((d: unknown, i) => {
    const at = `state.documents[${i}]`;
    if (!isObject(d)) bad(at, 'must be an object');
    if (typeof d.ticket !== 'string' || !TICKET_RE.test(d.ticket)) bad(`${at}.ticket`, 'must be a lowercase UUID');
    if (tickets.has(d.ticket)) bad(`${at}.ticket`, 'must not repeat');
    if (typeof d.ruc !== 'string' || !/^\d{11}$/.test(d.ruc)) bad(`${at}.ruc`, 'must be 11 digits');
    const base = typeof d.baseName === 'string' ? BASE_RE.exec(d.baseName) : null;
    if (!base || base[1] !== d.ruc) bad(`${at}.baseName`, 'must be RUC-TT-SERIE-NUM with the document RUC');
    if (typeof d.referenceId !== 'string' || d.referenceId === '') bad(`${at}.referenceId`, 'must be a non-empty string');
    if (d.recipientRuc !== undefined && typeof d.recipientRuc !== 'string') bad(`${at}.recipientRuc`, 'must be a string when present');
    const receivedAt = typeof d.receivedAt === 'string' ? new Date(d.receivedAt) : undefined;
    if (!receivedAt || Number.isNaN(receivedAt.getTime()) || receivedAt.toISOString() !== d.receivedAt)
      bad(`${at}.receivedAt`, 'must be an ISO 8601 UTC time');
    if (!Number.isSafeInteger(d.polls) || (d.polls as number) < 0) bad(`${at}.polls`, 'must be a non-negative integer');
    const outcome = readOutcome(d.outcome, `${at}.outcome`);
    if (d.final !== undefined) checkFinal(d.final, outcome, d.polls as number, `${at}.final`);
    const ticket: Ticket = {
      ruc: d.ruc,
      baseName: d.baseName as string,
      referenceId: d.referenceId,
      receivedAt,
      polls: d.polls as number,
      outcome,
    };
    if (d.recipientRuc !== undefined) ticket.recipientRuc = d.recipientRuc;
    if (d.final !== undefined) ticket.final = structuredClone(d.final as Record<string, unknown>);
    tickets.set(d.ticket, ticket);
  });
  const registered = new Set<string>();
  input.registered.forEach((k: unknown, i) => {
    if (typeof k !== 'string' || !KEY_RE.test(k))
      bad(`state.registered[${i}]`, 'must be RUC-TT-SERIE-NUMBER (number without zero padding)');
    if (registered.has(k)) bad(`state.registered[${i}]`, 'must not repeat');
    registered.add(k);
  });
  return { tickets, registered };
}

function readOutcome(o: unknown, at: string): Outcome {
  if (!isObject(o)) bad(at, 'must be an object');
  if (o.code === '0') {
    if (!Array.isArray(o.notes) || !o.notes.every((n) => typeof n === 'string')) bad(`${at}.notes`, 'must be an array of strings');
    return { code: '0', notes: [...(o.notes as string[])] };
  }
  if (!isCode(o.code)) bad(`${at}.code`, "must be '0' or a code of CODES");
  if (typeof o.cdr !== 'boolean') bad(`${at}.cdr`, 'must be a boolean');
  return { code: o.code, cdr: o.cdr };
}

/** The final answer must be the one the outcome gives: same code, a CDR exactly when the outcome has one. */
function checkFinal(f: unknown, outcome: Outcome, polls: number, at: string): void {
  if (!isObject(f)) bad(at, 'must be an object');
  if (polls < 1) bad(at, 'must be absent for a ticket never polled');
  const accepted = outcome.code === '0';
  const withCdr = accepted || ('cdr' in outcome && outcome.cdr);
  if (f.codRespuesta !== (accepted ? '0' : '99'))
    bad(`${at}.codRespuesta`, `must be '${accepted ? '0' : '99'}' for outcome ${outcome.code}`);
  if (f.indCdrGenerado !== (withCdr ? '1' : '0')) bad(`${at}.indCdrGenerado`, `must be '${withCdr ? '1' : '0'}' for this outcome`);
  if (withCdr ? typeof f.arcCdr !== 'string' || f.arcCdr === '' || !BASE64_RE.test(f.arcCdr) : f.arcCdr !== undefined) {
    bad(`${at}.arcCdr`, withCdr ? 'must be the CDR zip in base64' : 'must be absent for this outcome');
  }
  if (accepted) {
    if (f.error !== undefined) bad(`${at}.error`, 'must be absent for an accepted guide');
  } else if (!isObject(f.error) || f.error.numError !== outcome.code || typeof f.error.desError !== 'string') {
    bad(`${at}.error`, `must be { numError: '${outcome.code}', desError }`);
  }
}
