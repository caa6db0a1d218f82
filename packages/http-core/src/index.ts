// The one HTTP core of oauth-sunat, sunat-gre-client and sber-registry-client. Private: tsup inlines it into
// each client's bundle, so consumers install nothing extra and no API here needs to stay stable.
export { backoffMs, sleep } from './backoff.js';
export { type BodyRead, type BodyStream, readBody } from './body.js';
export { createDeadline, type Deadline } from './deadline.js';
export { classifyNetworkError, type NetworkFailure, type NetworkKind, tlsCertificateAdvice } from './network.js';
export { JWT_PATTERN, REDACTED, Redactor, type RedactorOptions } from './redact.js';
export { parseRetryAfter, RETRY_AFTER_CAP_MS } from './retry-after.js';
