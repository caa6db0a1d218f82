import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

// splitting: the root and '/gre' entries share one chunk (one copy of each error class, ESM and CJS), and the
// signing code that submitGuide imports on demand is a chunk of its own (node-forge loads only when used).
// @internal/http-core is private: inlined into the bundle and its declarations (nothing to install, no API to keep).
export default defineConfig(
  packageBuild({ index: 'src/index.ts', gre: 'src/gre/index.ts' }, { splitting: true, noExternal: ['@internal/http-core'] }),
);
