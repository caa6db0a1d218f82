import type { Cdr, GreStatus, SendResult } from 'sunat-gre-client';

/** The CDR without its XML: what a job keeps and announces. */
export interface CdrSummary {
  id: string;
  responseCode: string;
  description: string;
  referenceId: string;
  notes: { code: string; text: string }[];
  documentUrl?: string;
}

/** A job's return value: SUNAT's final word on one document. */
export interface GreVerdict {
  documentId: string;
  state: 'accepted' | 'rejected';
  /** `codRespuesta`: `0` accepted, `99` rejected. */
  code: string;
  /** A rejection's `numError` and text. */
  error?: { code: string; message: string };
  cdr?: CdrSummary;
  ticket: string;
  fileName: string;
  /** SHA-256 of the zip sent, lowercase hex. */
  hash: string;
  receivedAt: string;
  /**
   * An earlier send of this document got no answer (lost, or its worker died), the resend was answered 99/1033
   * "registrado previamente": SUNAT stored the first copy. `state` is then `accepted`, with no CDR (the API cannot
   * give back the first ticket; the CDR is in SOL).
   */
  storedByEarlierSend?: boolean;
  /** How many times the document was sent (more than 1 only after an ambiguous send). */
  sends: number;
  polls: number;
  decidedAt: string;
}

export function cdrSummary(cdr: Cdr | undefined): CdrSummary | undefined {
  if (!cdr) return undefined;
  return { id: cdr.id, responseCode: cdr.responseCode, description: cdr.description, referenceId: cdr.referenceId, notes: cdr.notes, ...(cdr.documentUrl ? { documentUrl: cdr.documentUrl } : {}) };
}

export function verdictOf(documentId: string, status: GreStatus, sent: Pick<SendResult, 'ticket' | 'fileName' | 'hash'> & { receivedAt: string }, o: { maybeStored: boolean; sends: number; polls: number }): GreVerdict {
  const duplicate = status.state === 'rejected' && status.error?.code === '1033';
  const byEarlier = duplicate && o.maybeStored;
  return {
    documentId,
    state: byEarlier ? 'accepted' : (status.state as 'accepted' | 'rejected'),
    code: status.code,
    ...(status.error ? { error: status.error } : {}),
    ...(status.cdr ? { cdr: cdrSummary(status.cdr) } : {}),
    ticket: sent.ticket,
    fileName: sent.fileName,
    hash: sent.hash,
    receivedAt: sent.receivedAt,
    ...(byEarlier ? { storedByEarlierSend: true } : {}),
    sends: o.sends,
    polls: o.polls,
    decidedAt: new Date().toISOString(),
  };
}
