import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay, retryAfterMs, sleep } from '../src/http.js';
import { SberAbortError } from '../src/index.js';

const runs = Number(process.env.FUZZ_RUNS ?? 500);

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates, caps at 60 s, ignores garbage', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs('3', now)).toBe(3000);
    expect(retryAfterMs('600', now)).toBe(60_000);
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:10 GMT', now)).toBe(10_000);
    expect(retryAfterMs('Wed, 31 Dec 2025 00:00:10 GMT', now)).toBe(0);
    expect(retryAfterMs(undefined, now)).toBeUndefined();
    expect(retryAfterMs('soon', now)).toBeUndefined();
  });
  it('is always undefined or within [0, 60000] (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.nat().map(String),
          fc.date({ noInvalidDate: true }).map((d) => d.toUTCString()),
        ),
        (v) => {
          const ms = retryAfterMs(v);
          if (ms !== undefined) expect(ms >= 0 && ms <= 60_000).toBe(true);
        },
      ),
      { numRuns: runs },
    );
  });
});

describe('backoffDelay', () => {
  it('grows ×2 from the base, jitters ±25 % (the shared policy), and never passes the cap', () => {
    fc.assert(
      fc.property(fc.nat(30), fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 100_000 }), (n, baseMs, maxMs) => {
        const d = backoffDelay(n, { baseMs, maxMs });
        const full = Math.min(maxMs, baseMs * 2 ** n);
        expect(d).toBeLessThanOrEqual(Math.min(maxMs, Math.ceil(full * 1.25)));
        expect(d).toBeGreaterThanOrEqual(Math.floor(full * 0.75));
      }),
      { numRuns: runs },
    );
  });
});

describe('sleep', () => {
  it('rejects with SberAbortError when the signal fires', async () => {
    const c = new AbortController();
    const p = sleep(60_000, c.signal, 'wait');
    c.abort(new Error('stop'));
    await expect(p).rejects.toSatisfy((e) => SberAbortError.isInstance(e) && e.code === 'ABORTED');
  });
});
