import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.js';

// `oauth-sunat/redis` and `oauth-sunat/validate` are entries of their own: apps that do not use them never load them.
export default defineConfig(packageBuild({ index: 'src/index.ts', validate: 'src/validate-entry.ts', redis: 'src/redis.ts' }));
