import { defineConfig } from 'vitest/config';

/**
 * Every package's test project: node, real sockets, a JSON report that scripts/test-summary.mjs adds up.
 * The timeouts are hang watchdogs, not measurements: the slowest test takes ~8 s on a quiet 2-core machine and
 * must still pass at a 10x slowdown (CI shares the machine), so nothing asserts anything with them.
 */
export function packageTests(name: string, extra: { testTimeout?: number; hookTimeout?: number } = {}) {
  // defineConfig, not defineProject: each package runs as its own vitest root (turbo), where reporters are allowed.
  return defineConfig({
    test: {
      name,
      environment: 'node',
      include: ['test/**/*.test.ts'],
      testTimeout: extra.testTimeout ?? 120_000,
      hookTimeout: extra.hookTimeout ?? 120_000,
      reporters: ['default', ['json', { outputFile: '.vitest/results.json' }]],
    },
  });
}
