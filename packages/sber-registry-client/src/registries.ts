import { type DigestSigner, signDebtRegistry } from 'sber-digest';
import type { Calls } from './calls.js';
import { API } from './calls.js';
import {
  SberAmbiguousCreateError,
  SberApiError,
  type SberDocState,
  SberError,
  SberTimeoutError,
  SberTransportError,
  SberValidationError,
  WorkflowFaultError,
} from './errors.js';
import {
  backoffDelay,
  type CallOptions,
  emitHook,
  isRetryableError,
  RETRY_STATUSES,
  type Reply,
  retryAfterMs,
  sleep,
  type Transport,
} from './http.js';
import { int } from './option-checks.js';
import {
  type DebtRegistry,
  type DigestChoices,
  modelBody,
  pathId,
  pollTiming,
  SBER_TERMINAL_STATUSES,
  type SberCreateResult,
  type SberPollDelay,
  UUID,
  validateRegistry,
  type WaitOptions,
} from './registry-model.js';

export interface Registries {
  create(registry: DebtRegistry, o?: CallOptions & DigestChoices): Promise<SberCreateResult>;
  getState(externalId: string, o?: CallOptions): Promise<SberDocState>;
  waitForFinalState(externalId: string, o?: WaitOptions): Promise<SberDocState>;
}

/**
 * `debtRegistries`: create (sent once; an ambiguous failure is resolved by asking the state before any resend),
 * getState, and waitForFinalState (polls to one of the five final statuses within a deadline).
 */
