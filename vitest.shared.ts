import { defineConfig } from 'vitest/config';

/** Every package's test project: node, real sockets, a JSON report that scripts/test-summary.mjs adds up. */
export function packageTests(name: string, extra: { testTimeout?: number; hookTimeout?: number } = {}) {
  // defineConfig, not defineProject: each package runs as its own vitest root (turbo), where reporters are allowed.
  return defineConfig({
    test: {
      name,
      environment: 'node',
      include: ['test/**/*.test.ts'],
      testTimeout: extra.testTimeout ?? 30_000,
      hookTimeout: extra.hookTimeout ?? 30_000,
      reporters: ['default', ['json', { outputFile: '.vitest/results.json' }]],
    },
  });
}
