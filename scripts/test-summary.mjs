// Adds up every package's vitest JSON report (written by vitest.shared.ts, restored by turbo's cache) into one
// closing line, so a reader and CI see the whole suite's count.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
let passed = 0,
  failed = 0,
  skipped = 0;
const rows = [];
for (const group of ['packages', 'apps']) {
  for (const dir of readdirSync(join(root, group))) {
    const report = join(root, group, dir, '.vitest', 'results.json');
    if (!existsSync(report)) continue;
    const r = JSON.parse(readFileSync(report, 'utf8'));
    const s = r.numPendingTests + r.numTodoTests;
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    skipped += s;
    rows.push(
      `  ${dir.padEnd(22)} ${String(r.numPassedTests).padStart(5)} passed ${String(r.numFailedTests).padStart(3)} failed ${String(s).padStart(3)} skipped`,
    );
  }
}
console.log(rows.join('\n'));
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
if (failed > 0 || passed === 0) process.exit(1);
