import { defineConfig } from 'vitest/config';

/** Every package's test project: node, real sockets, a JSON report that scripts/test-summary.mjs adds up. */
export function packageTests(name: string, extra: { testTimeout?: number; hookTimeout?: number } = {}) {
  // defineConfig, not defineProject: each package runs as its own vitest root (turbo), where reporters are allowed.
  return defineConfig({
    test: {
      name,
      environment: 'node',
      include: ['test/**/*.test.ts'],
      // Hang guards, not speed checks: a CPU-bound property (2000 runs, ~3 s alone) took over 30 s on a loaded
      // 2-core machine. 120 s holds a 10x slowdown of the slowest real test and still ends a true hang.
      testTimeout: extra.testTimeout ?? 120_000,
      hookTimeout: extra.hookTimeout ?? 120_000,
      reporters: ['default', ['json', { outputFile: '.vitest/results.json' }]],
    },
  });
}
