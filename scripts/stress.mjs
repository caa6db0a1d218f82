// The load check (pnpm test:stress): runs the test suites while busy loops keep every core saturated, the way a
// shared CI machine can be. A test that races a clock against the scheduler fails here first.
//   pnpm test:stress [--runs N] [--loops-per-core N] [turbo filters, e.g. --filter=gost2012]
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

const root = resolve(import.meta.dirname, '..');
const { values, tokens } = parseArgs({
  options: { runs: { type: 'string', default: '1' }, 'loops-per-core': { type: 'string', default: '2' } },
  strict: false,
  tokens: true,
});
const runs = Number(values.runs);
const perCore = Number(values['loops-per-core']);
if (!(Number.isInteger(runs) && runs > 0 && Number.isInteger(perCore) && perCore >= 0)) {
  console.error('stress: --runs must be a positive integer and --loops-per-core a non-negative integer');
  process.exit(2);
}
// Everything that is not our own option goes to turbo as is (filters, --concurrency …).
const turboArgs = tokens
  .filter((t) => t.kind === 'option' && !['runs', 'loops-per-core'].includes(t.name))
  .map((t) => t.rawName + (t.value === undefined ? '' : `=${t.value}`));

const loops = Array.from({ length: availableParallelism() * perCore }, () =>
  spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }),
);
const stopLoops = () => loops.forEach((l) => l.kill('SIGKILL'));
process.on('exit', stopLoops);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));
console.log(`stress: ${loops.length} busy loops on ${availableParallelism()} cores (${perCore} per core), node ${process.version}`);

let failures = 0;
for (let run = 1; run <= runs; run++) {
  // The summary adds up every report it finds: clear them so that a filtered run counts only what it ran.
  for (const group of ['packages', 'apps']) {
    for (const dir of readdirSync(resolve(root, group))) rmSync(resolve(root, group, dir, '.vitest/results.json'), { force: true });
  }
  const started = performance.now();
  // --force: a cached result would prove nothing about this run.
  const test = spawnSync('turbo', ['run', 'test', '--force', '--output-logs=errors-only', ...turboArgs], { cwd: root, stdio: 'inherit' });
  const summary = spawnSync(process.execPath, ['scripts/test-summary.mjs'], { cwd: root, encoding: 'utf8' });
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  const counts = summary.stdout.trim().split('\n').pop();
  const ok = test.status === 0 && summary.status === 0;
  if (!ok) failures++;
  console.log(`stress run ${run}/${runs}: ${ok ? 'green' : 'RED'} in ${seconds} s under load — ${counts}`);
}
stopLoops();
process.exit(failures === 0 ? 0 : 1);
