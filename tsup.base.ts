import type { Options } from 'tsup';

/** One build for every package: ESM + CJS, each with its own declarations. */
export function packageBuild(entry: Record<string, string> | string[] = ['src/index.ts'], extra: Options = {}): Options {
  return {
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node20',
    platform: 'node',
    splitting: false,
    treeshake: true,
    ...extra,
  };
}
