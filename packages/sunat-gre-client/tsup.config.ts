import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.js';

// splitting: the entries share one chunk (one copy of each error class, ESM and CJS), and the signing code that
// submitGuide imports on demand is a chunk of its own (node-forge loads only when used).
export default defineConfig(
  packageBuild({ index: 'src/index.ts', gre: 'src/gre/index.ts', validate: 'src/validate-entry.ts' }, { splitting: true }),
);
