import { createDeadline, type Deadline } from '@internal/http-core';
import type { Guide } from '@internal/sunat-kit';
import { GreAbortedError, GreAmbiguousSendError, GreTimeoutError } from './errors.js';
import { createTransport, type Exchange } from './exchange.js';
import type { SubmitGuideOptions } from './gre/submit.js';
import { parseLimaDateTime } from './lima.js';
import { type CallOptions, checkOptions, type GreClientOptions, type WaitOptions } from './options.js';
import { waitForFinal, withTicket } from './polling.js';
import { type GreStatus, readStatus } from './status.js';
import { checkOptionalNumber, checkSendInput, checkTicket, type SendInput } from './validate.js';
import { sha256Hex, zipSingleFile } from './zip.js';

export {
  type CallOptions,
  DEFAULT_BASE_URL,
  type GreClientOptions,
  type GreHookEvent,
  type GreHooks,
  type WaitOptions,
} from './options.js';
export type { GreStatus } from './status.js';

/** SUNAT's answer to a send. */
export interface SendResult {
  /** `numTicket`: poll it with `getStatus` / `waitForResult`. */
  ticket: string;
  /** `fecRecepcion` read as Lima time (UTC−5); the time of the answer if SUNAT's text could not be read. */
  receivedAt: Date;
  /** `fecRecepcion` exactly as SUNAT wrote it. */
  receivedAtRaw: string;
  /** `RUC-TT-SERIE-NUMERO.zip` */
  fileName: string;
  /** SHA-256 of the zip bytes, lowercase hex (`hashZip`). */
  hash: string;
}

/** The final status of a submitted document together with its send result. */
export type SubmitResult = GreStatus & SendResult;

/** A SUNAT GRE client, made by {@link createGreClient}. */
export interface GreClient {
  /**
   * Validates the input (throws {@link GreValidationError} before anything is sent), zips the XML and sends it.
   * Rejects with {@link SunatApiError}, {@link GreNetworkError}, {@link GreTimeoutError}, {@link GreAbortedError},
   * or {@link GreAmbiguousSendError} when the send may have reached SUNAT without an answer.
   */
  send(input: SendInput, options?: CallOptions): Promise<SendResult>;
  /** One status poll of a ticket; the CDR is parsed when SUNAT returns one. */
  getStatus(ticket: string, options?: CallOptions): Promise<GreStatus>;
  /** Polls the ticket (backing off) until it is accepted or rejected; {@link GreTimeoutError} after the deadline. */
  waitForResult(ticket: string, options?: WaitOptions): Promise<GreStatus>;
  /** `send`, then `waitForResult` on its ticket. */
  submit(input: SendInput, options?: WaitOptions): Promise<SubmitResult>;
  /** Validate, build and sign a guide (see 'sunat-gre-client/gre'), then `submit` it. Loads the signing code on first use. */
  submitGuide(guide: Guide, options: SubmitGuideOptions<WaitOptions>): Promise<SubmitResult>;
}

/** A GRE client: validates, zips and sends guides, polls their tickets within a deadline, reads the CDR. */
export function createGreClient(options: GreClientOptions): GreClient {
  const o = checkOptions(options);
  const transport = createTransport(o, options.auth, options.hooks);

  async function send(input: SendInput, call: CallOptions = {}): Promise<SendResult> {
    const doc = checkSendInput(input);
    const timeoutMs = checkOptionalNumber('timeoutMs', call.timeoutMs, 1) ?? o.timeoutMs;
    if (call.signal?.aborted) throw new GreAbortedError('The call was aborted by its signal', { cause: call.signal.reason });
    const zip = zipSingleFile(`${doc.baseName}.xml`, doc.xmlBytes);
    const hash = sha256Hex(zip);
    const fileName = `${doc.baseName}.zip`;
    const body = JSON.stringify({ archivo: { nomArchivo: fileName, arcGreZip: Buffer.from(zip).toString('base64'), hashZip: hash } });
    const url = `${o.baseUrl}/contribuyente/gem/comprobantes/${doc.baseName}`;
    const d = createDeadline(timeoutMs, call.signal);
    let res: Exchange;
    try {
      res = await transport.exchange('send', url, body, d, { fileName, hash });
    } finally {
      d.dispose();
    }
    const json = res.json as Record<string, unknown> | null;
    const ticket = typeof json === 'object' && json !== null ? json['numTicket'] : undefined;
    if (typeof ticket !== 'string' || ticket === '')
      throw new GreAmbiguousSendError({ fileName, hash, reason: 'bad_response: 200 without numTicket', status: res.status });
    const receivedAtRaw = typeof json!['fecRecepcion'] === 'string' ? (json!['fecRecepcion'] as string) : '';
    return { ticket, receivedAt: parseLimaDateTime(receivedAtRaw) ?? new Date(), receivedAtRaw, fileName, hash };
  }

  async function statusOnce(ticket: string, d: Deadline): Promise<{ status: GreStatus; retryAfterMs?: number }> {
    const url = `${o.baseUrl}/contribuyente/gem/comprobantes/envios/${encodeURIComponent(ticket)}`;
    const res = await transport.exchange('status', url, undefined, d);
    return { status: readStatus(res.json, url, res.requestId, res.rawBody), retryAfterMs: res.retryAfterMs };
  }

  async function getStatus(ticket: string, call: CallOptions = {}): Promise<GreStatus> {
    checkTicket(ticket);
    const timeoutMs = checkOptionalNumber('timeoutMs', call.timeoutMs, 1) ?? o.timeoutMs;
    if (call.signal?.aborted) throw new GreAbortedError('The call was aborted by its signal', { ticket, cause: call.signal.reason });
    const d = createDeadline(timeoutMs, call.signal);
    try {
      return (await statusOnce(ticket, d)).status;
    } catch (error) {
      throw withTicket(error, ticket);
    } finally {
      d.dispose();
    }
  }

  const waitForResult = (ticket: string, call: WaitOptions = {}): Promise<GreStatus> =>
    waitForFinal(o, statusOnce, transport.hookFailed, ticket, call);

  async function submit(input: SendInput, call: WaitOptions = {}): Promise<SubmitResult> {
    const started = Date.now();
    const total = checkOptionalNumber('timeoutMs', call.timeoutMs, 1) ?? o.waitTimeoutMs;
    const sent = await send(input, { signal: call.signal, timeoutMs: Math.min(o.timeoutMs, total) });
    try {
      const status = await waitForResult(sent.ticket, { ...call, timeoutMs: Math.max(1, total - (Date.now() - started)) });
      return { ...status, ...sent };
    } catch (error) {
      if (GreTimeoutError.isInstance(error) && error.ticket)
        throw new GreTimeoutError(error.message, {
          timeoutMs: total,
          ticket: sent.ticket,
          fileName: sent.fileName,
          lastStatus: error.lastStatus,
          cause: error.cause,
        });
      throw error;
    }
  }

  async function submitGuide(guide: Guide, options: SubmitGuideOptions<WaitOptions>): Promise<SubmitResult> {
    // The signing code (and node-forge, for .p12 files) loads on first use: importing the client never pays for it.
    const { submitGuide: submitWith } = await import('./gre/submit.js');
    return submitWith({ submit }, guide, options);
  }

  return { send, getStatus, waitForResult, submit, submitGuide };
}
