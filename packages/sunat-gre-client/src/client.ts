import { request, type Dispatcher } from 'undici';
import type { SunatAuth } from 'oauth-sunat';
import { describeSunatCode, parseApiError } from './api-error.js';
import { parseCdr, type Cdr } from './cdr.js';
import {
  GreAbortedError,
  GreCdrError,
  GreAmbiguousSendError,
  GreError,
  GreNetworkError,
  GreTimeoutError,
  GreValidationError,
  SunatApiError,
} from './errors.js';
import { backoffMs, classifyNetworkError, parseRetryAfter, readCapped, sleep } from './http.js';
import { parseLimaDateTime } from './lima.js';
import { checkOptionalNumber, checkSendInput, checkTicket, type SendInput } from './validate.js';
import { sha256Hex, zipSingleFile } from './zip.js';
import { submitGuide as submitGuideWith, type SubmitGuideOptions } from './gre/submit.js';
import type { Guide } from './gre/types.js';

export const DEFAULT_BASE_URL = 'https://api-cpe.sunat.gob.pe/v1';

/** What hooks see: never a header, a token or a body. */
export interface GreHookEvent {
  operation: 'send' | 'status';
  method: 'GET' | 'POST';
  url: string;
  /** 1 for the first try of a call. */
  attempt: number;
  status?: number;
  durationMs?: number;
  requestId?: string;
  /** On a failed exchange: the error's code or the network reason (ECONNRESET...). */
  error?: string;
  /** onRetry: how long the client waits before the next attempt, and why it retries. */
  delayMs?: number;
  reason?: string;
}

export interface GreHooks {
  onRequest?(event: GreHookEvent): void;
  onResponse?(event: GreHookEvent): void;
  onRetry?(event: GreHookEvent): void;
}

export interface GreClientOptions {
  /** Token provider (oauth-sunat's `createSunatAuth`). */
  auth: SunatAuth;
  /** Send + status host; default https://api-cpe.sunat.gob.pe/v1. */
  baseUrl?: string;
  /** undici dispatcher (an `Agent`, e.g. with `connect: { ca }`); default undici's global one. */
  dispatcher?: Dispatcher;
  /** Deadline of one send or getStatus call, retries included; default 30 000 ms. */
  timeoutMs?: number;
  /** Retries of 429/5xx/network failures (sends: only when they surely did not reach SUNAT); default 3. */
  maxRetries?: number;
  /** Deadline of `waitForResult`/`submit` when the call gives none; default 600 000 ms. */
  waitTimeoutMs?: number;
  /** First wait between polls; default 1000 ms. */
  pollIntervalMs?: number;
  /** Cap of the wait between polls; default 30 000 ms. */
  maxPollIntervalMs?: number;
  /** Retry backoff: `retryBaseMs × 2ⁿ` capped at `retryMaxMs`; defaults 500 and 8000 ms. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Largest response body read; default 10 MiB. */
  maxResponseBytes?: number;
  hooks?: GreHooks;
}

export interface CallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface WaitOptions extends CallOptions {
  onPoll?: (status: GreStatus, attempt: number) => void;
  pollIntervalMs?: number;
  maxPollIntervalMs?: number;
}

export interface SendResult {
  ticket: string;
  /** `fecRecepcion` read as Lima time (UTC−5); the time of the answer if SUNAT's text could not be read. */
  receivedAt: Date;
  receivedAtRaw: string;
  /** `RUC-TT-SERIE-NUMERO.zip` */
  fileName: string;
  /** SHA-256 of the zip bytes, lowercase hex (`hashZip`). */
  hash: string;
}

export interface GreStatus {
  /** `0` → accepted, `99` → rejected, anything else (`98`, unknown) → pending. */
  state: 'pending' | 'accepted' | 'rejected';
  /** `codRespuesta` as a string. */
  code: string;
  /** `error` of a 99: `numError` and `desError` (SUNAT's catalogue text when `desError` is empty). */
  error?: { code: string; message: string };
  /** The CDR when SUNAT generated one (accepted, and some rejections). */
  cdr?: Cdr;
  /** The parsed JSON answer. */
  raw: unknown;
}

