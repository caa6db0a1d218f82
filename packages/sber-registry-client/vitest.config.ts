import { packageTests } from '../../vitest.shared';

export default packageTests('sber-registry-client');
