/** What every fault rule of both sandboxes has: where it applies, what it does, how often. */
export interface FaultRuleBase<Target extends string, Kind extends string> {
  on: Target | 'any';
  kind: Kind;
  /** Chance that a matching request is hit, 0..1 (default 1). Drawn from the schedule's seeded generator. */
  probability?: number;
  /** How many requests it hits: default unlimited for rules with a probability, 1 otherwise. */
  count?: number;
}

/** mulberry32: small and seedable, so that a seed gives the same fault sequence on every run. */
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

export interface FaultScheduleOptions<Target extends string, Kind extends string> {
  seed: number;
  targets: readonly Target[];
  kinds: readonly Kind[];
  /** The sandbox's own typed error for a bad rule (thrown at `inject`). */
  bad(field: string, message: string): Error;
}

/**
 * The injected faults of a sandbox, consulted once per request in insertion order: the first rule that
 * matches the target and wins its draw is used (and loses one of its uses).
 */
export class FaultSchedule<Target extends string, Kind extends string, Rule extends FaultRuleBase<Target, Kind>> {
  #rules: { rule: Rule; remaining: number }[] = [];
  readonly #random: () => number;
  readonly #o: FaultScheduleOptions<Target, Kind>;

  constructor(o: FaultScheduleOptions<Target, Kind>, rules: readonly Rule[] = []) {
    this.#o = o;
    this.#random = seededRandom(o.seed);
    for (const rule of rules) this.inject(rule);
  }

  inject(rule: Rule): void {
    const { targets, kinds, bad } = this.#o;
    if (typeof rule !== 'object' || rule === null) throw bad('fault', 'must be a fault rule object');
    if (rule.on !== 'any' && !targets.includes(rule.on)) throw bad('on', `fault.on must be one of ${[...targets, 'any'].join(', ')}`);
    if (!kinds.includes(rule.kind)) throw bad('kind', `fault.kind must be one of ${kinds.join(', ')}`);
    if (rule.probability !== undefined && !(typeof rule.probability === 'number' && rule.probability >= 0 && rule.probability <= 1)) {
      throw bad('probability', 'fault.probability must be a number between 0 and 1');
    }
    if (rule.count !== undefined && !(Number.isInteger(rule.count) && rule.count >= 1))
      throw bad('count', 'fault.count must be a positive integer');
    this.#rules.push({ rule: { ...rule }, remaining: rule.count ?? (rule.probability !== undefined ? Infinity : 1) });
  }

  clear(): void {
    this.#rules = [];
  }

  /** The rule that hits this request, if any. */
  draw(target: Target): Rule | undefined {
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
