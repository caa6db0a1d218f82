// The option checks that createSberAuth and createSberClient share: each names the field and the rule, before any
// request (a bad one throws SberValidationError).
import type { Agent, Dispatcher } from 'undici';
import { SberValidationError } from './errors.js';
import type { RetryTiming } from './http.js';
import { createAgent, type SberCaOption, type SberTlsOptions, tlsConnectOptions } from './tls.js';

/** A required non-blank string. */
export function nonEmpty(v: unknown, field: string): string {
  if (typeof v !== 'string' || v.trim().length === 0) throw new SberValidationError(field, 'must be a non-empty string');
  return v;
}

/** A required absolute URL (e.g. a registered redirect URI). */
export function absoluteUrl(v: unknown, field: string): string {
  const s = nonEmpty(v, field);
  if (!URL.canParse(s)) throw new SberValidationError(field, 'must be an absolute URL (the one registered for the client)');
  return s;
}

/** An optional integer option: `dflt` when absent, else an integer ≥ `min`. */
export function int(v: unknown, field: string, dflt: number, min = 0): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new SberValidationError(field, `must be an integer ≥ ${min}`);
  return v;
}

/** `retryDelay`: `{ baseMs?, maxMs? }`, defaults 500 and 8000. */
export function retryTiming(v: Partial<RetryTiming> | undefined, field: string): RetryTiming {
  if (v !== undefined && (typeof v !== 'object' || v === null)) throw new SberValidationError(field, 'must be { baseMs?, maxMs? }');
  return { baseMs: int(v?.baseMs, `${field}.baseMs`, 500), maxMs: int(v?.maxMs, `${field}.maxMs`, 8000) };
}

/**
 * The injected `dispatcher`, else an Agent of our own made from `tls` (and `ca`), which the caller closes on
 * `close()`. `tlsNeededFor` says why the client certificate is required.
 */
export function dispatcherFor(
  options: { dispatcher?: Dispatcher; tls?: SberTlsOptions; ca?: SberCaOption },
  tlsNeededFor: string,
  agentOptions?: { connections?: number },
): { dispatcher: Dispatcher; ownAgent?: Agent } {
  if (options.dispatcher !== undefined) {
    if (typeof options.dispatcher?.dispatch !== 'function') throw new SberValidationError('dispatcher', 'must be an undici Dispatcher');
    return { dispatcher: options.dispatcher };
  }
  if (options.tls === undefined) throw new SberValidationError('tls', `is required unless a dispatcher is given (${tlsNeededFor})`);
  const ownAgent = createAgent(tlsConnectOptions(options.tls, options.ca), agentOptions);
  return { dispatcher: ownAgent, ownAgent };
}