export type SubmitResult = GreStatus & SendResult;

export interface GreClient {
  send(input: SendInput, options?: CallOptions): Promise<SendResult>;
  getStatus(ticket: string, options?: CallOptions): Promise<GreStatus>;
  waitForResult(ticket: string, options?: WaitOptions): Promise<GreStatus>;
  submit(input: SendInput, options?: WaitOptions): Promise<SubmitResult>;
  /** Validate, build and sign a guide (see 'sunat-gre-client/gre'), then `submit` it. */
  submitGuide(guide: Guide, options: SubmitGuideOptions<WaitOptions>): Promise<SubmitResult>;
}

const REQUEST_ID_HEADERS = ['x-request-id', 'x-correlation-id', 'request-id', 'x-amzn-requestid', 'x-b3-traceid'];
const JWT_LIKE = /eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;

interface Exchange {
  status: number;
  json: unknown;
  /** The body as text with the token redacted, for an error about a 2xx answer (computed only then). */
  rawBody: () => string;
  requestId?: string;
  retryAfterMs?: number;
}

/** One call's deadline and the caller's signal, combined; `dispose` when the call ends (clears the timer). */
interface Control {
  signal: AbortSignal;
  caller?: AbortSignal;
  timeoutMs: number;
  deadline: number;
  dispose(): void;
}

function control(caller: AbortSignal | undefined, timeoutMs: number): Control {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(new DOMException(`timed out after ${timeoutMs} ms`, 'TimeoutError')), timeoutMs);
  const onAbort = (): void => ac.abort(caller!.reason);
  if (caller?.aborted) ac.abort(caller.reason);
  else caller?.addEventListener('abort', onAbort, { once: true });
  return {
    signal: ac.signal,
    caller,
    timeoutMs,
    deadline: Date.now() + timeoutMs,
    dispose() {
      clearTimeout(timer);
      caller?.removeEventListener('abort', onAbort);
    },
  };
}

