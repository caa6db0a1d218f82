// The one HTTP core of oauth-sunat, sunat-gre-client and sber-registry-client. Private: tsup inlines it into
// each client's bundle, so consumers install nothing extra and no API here needs to stay stable.
export { backoffMs, sleep } from './backoff.js';
export { parseRetryAfter, RETRY_AFTER_CAP_MS } from './retry-after.js';
export { createDeadline, type Deadline } from './deadline.js';
export { readBody, type BodyRead, type BodyStream } from './body.js';
export { classifyNetworkError, tlsCertificateAdvice, type NetworkFailure, type NetworkKind } from './network.js';
export { Redactor, REDACTED, JWT_PATTERN, type RedactorOptions } from './redact.js';
