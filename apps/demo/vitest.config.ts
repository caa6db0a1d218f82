import { packageTests } from '../../vitest.shared.js';

export default packageTests('demo', { testTimeout: 120_000 });
