/** One call's deadline combined with the caller's signal. `dispose()` when the call ends (clears the timer). */
export interface Deadline {
  /** Aborts when the caller aborts or the time is up: pass it to undici and to every wait. */
  readonly signal: AbortSignal;
  readonly timeoutMs: number;
  /** Epoch ms at which the time is up. */
  readonly at: number;
  /** Ms left (0 when the time is up). */
  remaining(): number;
  /** Why the call must stop: the caller aborted (wins when both happened), the time is up, or neither. */
  stopped(): 'aborted' | 'timeout' | undefined;
  /** The caller's own reason, when it aborted. */
  readonly callerReason: unknown;
  dispose(): void;
}

export function createDeadline(timeoutMs: number, caller?: AbortSignal): Deadline {
  const ac = new AbortController();
  const at = Date.now() + timeoutMs;
  const timer = setTimeout(() => ac.abort(new DOMException(`timed out after ${timeoutMs} ms`, 'TimeoutError')), timeoutMs);
  const onAbort = (): void => ac.abort(caller!.reason);
  if (caller?.aborted) ac.abort(caller.reason);
  else caller?.addEventListener('abort', onAbort, { once: true });
  return {
    signal: ac.signal,
    timeoutMs,
    at,
    remaining: () => Math.max(0, at - Date.now()),
    stopped: () => (caller?.aborted ? 'aborted' : ac.signal.aborted || Date.now() >= at ? 'timeout' : undefined),
    get callerReason() {
      return caller?.reason;
    },
    dispose() {
      clearTimeout(timer);
      caller?.removeEventListener('abort', onAbort);
    },
  };
}
