import { packageTests } from '../../vitest.shared.js';

export default packageTests('jws-base64url');
