import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.js';

export default defineConfig(packageBuild({ cli: 'src/cli.ts', 'worker-child': 'src/worker-child.ts' }, { format: ['esm'], dts: false }));
