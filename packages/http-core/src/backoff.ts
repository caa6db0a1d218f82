/**
 * Delay before retry `n` (0-based): 0.5 s × 2ⁿ capped at 8 s (defaults), spread over the full range ±25 % around
 * that value, never above the cap. Centred jitter keeps the documented mean (a "−25 % only" jitter shortens every
 * wait by 12.5 % on average) while a 50 %-wide window keeps clients that failed together from retrying in step.
 */
export function backoffMs(retry: number, timing: { baseMs?: number; maxMs?: number } = {}): number {
  const baseMs = timing.baseMs ?? 500;
  const maxMs = timing.maxMs ?? 8000;
  const nominal = Math.min(baseMs * 2 ** retry, maxMs);
  return Math.round(Math.min(maxMs, nominal * (0.75 + Math.random() * 0.5)));
}

/** Resolves after `ms`; rejects with the signal's reason as soon as `signal` aborts (also when it already has). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
