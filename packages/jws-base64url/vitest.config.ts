import { packageTests } from '../../vitest.shared';

export default packageTests('jws-base64url');
