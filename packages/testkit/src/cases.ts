/**
 * A table of cases, each checked at most once, by whichever test asks first. The per-case tests and a
 * coverage test that asks for every case give the same verdict in any order, alone, filtered or shuffled:
 * the coverage test runs what no test has run yet instead of trusting a counter the others filled.
 */
export interface CaseTable<C, R> {
  /** The result of checking this case (checked now if no test did yet); rejects when the check failed. */
  outcome(c: C): Promise<R>;
  /** The results of every case of the table, checked one after the other (cases may share servers). */
  all(): Promise<R[]>;
}

export function caseTable<C, R>(cases: readonly C[], check: (c: C) => Promise<R>): CaseTable<C, R> {
  const outcomes = new Map<C, Promise<R>>();
  const outcome = (c: C): Promise<R> => {
    if (!cases.includes(c)) throw new Error('caseTable: not a case of this table');
    let p = outcomes.get(c);
    if (!p) outcomes.set(c, (p = check(c)));
    return p;
  };
  return {
    outcome,
    async all() {
      const results: R[] = [];
      for (const c of cases) results.push(await outcome(c));
      return results;
    },
  };
}
