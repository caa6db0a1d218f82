import { packageTests } from '../../vitest.shared';

export default packageTests('oauth-sunat');
