export type FaultTarget = 'token' | 'send' | 'status' | 'any';
export type FaultKind = 'status503' | 'status500' | 'reset' | 'resetAfterStore' | 'slow' | 'html';

export interface FaultRule {
  on: FaultTarget;
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

/** Seeded PRNG (mulberry32): the same seed gives the same fault sequence. */
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

interface ActiveRule {
  rule: FaultRule;
  remaining: number;
}

/** The injected faults, consulted once per request in insertion order; the first that fires wins. */
export class FaultBook {
  #rules: ActiveRule[] = [];
  readonly #random: () => number;

  constructor(seed: number, rules: FaultRule[] = []) {
    this.#random = seededRandom(seed);
    for (const r of rules) this.inject(r);
  }

  inject(rule: FaultRule): void {
    const remaining = rule.count ?? (rule.probability !== undefined ? Infinity : 1);
    this.#rules.push({ rule, remaining });
  }

  clear(): void {
    this.#rules = [];
  }

  /** The fault for this request, if any; consumes one use of it. */
  draw(target: Exclude<FaultTarget, 'any'>): FaultRule | undefined {
    for (const active of this.#rules) {
      const { rule } = active;
      if (active.remaining <= 0 || (rule.on !== 'any' && rule.on !== target)) continue;
      if (rule.probability !== undefined && this.#random() >= rule.probability) continue;
      active.remaining--;
      return rule;
    }
    this.#rules = this.#rules.filter((a) => a.remaining > 0);
    return undefined;
  }
}
