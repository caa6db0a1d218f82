/** Longest Retry-After honoured: a server asking for more gets this much, so a call never waits on it for minutes. */
export const RETRY_AFTER_CAP_MS = 60_000;

/**
 * Retry-After in ms: delta-seconds (decimals accepted, as some gateways send them) or an HTTP-date; at most
 * `capMs`, never negative. `undefined` when absent or unreadable (the caller then uses its backoff).
 */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now(), capMs = RETRY_AFTER_CAP_MS): number | undefined {
  const v = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!v) return undefined;
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(v)) ms = Number(v) * 1000;
  else {
    // an HTTP-date names a day and a month: a bare number or sign that Date.parse would still read is junk
    if (!/[A-Za-z]/.test(v)) return undefined;
    const at = Date.parse(v);
    if (Number.isNaN(at)) return undefined;
    ms = at - now;
  }
  return Math.min(capMs, Math.max(0, Math.ceil(ms)));
}
