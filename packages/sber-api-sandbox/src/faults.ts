import { FaultSchedule } from '@internal/sandbox-kit';
import { SberSandboxError } from './errors.js';

/** Which requests a fault rule applies to: the SSO token endpoint, a registry create, a state poll, the files or crypto resources, or any. */
export type SberFaultTarget = 'token' | 'create' | 'state' | 'files' | 'crypto' | 'any';
/** What a fault does (see {@link SberFaultRule.kind}). */
export type SberFaultKind = 'status503' | 'status500' | 'status429' | 'reset' | 'resetAfterStore' | 'slow';

/** One injected fault. Rules are consulted in order; the first that fires answers the request. */
export interface SberFaultRule {
  /** The requests it applies to. */
  on: SberFaultTarget;
  /**
   * status503/status500/status429: an error answer instead of the work. reset: the socket is destroyed before any work.
   * resetAfterStore: the work is done (registry stored, tokens rotated…) and then the socket is destroyed.
   * slow: the answer is delayed by `delayMs`, then given normally.
   */
  kind: SberFaultKind;
  /** Chance that a matching request is hit, 0..1 (default 1). Drawn from the sandbox's seeded generator. */
  probability?: number;
  /** How many requests it hits: default unlimited for rules with a probability, 1 otherwise. */
  count?: number;
  /** For `slow` (default 2000 ms). */
  delayMs?: number;
  /** Retry-After header (seconds) for status429/status503. */
  retryAfterSeconds?: number;
}

export type SberFaults = FaultSchedule<Exclude<SberFaultTarget, 'any'>, SberFaultKind, SberFaultRule>;

/** The injected faults (the schedule shared with sunat-gre-sandbox), consulted once per request. */
export function sberFaults(seed: number, rules: SberFaultRule[] = []): SberFaults {
  return new FaultSchedule(
    {
      seed,
      targets: ['token', 'create', 'state', 'files', 'crypto'],
      kinds: ['status503', 'status500', 'status429', 'reset', 'resetAfterStore', 'slow'],
      bad: (field, message) => new SberSandboxError('BAD_OPTION', message, field),
    },
    rules,
  );
}
