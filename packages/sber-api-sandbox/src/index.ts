import { gostVerification } from './gost-verification';
import { startSandboxWith, type SberSandbox, type SberSandboxOptions } from './server';

export { DEFAULT_CLIENT, type SberSandbox, type SberSandboxOptions, type SberSandboxStats } from './server';
export { SberSandboxError, SBER_MESSAGES, type SberCause, type SberCheck } from './errors';
export type { SberFaultRule, SberFaultKind, SberFaultTarget } from './faults';
export type { SandboxClientConfig } from './sso';
export type { BankStatus, DocState, SignRole } from './model';
export type { SignatureLayout } from './verification';
export type { SberSandboxState, SberStoredRegistry, SberStoredFile } from './state';

/** Starts a local SberBusiness fintech server (mutual TLS on 127.0.0.1) and its login host. */
export function startSberSandbox(options: SberSandboxOptions = {}): Promise<SberSandbox> {
  return startSandboxWith(gostVerification(), options);
}