/** A GRE client: validates, zips and sends guides, polls their tickets within a deadline, reads the CDR. */
export function createGreClient(options: GreClientOptions): GreClient {
  const o = checkOptions(options);
  const { auth, hooks } = options;

  /** Calls a hook with the event `make` builds (only when that hook is set). */
  function emit(name: keyof GreHooks, make: () => GreHookEvent): void {
    const hook = hooks?.[name];
    if (!hook) return;
    try {
      hook.call(hooks, make());
    } catch {
      // a hook must never break a request
    }
  }

  function redact(text: string, token: string | undefined): string {
    const out = token ? text.split(token).join('[REDACTED]') : text;
    return out.replace(JWT_LIKE, '[REDACTED]');
  }

  async function tokenFor(ctl: Control): Promise<string> {
    try {
      return await auth.getToken({ signal: ctl.signal, timeoutMs: Math.max(1, ctl.deadline - Date.now()) });
    } catch (error) {
      throw stopped(ctl, error) ?? error;
    }
  }

  /** The caller's abort or the deadline as our error; undefined when neither happened. */
  function stopped(ctl: Control, cause: unknown, ticket?: string): GreError | undefined {
    if (ctl.caller?.aborted) return new GreAbortedError('The call was aborted by its signal', { ticket, cause: ctl.caller.reason });
    if (ctl.signal.aborted || Date.now() >= ctl.deadline)
      return new GreTimeoutError(`No answer from SUNAT within ${ctl.timeoutMs} ms`, { timeoutMs: ctl.timeoutMs, ticket, cause: scrub(cause) });
    return undefined;
  }

  /**
   * One HTTP call with SUNAT's token, retried as the operation allows. `send` carries the file name and hash:
   * any failure after which SUNAT may hold the document becomes GreAmbiguousSendError, never a retry.
   */
  async function exchange(
    operation: 'send' | 'status',
    url: string,
    body: string | undefined,
    ctl: Control,
    sending?: { fileName: string; hash: string },
  ): Promise<Exchange> {
    const method = body === undefined ? 'GET' : 'POST';
    const ambiguous = (reason: string, status?: number, cause?: unknown): GreAmbiguousSendError =>
      new GreAmbiguousSendError({ fileName: sending!.fileName, hash: sending!.hash, reason, status, cause: scrub(cause) });
    let renewed = false;
    let retries = 0;
    for (let attempt = 1; ; attempt++) {
      const token = await tokenFor(ctl);
      const base: GreHookEvent = { operation, method, url, attempt };
      emit('onRequest', () => base);
      const started = performance.now();
      let failure: GreError;
      let retryAfterMs: number | undefined;
      let retryable: boolean;
      try {
        const res = await request(url, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            accept: 'application/json',
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body,
          dispatcher: o.dispatcher,
          signal: ctl.signal,
          // one stuck exchange must not eat a whole waitForResult deadline
          headersTimeout: o.timeoutMs,
          bodyTimeout: o.timeoutMs,
        });
        const requestId = requestIdOf(res.headers);
        const contentType = String(res.headers['content-type'] ?? '');
        const bytes = await readCapped(res.body, o.maxResponseBytes);
        const durationMs = performance.now() - started;
        emit('onResponse', () => ({ ...base, status: res.statusCode, durationMs, requestId }));
        if (bytes === undefined) {
          if (sending) throw ambiguous('bad_response', res.statusCode);
          throw new SunatApiError(`HTTP ${res.statusCode}: the response body is larger than ${o.maxResponseBytes} bytes`, {
            code: 'BAD_RESPONSE',
            status: res.statusCode,
            requestId,
            url,
          });
        }
        const text = bytes.toString('utf8');
        if (res.statusCode >= 200 && res.statusCode < 300) {
          try {
            return { status: res.statusCode, json: JSON.parse(text), rawBody: () => redact(text, token), requestId, retryAfterMs: parseRetryAfter(res.headers['retry-after']) };
          } catch {
            failure = parseApiError({ status: res.statusCode, contentType, requestId, url, rawBody: redact(text, token) });
            if (sending) throw ambiguous('bad_response', res.statusCode, failure);
            throw failure;
          }
        }
        if (res.statusCode === 401 && !renewed) {
          // The token expired early or was revoked: forget it, take a new one, try once more.
          renewed = true;
          await auth.invalidate(token);
          emit('onRetry', () => ({ ...base, status: 401, delayMs: 0, reason: 'token refused (401): renewed' }));
          continue;
        }
        retryAfterMs = parseRetryAfter(res.headers['retry-after']);
        failure = parseApiError({ status: res.statusCode, contentType, requestId, url, rawBody: redact(text, token), retryAfterMs });
        if (sending) {
          // 429 and 503 mean "not processed"; other 5xx and gateway pages may come after SUNAT stored it.
          if (res.statusCode >= 500 && res.statusCode !== 503) throw ambiguous(`HTTP ${res.statusCode}`, res.statusCode, failure);
          retryable = res.statusCode === 429 || res.statusCode === 503;
        } else retryable = res.statusCode === 429 || res.statusCode >= 500;
      } catch (error) {
        if (GreError.isInstance(error)) throw error;
        const durationMs = performance.now() - started;
        const halt = stopped(ctl, error);
        const net = classifyNetworkError(error);
        emit('onResponse', () => ({ ...base, durationMs, error: halt?.code ?? net.reason }));
        const slow = net.reason === 'UND_ERR_HEADERS_TIMEOUT' || net.reason === 'UND_ERR_BODY_TIMEOUT';
        if (sending && !(net.notSent && !halt))
          throw ambiguous(halt ? (halt.code === 'ABORTED' ? 'aborted' : 'timeout') : slow ? 'timeout' : `network: ${net.reason}`, undefined, error);
        if (halt) throw halt;
        if (slow) throw new GreTimeoutError(`No answer from SUNAT within ${o.timeoutMs} ms (${net.reason})`, { timeoutMs: o.timeoutMs, cause: scrub(error) });
        failure = new GreNetworkError(`Could not reach SUNAT (${net.reason}) at ${url}`, { url, reason: net.reason, cause: scrub(error) });
        retryable = net.retryable;
      }
      if (!retryable || retries >= o.maxRetries) throw failure;
      const delayMs = retryAfterMs ?? backoffMs(retries, o.retryBaseMs, o.retryMaxMs);
      if (Date.now() + delayMs >= ctl.deadline) throw failure;
      retries++;
      emit('onRetry', () => ({ ...base, delayMs, reason: failure.message }));
      try {
        await sleep(delayMs, ctl.signal);
      } catch (error) {
        throw stopped(ctl, error) ?? error;
      }
    }
  }

  async function send(input: SendInput, call: CallOptions = {}): Promise<SendResult> {
    const doc = checkSendInput(input);
    const timeoutMs = checkOptionalNumber('timeoutMs', call.timeoutMs, 1) ?? o.timeoutMs;
    if (call.signal?.aborted) throw new GreAbortedError('The call was aborted by its signal', { cause: call.signal.reason });
    const zip = zipSingleFile(`${doc.baseName}.xml`, doc.xmlBytes);
    const hash = sha256Hex(zip);
    const fileName = `${doc.baseName}.zip`;
    const body = JSON.stringify({ archivo: { nomArchivo: fileName, arcGreZip: Buffer.from(zip).toString('base64'), hashZip: hash } });
    const url = `${o.baseUrl}/contribuyente/gem/comprobantes/${doc.baseName}`;
    const ctl = control(call.signal, timeoutMs);
    let res: Exchange;
    try {
      res = await exchange('send', url, body, ctl, { fileName, hash });
    } finally {
      ctl.dispose();
    }
    const json = res.json as Record<string, unknown> | null;
    const ticket = typeof json === 'object' && json !== null ? json['numTicket'] : undefined;
    if (typeof ticket !== 'string' || ticket === '') throw new GreAmbiguousSendError({ fileName, hash, reason: 'bad_response: 200 without numTicket', status: res.status });
    const receivedAtRaw = typeof json!['fecRecepcion'] === 'string' ? (json!['fecRecepcion'] as string) : '';
    return { ticket, receivedAt: parseLimaDateTime(receivedAtRaw) ?? new Date(), receivedAtRaw, fileName, hash };
  }

  async function statusOnce(ticket: string, ctl: Control): Promise<{ status: GreStatus; retryAfterMs?: number }> {
    const url = `${o.baseUrl}/contribuyente/gem/comprobantes/envios/${encodeURIComponent(ticket)}`;
    const res = await exchange('status', url, undefined, ctl);
    return { status: readStatus(res.json, url, res.requestId, res.rawBody), retryAfterMs: res.retryAfterMs };
  }

  async function getStatus(ticket: string, call: CallOptions = {}): Promise<GreStatus> {
    checkTicket(ticket);
    const timeoutMs = checkOptionalNumber('timeoutMs', call.timeoutMs, 1) ?? o.timeoutMs;
    if (call.signal?.aborted) throw new GreAbortedError('The call was aborted by its signal', { ticket, cause: call.signal.reason });
    const ctl = control(call.signal, timeoutMs);
    try {
      return (await statusOnce(ticket, ctl)).status;
    } catch (error) {
      throw withTicket(error, ticket);
    } finally {
      ctl.dispose();
    }
  }

  async function waitForResult(ticket: string, call: WaitOptions = {}): Promise<GreStatus> {
    checkTicket(ticket);
    const timeoutMs = checkOptionalNumber('timeoutMs', call.timeoutMs, 1) ?? o.waitTimeoutMs;
    let interval = checkOptionalNumber('pollIntervalMs', call.pollIntervalMs, 0) ?? o.pollIntervalMs;
    const maxInterval = Math.max(interval, checkOptionalNumber('maxPollIntervalMs', call.maxPollIntervalMs, 0) ?? o.maxPollIntervalMs);
    const overall = control(call.signal, timeoutMs);
    const timedOut = (last: string | undefined, cause?: unknown): GreTimeoutError =>
      new GreTimeoutError(
        `Ticket ${ticket} has no final state after ${timeoutMs} ms${last ? ` (last codRespuesta ${last})` : ''}: the document is at SUNAT, ` +
          'resume later with waitForResult(ticket) or getStatus(ticket); do not send it again',
        { timeoutMs, ticket, lastStatus: last, cause: scrub(cause) },
      );
    try {
      return await poll();
    } finally {
      overall.dispose();
    }

    async function poll(): Promise<GreStatus> {
    let last: string | undefined;
    for (let attempt = 1; ; attempt++) {
      if (call.signal?.aborted) throw new GreAbortedError(`Waiting for ticket ${ticket} was aborted`, { ticket, cause: call.signal.reason });
      let wait: number | undefined;
      let lastError: unknown;
      try {
        const { status, retryAfterMs } = await statusOnce(ticket, overall);
        last = status.code;
        try {
          call.onPoll?.(status, attempt);
        } catch {
          // the caller's observer must not end the wait
        }
        if (status.state !== 'pending') return status;
        wait = retryAfterMs;
      } catch (error) {
        if (call.signal?.aborted) throw new GreAbortedError(`Waiting for ticket ${ticket} was aborted`, { ticket, cause: call.signal.reason });
        if (Date.now() >= overall.deadline) throw timedOut(last, error);
        // Transient failures (after the request's own retries) do not end the wait; anything else does.
        if (!isTransient(error)) throw withTicket(error, ticket);
        lastError = error;
        if (SunatApiError.isInstance(error)) wait = error.retryAfterMs;
      }
      const delay = wait ?? interval * (0.8 + Math.random() * 0.4);
      interval = Math.min(interval * 2, maxInterval);
      if (Date.now() + delay >= overall.deadline) throw timedOut(last, lastError);
      try {
        await sleep(delay, overall.signal);
      } catch {
        if (call.signal?.aborted) throw new GreAbortedError(`Waiting for ticket ${ticket} was aborted`, { ticket, cause: call.signal.reason });
        throw timedOut(last, lastError);
      }
    }
    }
  }

  async function submit(input: SendInput, call: WaitOptions = {}): Promise<SubmitResult> {
    const started = Date.now();
    const total = checkOptionalNumber('timeoutMs', call.timeoutMs, 1) ?? o.waitTimeoutMs;
    const sent = await send(input, { signal: call.signal, timeoutMs: Math.min(o.timeoutMs, total) });
    try {
      const status = await waitForResult(sent.ticket, { ...call, timeoutMs: Math.max(1, total - (Date.now() - started)) });
      return { ...status, ...sent };
    } catch (error) {
      if (GreTimeoutError.isInstance(error) && error.ticket)
        throw new GreTimeoutError(error.message, { timeoutMs: total, ticket: sent.ticket, fileName: sent.fileName, lastStatus: error.lastStatus, cause: error.cause });
      throw error;
    }
  }

  return { send, getStatus, waitForResult, submit, submitGuide: (guide, o) => submitGuideWith({ submit }, guide, o) };
}

