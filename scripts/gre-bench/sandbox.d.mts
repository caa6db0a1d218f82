// Types for the TypeScript tests that share the benches' fault mix (sunat-gre-queue's chaos test).
export interface FaultKind {
  kind: 'status503' | 'status500' | 'reset' | 'resetAfterStore' | 'html' | 'slow';
  status?: number;
  delayMs?: number;
}
export const FAULT_KINDS: readonly FaultKind[];
export function faultMix(rate: number): ({ on: 'any'; probability: number } & FaultKind)[];
export function forkSandbox(
  sandboxModule: string,
  o: { client: object; pendingPolls?: number; faults?: object[]; seed?: number },
): Promise<{
  authUrl: string;
  cpeUrl: string;
  ca: string;
  ask(type: 'stats' | 'audit'): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}>;
