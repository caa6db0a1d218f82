import { packageTests } from '../../vitest.shared';

export default packageTests('sber-api-sandbox');
