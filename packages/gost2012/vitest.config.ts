import { packageTests } from '../../vitest.shared';

export default packageTests('gost2012');
