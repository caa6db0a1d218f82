export { startSunatSandbox, type SunatSandbox, type SunatSandboxOptions, type SunatSandboxStats } from './server.js';
export type { FaultRule, FaultKind, FaultTarget } from './faults.js';
export type { SandboxClient } from './token.js';
export type { SignaturePolicy } from './gre.js';
export { UNKNOWN_PLATE_PREFIX } from './gre.js';
export { SunatSandboxError } from './errors.js';
export type { SunatSandboxState, SunatStoredDocument } from './state.js';
export { CODES } from './codes.js';
export { buildCdrXml, buildCdrZip, type CdrInput } from './cdr.js';
