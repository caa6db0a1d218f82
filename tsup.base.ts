import { readFileSync, rmSync } from 'node:fs';
import type { Options } from 'tsup';

/**
 * Dependencies published as ESM only (jose 6, @noble/curves 2 and the @noble/hashes it imports). Node ≥ 20.19
 * can require() them, but CommonJS runtimes with their own module loader (Jest 30, ts-node, older bundlers)
 * cannot; so the CommonJS output carries its own copy of them (all MIT; sizes in each README). The ESM output
 * keeps them as ordinary dependencies, deduplicated by the consumer's package manager. Not a lazy `import()`:
 * gost2012's sign/verify are synchronous, and Jest's CommonJS runtime cannot import() ESM without a flag; not
 * ESM-only: Jest-with-CommonJS is still how many consuming teams test.
 */
const ESM_ONLY = [/^jose($|\/)/, /^@noble\/(curves|hashes)($|\/)/];

/**
 * Our private workspace packages (@internal/http-core, @internal/sandbox-kit, @internal/sunat-kit): inlined into every bundle, so
 * consumers install nothing extra and each package carries exactly the version it was tested with.
 */
const PRIVATE = [/^@internal\//];

/**
 * One build for every package: ESM and CommonJS, each with its own declarations. No source maps: the output is
 * not minified and keeps names, so stack traces read as they are; maps with embedded sources were ~60 % of every
 * unpacked package, and maps without them would need `src/` published and would point into our workspace for
 * the bundled dependencies of the CommonJS output.
 */
export function packageBuild(entry: Record<string, string> | string[] = ['src/index.ts'], extra: Options = {}): Options[] {
  // The two formats build in parallel, so neither may clean the folder the other writes into: clean once, here.
  rmSync('dist', { recursive: true, force: true });
  const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
  const common: Options = {
    entry,
    // For the CLIs' --version (a CLI has no reliable way to find its package.json from both formats).
    define: { PACKAGE_VERSION: JSON.stringify(version) },
    dts: true,
    clean: false,
    sourcemap: false,
    target: 'node20',
    platform: 'node',
    splitting: false,
    treeshake: true,
    ...extra,
    noExternal: [...PRIVATE, ...(extra.noExternal ?? [])],
  };
  const formats = [extra.format ?? ['esm', 'cjs']].flat();
  return formats.map((format) =>
    format === 'cjs' ? { ...common, format: ['cjs'], noExternal: [...common.noExternal!, ...ESM_ONLY] } : { ...common, format: [format] },
  );
}
