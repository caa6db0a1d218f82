export { buildCdrXml, buildCdrZip, type CdrInput } from './cdr.js';
export { CODES, type Code as SunatCode, type CodeTexts as SunatCodeTexts } from './codes.js';
export { SunatSandboxError } from './errors.js';
export type { FaultKind, FaultRule, FaultTarget } from './faults.js';
export type { SignaturePolicy } from './gre.js';
export { UNKNOWN_PLATE_PREFIX } from './gre.js';
export { type SunatSandbox, type SunatSandboxOptions, type SunatSandboxStats, startSunatSandbox } from './server.js';
export type { SunatSandboxState, SunatStoredDocument } from './state.js';
export type { SandboxClient } from './token.js';
