import { packageTests } from '../../vitest.shared';

export default packageTests('demo', { testTimeout: 120_000 });
