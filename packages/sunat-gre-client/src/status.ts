import { describeSunatCode, parseApiError } from './api-error.js';
import { type Cdr, parseCdr } from './cdr.js';
import { GreCdrError, SunatApiError } from './errors.js';

/** The state of a ticket, from SUNAT's status answer. */
export interface GreStatus {
  /** `0` → accepted, `99` → rejected, anything else (`98`, unknown) → pending. */
  state: 'pending' | 'accepted' | 'rejected';
  /** `codRespuesta` as a string. */
  code: string;
  /** `error` of a 99: `numError` and `desError` (SUNAT's catalogue text when `desError` is empty). */
  error?: {
    /** `numError`. */
    code: string;
    /** `desError`, or SUNAT's catalogue text for the code. */
    message: string;
  };
  /** The CDR when SUNAT generated one (accepted, and some rejections). */
  cdr?: Cdr;
  /** The parsed JSON answer. */
  raw: unknown;
}

/** SUNAT's status answer: `{codRespuesta, error?: {numError, desError}, arcCdr?, indCdrGenerado?}`. */
export function readStatus(json: unknown, url: string, requestId: string | undefined, rawBody: () => string): GreStatus {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new SunatApiError('SUNAT answered the status query with an unexpected JSON body', {
      code: 'BAD_RESPONSE',
      status: 200,
      url,
      requestId,
      rawBody: rawBody(),
    });
  const o = json as Record<string, unknown>;
  const codRespuesta = o['codRespuesta'];
  if (codRespuesta === undefined || codRespuesta === null) {
    // A 200 that carries an error body ({cod, msg}) instead of a status.
    throw parseApiError({ status: 200, url, requestId, rawBody: rawBody() });
  }
  const code = String(codRespuesta).trim();
  const state = code === '0' ? 'accepted' : code === '99' ? 'rejected' : 'pending';
  const status: GreStatus = { state, code, raw: json };
  const err = o['error'];
  if (typeof err === 'object' && err !== null) {
    const e = err as Record<string, unknown>;
    const errCode = e['numError'] ?? e['codError'] ?? e['cod'];
    const errText = e['desError'] ?? e['msg'];
    const c = typeof errCode === 'string' || typeof errCode === 'number' ? String(errCode) : '';
    status.error = { code: c, message: typeof errText === 'string' && errText !== '' ? errText : (describeSunatCode(c) ?? '') };
  }
  const arcCdr = o['arcCdr'];
  if (state !== 'pending') {
    if (typeof arcCdr === 'string' && arcCdr !== '') status.cdr = parseCdr(arcCdr);
    // indCdrGenerado "1" promises a CDR: an empty or missing arcCdr then is a broken answer, not a verdict without
    // proof. The ticket stays valid: ask again. (Without the flag, a verdict without a CDR is passed on as is.)
    else if (String(o['indCdrGenerado'] ?? '') === '1')
      throw new GreCdrError(
        'missing',
        `SUNAT answered codRespuesta ${code} without the CDR it promises (arcCdr empty or missing); ask again with getStatus(ticket)`,
      );
  }
  return status;
}