/** SUNAT's status answer: `{codRespuesta, error?: {numError, desError}, arcCdr?, indCdrGenerado?}`. */
function readStatus(json: unknown, url: string, requestId: string | undefined, rawBody: () => string): GreStatus {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new SunatApiError('SUNAT answered the status query with an unexpected JSON body', { code: 'BAD_RESPONSE', status: 200, url, requestId, rawBody: rawBody() });
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
      throw new GreCdrError('missing', `SUNAT answered codRespuesta ${code} without the CDR it promises (arcCdr empty or missing); ask again with getStatus(ticket)`);
  }
  return status;
}

function requestIdOf(headers: Record<string, string | string[] | undefined>): string | undefined {
  for (const h of REQUEST_ID_HEADERS) {
    const v = headers[h];
    if (typeof v === 'string') return v;
  }
  return undefined;
}

function isTransient(error: unknown): boolean {
  return GreNetworkError.isInstance(error) || (SunatApiError.isInstance(error) && error.retryable) || (GreTimeoutError.isInstance(error) && !error.ticket);
}

function withTicket(error: unknown, ticket: string): unknown {
  if (GreTimeoutError.isInstance(error) && !error.ticket) return new GreTimeoutError(error.message, { timeoutMs: error.timeoutMs, ticket, cause: error.cause });
  return error;
}

