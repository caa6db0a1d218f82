import { FaultSchedule } from '@internal/sandbox-kit';
import { SunatSandboxError } from './errors.js';

/** Which requests a fault rule applies to: the token endpoint, the send (POST), the status poll (GET), or any. */
export type FaultTarget = 'token' | 'send' | 'status' | 'any';
/**
 * What a fault does: 'status503' (503 with Retry-After), 'status500' (500 with a Java `exc`), 'reset' (socket
 * destroyed, nothing stored), 'resetAfterStore' (handled and stored, then the socket is destroyed: the ambiguous
 * send), 'slow' (answers after `delayMs`), 'html' (a gateway's HTML page with status 502 or 504).
 */
export type FaultKind = 'status503' | 'status500' | 'reset' | 'resetAfterStore' | 'slow' | 'html';

/** One injected fault. Rules are consulted in order; the first that fires answers the request. */
export interface FaultRule {
  /** The requests it applies to. */
  on: FaultTarget;
  /** What it does to them. */
  kind: FaultKind;
  /** Chance that a matching request gets the fault; default 1. Drawn from the sandbox's seeded generator. */
  probability?: number;
  /** How many times the rule fires; default unlimited for probability rules, 1 otherwise. */
  count?: number;
  /** `status503`: the Retry-After header, in seconds; default 1. */
  retryAfterSeconds?: number;
  /** `slow`: delay before the normal answer, in ms; default 2000. */
  delayMs?: number;
  /** `html`: the gateway's status; default 502. */
  status?: 502 | 504;
}

/** The injected faults (the schedule shared with sber-api-sandbox), consulted once per request. */
export function faultBook(seed: number, rules: FaultRule[] = []): FaultSchedule<Exclude<FaultTarget, 'any'>, FaultKind, FaultRule> {
  return new FaultSchedule(
    {
      seed,
      targets: ['token', 'send', 'status'],
      kinds: ['status503', 'status500', 'reset', 'resetAfterStore', 'slow', 'html'],
      bad: (field, message) => new SunatSandboxError('BAD_OPTION', message, `faults.${field}`),
    },
    rules,
  );
}
