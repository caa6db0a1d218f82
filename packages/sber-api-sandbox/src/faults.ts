import { SberSandboxError } from './errors';

export type SberFaultTarget = 'token' | 'create' | 'state' | 'files' | 'crypto' | 'any';
export type SberFaultKind = 'status503' | 'status500' | 'status429' | 'reset' | 'resetAfterStore' | 'slow';

export interface SberFaultRule {
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

const TARGETS: readonly SberFaultTarget[] = ['token', 'create', 'state', 'files', 'crypto', 'any'];
const KINDS: readonly SberFaultKind[] = ['status503', 'status500', 'status429', 'reset', 'resetAfterStore', 'slow'];

/** mulberry32: small, seedable, good enough to make fault schedules reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface ActiveRule { rule: SberFaultRule; remaining: number }

export class Faults {
  private rules: ActiveRule[] = [];
  constructor(private readonly random: () => number) {}

  inject(rule: SberFaultRule): void {
    if (!rule || !TARGETS.includes(rule.on)) throw new SberSandboxError('BAD_OPTION', `fault.on must be one of ${TARGETS.join(', ')}`, 'on');
    if (!KINDS.includes(rule.kind)) throw new SberSandboxError('BAD_OPTION', `fault.kind must be one of ${KINDS.join(', ')}`, 'kind');
    if (rule.probability !== undefined && !(rule.probability >= 0 && rule.probability <= 1)) {
      throw new SberSandboxError('BAD_OPTION', 'fault.probability must be between 0 and 1', 'probability');
    }
    if (rule.count !== undefined && !(Number.isInteger(rule.count) && rule.count >= 1)) {
      throw new SberSandboxError('BAD_OPTION', 'fault.count must be a positive integer', 'count');
    }
    const remaining = rule.count ?? (rule.probability !== undefined ? Infinity : 1);
    this.rules.push({ rule: { ...rule }, remaining });
  }

  clear(): void {
    this.rules = [];
  }

  /** The rule that hits this request, if any (consumes one of its uses). */
  take(target: Exclude<SberFaultTarget, 'any'>): SberFaultRule | undefined {
    for (const active of this.rules) {
      if (active.remaining <= 0 || (active.rule.on !== 'any' && active.rule.on !== target)) continue;
      if (active.rule.probability !== undefined && this.random() >= active.rule.probability) continue;
      active.remaining--;
      return active.rule;
    }
    return undefined;
  }
}
