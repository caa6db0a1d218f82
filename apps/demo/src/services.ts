import type { DebtRegistry } from 'sber-registry-client';
import type { GostIdentity } from './keys.js';
import type { SandboxState } from './sandboxes.js';
import type { SberConnection } from './sber-flow.js';
import type { PlannedGuide, SunatConnection } from './sunat-flow.js';

/** What a run (or a resume) talks to: the sandboxes or the real services, wired the same way. */
export interface Services {
  mode: 'sandbox' | 'live';
  sunat?: { conn: SunatConnection; guides: PlannedGuide[] };
  sber?: { conn: SberConnection; registry?: DebtRegistry; identity?: GostIdentity };
  /** Sandbox mode: the sandboxes' documents, journaled with every submission. */
  sandboxState?: () => SandboxState;
  /** Poll spacing: short against the sandboxes, SUNAT's and Sber's own pace for real. */
  pollIntervalMs: number;
  close(): Promise<void>;
}
