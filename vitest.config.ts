import { defineConfig } from 'vitest/config';

// `pnpm vitest` at the root runs every package's suite; `pnpm test` runs them per package through turbo.
export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts', 'apps/*/vitest.config.ts'],
  },
});
