import type { SunatAuth } from 'oauth-sunat';
import type { Dispatcher } from 'undici';
import { GreValidationError } from './errors.js';
import type { GreStatus } from './status.js';
import { checkOptionalNumber } from './validate.js';

/** SUNAT's production send + status host, the default `baseUrl`. */
export const DEFAULT_BASE_URL = 'https://api-cpe.sunat.gob.pe/v1';

/** What hooks see: never a header, a token or a body. */
export interface GreHookEvent {
  /** Which call: a send or a status poll. */
  operation: 'send' | 'status';
  /** HTTP method of the request. */
  method: 'GET' | 'POST';
  /** The request URL (holds no secret). */
  url: string;
  /** 1 for the first try of a call. */
  attempt: number;
  /** HTTP status of the answer, when one came. */
  status?: number;
  /** Time from request to answer or failure, in milliseconds. */
  durationMs?: number;
  /** The request id SUNAT's gateway returned, when any. */
  requestId?: string;
  /** On a failed exchange: the error's code or the network reason (ECONNRESET...). */
  error?: string;
  /** onRetry: how long the client waits before the next attempt, and why it retries. */
  delayMs?: number;
  /** onRetry: why the client retries (status or network reason). */
  reason?: string;
}

/** Observability: a hook that throws never changes a call; its error (and an `onPoll` callback's) goes to `onHookError`. */
export interface GreHooks {
  /** Before each HTTP attempt. */
  onRequest?(event: GreHookEvent): void;
  /** After each HTTP attempt, answered or failed. */
  onResponse?(event: GreHookEvent): void;
  /** Before waiting `delayMs` to retry. */
  onRetry?(event: GreHookEvent): void;
  /** A hook (or an `onPoll` callback) threw: its name and error; if this one throws too, that is ignored. */
  onHookError?(event: { hook: string; error: unknown }): void;
}

/** Options of {@link createGreClient}; a bad one throws {@link GreValidationError} naming it. */
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
  /** Cap of the retry backoff; default 8000 ms. */
  retryMaxMs?: number;
  /** Largest response body read; default 10 MiB. */
  maxResponseBytes?: number;
  /** Observability callbacks. */
  hooks?: GreHooks;
}

/** Options of one send or getStatus call. */
export interface CallOptions {
  /** Aborts the call; rejects with {@link GreAbortedError}. */
  signal?: AbortSignal;
  /** Deadline of this call in ms, retries included; default the client's `timeoutMs` (`waitTimeoutMs` for waits). Rejects with {@link GreTimeoutError}. */
  timeoutMs?: number;
}

/** Options of `waitForResult` and `submit`. */
export interface WaitOptions extends CallOptions {
  /** Called after every poll; a callback that throws never ends the wait (its error goes to `hooks.onHookError`). */
  onPoll?: (status: GreStatus, attempt: number) => void;
  /** First wait between polls, ms; default the client's `pollIntervalMs`. */
  pollIntervalMs?: number;
  /** Cap of the wait between polls, ms; default the client's `maxPollIntervalMs`. */
  maxPollIntervalMs?: number;
}

export interface Checked {
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

/** Every option checked (field and rule named) and defaulted, before anything is sent. */
export function checkOptions(options: GreClientOptions): Checked {
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
  if (options.hooks !== undefined && (typeof options.hooks !== 'object' || options.hooks === null))
    throw new GreValidationError('hooks', 'must be an object');
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
