import { type CdrSummary, type GreStatus, type SendResult, summarizeCdr } from 'sunat-gre-client';

/** A job's return value: SUNAT's final answer for one document. */
export interface GreVerdict {
  /** `RUC-TT-SERIE-NUMERO`. */
  documentId: string;
  /** Whether SUNAT accepted the guide. */
  state: 'accepted' | 'rejected';
  /** `codRespuesta`: `0` accepted, `99` rejected. */
  code: string;
  /** A rejection's `numError` and text. */
  error?: {
    /** `numError`. */
    code: string;
    /** SUNAT's text for it. */
    message: string;
  };
  /** The CDR, when SUNAT returned one. */
  cdr?: CdrSummary;
  /** The ticket that gave this verdict. */
  ticket: string;
  /** The zip's file name as sent. */
  fileName: string;
  /** SHA-256 of the zip sent, lowercase hex. */
  hash: string;
  /** When SUNAT answered the send, ISO 8601. */
  receivedAt: string;
  /**
   * An earlier send of this document got no answer (lost, or its worker died), the resend was answered 99/1033
   * "registrado previamente": SUNAT stored the first copy. `state` is then `accepted`, with no CDR (the API cannot
   * give back the first ticket; the CDR is in SOL).
   */
  storedByEarlierSend?: boolean;
  /** How many times the document was sent (more than 1 only after an ambiguous send). */
  sends: number;
  /** Status polls made for the ticket. */
  polls: number;
  /** When the verdict was reached, ISO 8601. */
  decidedAt: string;
}

export function verdictOf(
  documentId: string,
  status: GreStatus,
  sent: Pick<SendResult, 'ticket' | 'fileName' | 'hash'> & { receivedAt: string },
  o: { maybeStored: boolean; sends: number; polls: number },
): GreVerdict {
  const duplicate = status.state === 'rejected' && status.error?.code === '1033';
  const byEarlier = duplicate && o.maybeStored;
  return {
    documentId,
    state: byEarlier ? 'accepted' : (status.state as 'accepted' | 'rejected'),
    code: status.code,
    ...(status.error ? { error: status.error } : {}),
    ...(status.cdr ? { cdr: summarizeCdr(status.cdr) } : {}),
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
