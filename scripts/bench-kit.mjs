// Shared by every package's bench/run.mjs: measure a candidate and its baseline in the same run, print the
// ratio against the goal, and write the figures as JSON to bench-results/<package>.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const resultsDir = resolve(import.meta.dirname, '..', 'bench-results');

/** Runs fn (sync or async) repeatedly for at least minMs after a warm-up; returns operations per second. */
export async function opsPerSecond(fn, { minMs = 1000, warmup = 20 } = {}) {
  for (let i = 0; i < warmup; i++) await fn();
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < minMs) {
    await fn();
    n++;
  }
  return (n * 1000) / (performance.now() - start);
}

/** Wall time in ms of one run of fn, the best of `runs`. */
export async function bestTimeMs(fn, runs = 3) {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

/** The number after `--<name>` on the command line, else `dflt`. */
export function numberArg(name, dflt) {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? dflt : Number(process.argv[i + 1]);
}

/** p-quantile (0..1) of a list of numbers. */
export function quantile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

/** Samples process RSS every 20 ms while fn runs; returns [result, peakRssMiB]. */
export async function withPeakRss(fn) {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
  try {
    const result = await fn();
    peak = Math.max(peak, process.memoryUsage.rss());
    return [result, peak / 1024 / 1024];
  } finally {
    clearInterval(timer);
  }
}

/**
 * Prints and records one package's results. Each row: { name, value, unit, baseline, baselineName,
 * higherIsBetter = true, goal } where goal is the ratio to reach (candidate/baseline for higher-is-better,
 * baseline/candidate otherwise, so "≥ goal" always means good). Extra figures go in `notes`.
 */
export function report(pkg, rows, notes = {}) {
  console.log(`\n== ${pkg} ==`);
  const out = [];
  for (const r of rows) {
    const higher = r.higherIsBetter ?? true;
    const ratio = r.baseline === undefined ? undefined : higher ? r.value / r.baseline : r.baseline / r.value;
    const verdict =
      ratio === undefined || r.goal === undefined ? '' : ratio >= r.goal ? `  meets goal ≥ ${r.goal}x` : `  BELOW goal ≥ ${r.goal}x`;
    console.log(
      `${r.name}: ${fmt(r.value)} ${r.unit}` +
        (r.baseline === undefined ? '' : ` | ${r.baselineName}: ${fmt(r.baseline)} ${r.unit} | ratio ${ratio.toFixed(2)}x${verdict}`),
    );
    out.push({ ...r, ratio });
  }
  for (const [k, v] of Object.entries(notes)) console.log(`${k}: ${typeof v === 'number' ? fmt(v) : v}`);
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(
    join(resultsDir, `${pkg}.json`),
    JSON.stringify({ package: pkg, node: process.version, date: new Date().toISOString(), rows: out, notes }, null, 2),
  );
}

function fmt(n) {
  return n >= 100 ? n.toFixed(0) : n >= 1 ? n.toFixed(2) : n.toPrecision(3);
}
