import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

// @internal/http-core is private: inlined into this bundle and its declarations (nothing to install, no API to keep).
export default defineConfig(packageBuild(['src/index.ts'], { noExternal: ['@internal/http-core'] }));
