import { createDeadline, type Deadline, sleep } from '@internal/http-core';
import { GreAbortedError, GreNetworkError, GreTimeoutError, SunatApiError } from './errors.js';
import { scrub } from './exchange.js';
import type { Checked, WaitOptions } from './options.js';
import type { GreStatus } from './status.js';
import { checkOptionalNumber, checkTicket } from './validate.js';

/** One status query within a deadline, with the server's Retry-After when it sent one. */
export type StatusOnce = (ticket: string, d: Deadline) => Promise<{ status: GreStatus; retryAfterMs?: number }>;

/**
 * Polls a ticket until SUNAT gives a final state or the deadline passes. Transient failures (after each query's own
 * retries) do not end the wait; the wait between polls grows ×2 up to its cap, ±20 % jitter, or follows Retry-After.
 */
export async function waitForFinal(
  o: Checked,
  statusOnce: StatusOnce,
  hookFailed: (hook: string, error: unknown) => void,
  ticket: string,
  call: WaitOptions = {},
): Promise<GreStatus> {
  checkTicket(ticket);
  const timeoutMs = checkOptionalNumber('timeoutMs', call.timeoutMs, 1) ?? o.waitTimeoutMs;
  let interval = checkOptionalNumber('pollIntervalMs', call.pollIntervalMs, 0) ?? o.pollIntervalMs;
  const maxInterval = Math.max(interval, checkOptionalNumber('maxPollIntervalMs', call.maxPollIntervalMs, 0) ?? o.maxPollIntervalMs);
  const overall = createDeadline(timeoutMs, call.signal);
  const aborted = (): GreAbortedError =>
    new GreAbortedError(`Waiting for ticket ${ticket} was aborted`, { ticket, cause: call.signal!.reason });
  const timedOut = (last: string | undefined, cause?: unknown): GreTimeoutError =>
    new GreTimeoutError(
      `Ticket ${ticket} has no final state after ${timeoutMs} ms${last ? ` (last codRespuesta ${last})` : ''}: the document is at SUNAT, ` +
        'resume later with waitForResult(ticket) or getStatus(ticket); do not send it again',
      { timeoutMs, ticket, lastStatus: last, cause: scrub(cause) },
    );
  try {
    let last: string | undefined;
    for (let attempt = 1; ; attempt++) {
      if (call.signal?.aborted) throw aborted();
      let wait: number | undefined;
      let lastError: unknown;
      try {
        const { status, retryAfterMs } = await statusOnce(ticket, overall);
        last = status.code;
        try {
          call.onPoll?.(status, attempt);
        } catch (error) {
          // the caller's observer must not end the wait nor lose its result
          hookFailed('onPoll', error);
        }
        if (status.state !== 'pending') return status;
        wait = retryAfterMs;
      } catch (error) {
        if (call.signal?.aborted) throw aborted();
        if (Date.now() >= overall.at) throw timedOut(last, error);
        if (!isTransient(error)) throw withTicket(error, ticket);
        lastError = error;
        if (SunatApiError.isInstance(error)) wait = error.retryAfterMs;
      }
      const delay = wait ?? interval * (0.8 + Math.random() * 0.4);
      interval = Math.min(interval * 2, maxInterval);
      if (Date.now() + delay >= overall.at) throw timedOut(last, lastError);
      try {
        await sleep(delay, overall.signal);
      } catch {
        if (call.signal?.aborted) throw aborted();
        throw timedOut(last, lastError);
      }
    }
  } finally {
    overall.dispose();
  }
}

function isTransient(error: unknown): boolean {
  return (
    GreNetworkError.isInstance(error) ||
    (SunatApiError.isInstance(error) && error.retryable) ||
    (GreTimeoutError.isInstance(error) && !error.ticket)
  );
}

/** A timeout of one query inside a ticket's wait: it carries the ticket, so the caller can resume. */
export function withTicket(error: unknown, ticket: string): unknown {
  if (GreTimeoutError.isInstance(error) && !error.ticket)
    return new GreTimeoutError(error.message, { timeoutMs: error.timeoutMs, ticket, cause: error.cause });
  return error;
}
