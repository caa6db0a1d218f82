import { gostVerification } from './gost-verification.js';
import { type SberSandbox, type SberSandboxOptions, startSandboxWith } from './server.js';

export { SBER_MESSAGES, type SberCause, type SberCheck, SberSandboxError } from './errors.js';
export type { SberFaultKind, SberFaultRule, SberFaultTarget } from './faults.js';
export type { BankStatus, DocState, SignRole } from './model.js';
export { DEFAULT_CLIENT, type SberSandbox, type SberSandboxOptions, type SberSandboxStats } from './server.js';
export type { SandboxClientConfig } from './sso.js';
export type { SberSandboxState, SberStoredFile, SberStoredRegistry } from './state.js';
export type { SignatureLayout } from './verification.js';

/** Starts a local SberBusiness fintech server (mutual TLS on 127.0.0.1) and its login host. */
export function startSberSandbox(options: SberSandboxOptions = {}): Promise<SberSandbox> {
  return startSandboxWith(gostVerification(), options);
}
