/**
 * The one run-count convention of the property tests: `FUZZ_RUNS` (an integer) replaces `base` when set, so
 * `FUZZ_RUNS=50000 pnpm vitest` digs deeper and `FUZZ_RUNS=100` is a quick pass. `scale` keeps an expensive
 * property (a GOST signature per run) at a fixed fraction of the others.
 */
export function fuzzRuns(base = 2000, scale = 1): number {
  const env = process.env.FUZZ_RUNS;
  const n = env !== undefined && /^\d+$/.test(env.trim()) ? Number(env) : base;
  return Math.max(1, Math.round(n * scale));
}