/** Keeps only the name, message and code of a low-level error (no request objects, headers or sockets). */
function scrub(cause: unknown): unknown {
  if (cause === undefined || GreError.isInstance(cause)) return cause;
  if (cause instanceof Error) {
    const out = new Error(cause.message.replace(JWT_LIKE, '[REDACTED]'));
    out.name = cause.name;
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string') (out as Error & { code?: string }).code = code;
    return out;
  }
  return undefined;
}

interface Checked {
  baseUrl: string;
  dispatcher?: Dispatcher;
  timeoutMs: number;
  maxRetries: number;
  waitTimeoutMs: number;
  pollIntervalMs: number;
  maxPollIntervalMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
  maxResponseBytes: number;
}

function checkOptions(options: GreClientOptions): Checked {
  if (typeof options !== 'object' || options === null) throw new GreValidationError('options', 'must be an object');
  const { auth } = options;
  if (typeof auth !== 'object' || auth === null || typeof auth.getToken !== 'function' || typeof auth.invalidate !== 'function')
    throw new GreValidationError('auth', 'must be a SunatAuth (createSunatAuth from oauth-sunat): { getToken, invalidate }');
  const baseUrl = options.baseUrl ?? DEFAULT_BASE_URL;
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new GreValidationError('baseUrl', 'must be an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new GreValidationError('baseUrl', 'must be an http(s) URL');
  if (url.username || url.password) throw new GreValidationError('baseUrl', 'must not contain credentials');
  if (url.search || url.hash) throw new GreValidationError('baseUrl', 'must not have a query or fragment');
  const maxRetries = checkOptionalNumber('maxRetries', options.maxRetries, 0) ?? 3;
  if (!Number.isInteger(maxRetries)) throw new GreValidationError('maxRetries', 'must be an integer >= 0');
  if (options.hooks !== undefined && (typeof options.hooks !== 'object' || options.hooks === null)) throw new GreValidationError('hooks', 'must be an object');
  return {
    baseUrl: baseUrl.replace(/\/+$/, ''),
    dispatcher: options.dispatcher,
    timeoutMs: checkOptionalNumber('timeoutMs', options.timeoutMs, 1) ?? 30_000,
    maxRetries,
    waitTimeoutMs: checkOptionalNumber('waitTimeoutMs', options.waitTimeoutMs, 1) ?? 600_000,
    pollIntervalMs: checkOptionalNumber('pollIntervalMs', options.pollIntervalMs, 0) ?? 1000,
    maxPollIntervalMs: checkOptionalNumber('maxPollIntervalMs', options.maxPollIntervalMs, 0) ?? 30_000,
    retryBaseMs: checkOptionalNumber('retryBaseMs', options.retryBaseMs, 0) ?? 500,
    retryMaxMs: checkOptionalNumber('retryMaxMs', options.retryMaxMs, 0) ?? 8000,
    maxResponseBytes: checkOptionalNumber('maxResponseBytes', options.maxResponseBytes, 1) ?? 10 * 1024 * 1024,
  };
}
