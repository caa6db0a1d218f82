import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.js';

// `sber-registry-client/redis` is its own entry: apps without Redis never load it.
export default defineConfig(packageBuild({ index: 'src/index.ts', redis: 'src/redis.ts' }));