export function createRegistries(t: Transport, calls: Calls, poll: Required<SberPollDelay>, pollTimeoutMs: number): Registries {
  const statePath = (id: string): string => `${API}/debt-registries/${encodeURIComponent(id)}/state`;
  const getState = async (externalId: string, o: CallOptions = {}): Promise<SberDocState> => {
    const operation = 'get debt registry state';
    const state = await calls.get(operation, statePath(pathId(externalId, 'externalId')), o);
    // without a status the answer says nothing; polling on it would only wait for the deadline
    if (typeof state.bankStatus !== 'string' || state.bankStatus === '')
      throw new SberApiError(
        { status: 200, message: `${operation}: the answer has no bankStatus`, body: JSON.stringify(state) },
        'INVALID_RESPONSE',
      );
    return state as SberDocState;
  };

  /**
   * The state if the bank shows the registry. Its answer for an id it does not show is not documented (404 and 400
   * are both possible) and is no proof of absence: a registry may become visible late. So an "unknown" answer is
   * asked again, with the retry backoff, up to maxRetries more times, and undefined means "not shown yet".
   */
  async function existing(externalId: string, o: CallOptions): Promise<SberDocState | undefined> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await getState(externalId, o);
      } catch (e) {
        if (!(SberApiError.isInstance(e) && (e.status === 404 || e.status === 400))) throw e;
      }
      if (attempt >= t.maxRetries) return undefined;
      await sleep(backoffDelay(attempt, t.retry), o.signal, 'get debt registry state');
    }
  }

  async function create(registry: DebtRegistry, o: CallOptions & DigestChoices = {}): Promise<SberCreateResult> {
    validateRegistry(registry);
    if (o.digestSigner !== undefined) {
      const s = o.digestSigner as Partial<DigestSigner> | null;
      if (typeof s?.sign !== 'function' || typeof s.certificateUuid !== 'string' || !UUID.test(s.certificateUuid)) {
        throw new SberValidationError('digestSigner', 'must be a sber-digest DigestSigner with a UUID certificateUuid');
      }
    }
    const { externalId } = registry;
    let signatures = registry.digestSignatures;
    if (o.digestSigner) {
      const sig = await signDebtRegistry(registry, o.digestSigner, {
        signal: o.signal,
        attachments: o.digestAttachments,
        emptyFields: o.digestEmptyFields,
        encoding: o.digestEncoding,
      });
      signatures = [...(signatures ?? []), sig];
    }
    const doc = modelBody(registry, signatures);
    const body = await calls.encodeBody(doc);
    const operation = 'create debt registry';
    const recovered = (state: SberDocState): SberCreateResult => ({
      externalId,
      bankStatus: state.bankStatus,
      bankComment: state.bankComment,
      document: doc,
      recovered: true,
    });
    /** Set once an attempt may have stored the registry: from then on, ask before sending. */
    let ambiguous: unknown;

    // The page's duplicate rule is the same `number` within a year: only with a number does the bank refuse a
    // resend of a stored registry. Without one, a resend could store it twice, so it is never sent blindly.
    const resendIsSafe = typeof registry.number === 'string' && registry.number !== '';
    /** Undefined: not shown, and a resend is safe. Otherwise the registry (recovered) or SberAmbiguousCreateError. */
    const resolveAmbiguity = async (last: unknown, storedForSure = false): Promise<SberCreateResult | undefined> => {
      let state: SberDocState | undefined;
      try {
        state = await existing(externalId, o);
      } catch (e) {
        if (SberError.isInstance(e) && (e.code === 'ABORTED' || e.code === 'TLS')) throw e;
        throw new SberAmbiguousCreateError(externalId, { cause: last });
      }
      if (state) return recovered(state);
      // A duplicate refusal of our own resend proves it is stored, even while the state does not show it.
      if (storedForSure) return { externalId, bankStatus: undefined, bankComment: undefined, document: doc, recovered: true };
      if (resendIsSafe) return undefined;
      throw new SberAmbiguousCreateError(externalId, { cause: last });
    };

    for (let attempt = 0; ; attempt++) {
      if (ambiguous !== undefined) {
        const done = await resolveAmbiguity(ambiguous);
        if (done) return done;
      }
      let reply: Reply | undefined;
      let failure: unknown;
      let wait: number | undefined;
      try {
        reply = await calls.postOnce(operation, `${API}/debt-registries`, body, o, attempt);
      } catch (e) {
        if (!isRetryableError(e)) throw e;
        failure = e;
        if (SberTimeoutError.isInstance(e) || (SberTransportError.isInstance(e) && e.requestMayHaveBeenProcessed)) ambiguous = e;
      }
      if (reply) {
        if (reply.status === 200 || reply.status === 201) {
          let created: Record<string, unknown>;
          try {
            created = calls.parseJsonObject(reply, operation);
          } catch (e) {
            // stored, but the answer is unreadable: the state tells what the bank has
            return (await resolveAmbiguity(e, true))!;
          }
          const status = typeof created.bankStatus === 'string' ? created.bankStatus : undefined;
          return {
            externalId,
            bankStatus: status,
            bankComment: created.bankComment as string | null | undefined,
            document: created,
            recovered: false,
          };
        }
        const err = calls.apiError(reply);
        if (WorkflowFaultError.isInstance(err) && err.isDuplicate && ambiguous !== undefined)
          return (await resolveAmbiguity(err, resendIsSafe))!;
        if (!RETRY_STATUSES.has(reply.status)) throw err;
        failure = err;
        if (reply.status >= 500) ambiguous = err;
        wait = retryAfterMs(reply.headers['retry-after']);
      }
      if (attempt >= t.maxRetries) {
        if (ambiguous !== undefined) {
          const done = await resolveAmbiguity(failure);
          if (done) return done;
          throw new SberAmbiguousCreateError(externalId, { cause: failure });
        }
        throw failure;
      }
      const delayMs = wait ?? backoffDelay(attempt, t.retry);
      emitHook(t.hooks, 'onRetry', {
        operation,
        method: 'POST',
        path: `${API}/debt-registries`,
        attempt: attempt + 1,
        delayMs,
        reason: (failure as { code?: string }).code ?? 'error',
      });
      await sleep(delayMs, o.signal, operation);
    }
  }

  const isTransient = (e: unknown): boolean => isRetryableError(e) || (SberApiError.isInstance(e) && (e.status >= 500 || e.status === 429));

  async function waitForFinalState(externalId: string, o: WaitOptions = {}): Promise<SberDocState> {
    pathId(externalId, 'externalId');
    const timing = pollTiming(o.pollDelay, 'pollDelay', poll);
    const limit = int(o.timeoutMs, 'timeoutMs', pollTimeoutMs, 1);
    const deadline = Date.now() + limit;
    const operation = 'wait for final state';
    let last: SberDocState | undefined;
    for (let n = 0; ; n++) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new SberTimeoutError({ operation, timeoutMs: limit, externalId, lastState: last });
      try {
        last = await getState(externalId, { signal: o.signal, timeoutMs: Math.min(t.timeoutMs, remaining) });
        try {
          o.onStatus?.(last, n);
        } catch (error) {
          // the caller's observer must never end the wait nor lose its result: its error goes to the hooks
          emitHook(t.hooks, 'onHookError', { hook: 'onStatus', error });
        }
        if (typeof last.bankStatus === 'string' && SBER_TERMINAL_STATUSES.has(last.bankStatus)) return last;
      } catch (e) {
        if (!isTransient(e)) throw e;
      }
      const delay = Math.round(Math.min(timing.maxMs, timing.initialMs * timing.factor ** n) * (1 - Math.random() * 0.25));
      await sleep(Math.min(delay, Math.max(0, deadline - Date.now())), o.signal, operation);
    }
  }

  return { create, getState, waitForFinalState };
}
