import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { innCheckDigits, isIsoDate, isUuid, isValidInn } from '../src/checks.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);

/** Reference sums, written out apart from the implementation: weighted digit sums mod 11. */
const W10 = [2, 4, 10, 3, 5, 9, 4, 6, 8];
const W11 = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
const W12 = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
const mod11 = (digits: string, w: number[]): number => w.reduce((s, wi, i) => s + wi * Number(digits[i]), 0) % 11;

describe('isValidInn', () => {
  it('accepts known valid INNs (10 and 12 digits)', () => {
    for (const inn of ['7707083893', '7830002293', '7736207543', '500100732259', '773173084809']) {
      expect(isValidInn(inn), inn).toBe(true);
    }
  });

  it("refuses the seed's digest-example INN 7707012345 (check digit 9, not 5) and other bad ones", () => {
    expect(innCheckDigits('770701234')).toBe('9');
    for (const inn of [
      '7707012345',
      '7707083894',
      '500100732258',
      '500100732249',
      '77070838931',
      '770708389',
      '',
      'abcdefghij',
      ' 7707083893',
      '7707083893 ',
      '７７０７０８３８９３',
    ]) {
      expect(isValidInn(inn), inn).toBe(false);
    }
  });

  it('property: the computed check digit(s) complete any 9- or 10-digit prefix into a valid INN', () => {
    fc.assert(
      fc.property(fc.oneof(fc.stringMatching(/^\d{9}$/), fc.stringMatching(/^\d{10}$/)), (prefix) => {
        const inn = prefix + innCheckDigits(prefix);
        expect(inn).toHaveLength(prefix.length === 9 ? 10 : 12);
        expect(isValidInn(inn)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  // The "mod 11, then mod 10" rule maps remainders 0 and 10 both to check digit 0: a change that moves a
  // weighted sum between those two remainders is invisible. Every other single-digit change is refused.
  const blind = (w: number[], a: string, b: string): boolean => {
    const [ra, rb] = [mod11(a, w), mod11(b, w)];
    return ra !== rb && (ra === 0 || ra === 10) && (rb === 0 || rb === 10);
  };

  it('property: any single-digit change is refused, except the 0↔10 remainder blind spot of the rule', () => {
    const prefix = fc.oneof(fc.stringMatching(/^\d{9}$/), fc.stringMatching(/^\d{10}$/));
    fc.assert(
      fc.property(prefix, fc.nat(), fc.integer({ min: 1, max: 9 }), (p, at, delta) => {
        const inn = p + innCheckDigits(p);
        const i = at % inn.length;
        const changed = inn.slice(0, i) + String((Number(inn[i]) + delta) % 10) + inn.slice(i + 1);
        // A changed check digit is always caught; a changed prefix digit moves every weighted sum it is part of.
        const undetectable =
          inn.length === 10 ? i < 9 && blind(W10, inn, changed) : i < 10 && blind(W11, inn, changed) && blind(W12, inn, changed);
        expect(isValidInn(changed)).toBe(undetectable);
      }),
      { numRuns: RUNS },
    );
  });

  it('the blind spot is real: a remainder-10 INN and its remainder-0 twin are both valid', () => {
    let p = 100000000;
    while (mod11(String(p), W10) !== 10 || Number(String(p)[8]) > 2) p++;
    const inn = String(p) + innCheckDigits(String(p));
    expect(inn.endsWith('0')).toBe(true);
    // The 9th digit has weight 8; 8 × 7 = 56 ≡ 1 (mod 11) moves the remainder from 10 to 0.
    const twin = inn.slice(0, 8) + String((Number(inn[8]) + 7) % 10) + inn.slice(9);
    expect(isValidInn(inn)).toBe(true);
    expect(isValidInn(twin)).toBe(true);
  });
});

describe('isUuid / isIsoDate', () => {
  it('UUIDs: 8-4-4-4-12 hex, any case and version', () => {
    expect(isUuid('7beb4b73-ba9d-49e9-9b6d-d9a169ad2638')).toBe(true);
    expect(isUuid('7BEB4B73-BA9D-49E9-9B6D-D9A169AD2638')).toBe(true);
    expect(isUuid('00000000-0000-0000-0000-000000000000')).toBe(true);
    for (const s of [
      '7beb4b73ba9d49e99b6dd9a169ad2638',
      '7beb4b73-ba9d-49e9-9b6d-d9a169ad263',
      '{7beb4b73-ba9d-49e9-9b6d-d9a169ad2638}',
      'c76fb018-27c9-43f7-a751-62646eda7e1a-1',
      'g7eb4b73-ba9d-49e9-9b6d-d9a169ad2638',
      '',
    ]) {
      expect(isUuid(s), s).toBe(false);
    }
  });

  it('dates: YYYY-MM-DD of a day that exists', () => {
    for (const s of ['2018-02-20', '2024-02-29', '2000-02-29', '0001-01-01', '9999-12-31']) expect(isIsoDate(s), s).toBe(true);
    for (const s of [
      '2023-02-29',
      '1900-02-29',
      '2018-13-01',
      '2018-00-10',
      '2018-04-31',
      '2018-2-20',
      '20.02.2018',
      '2018-02-20T00:00:00Z',
      '0000-01-01',
      ' 2018-02-20',
    ]) {
      expect(isIsoDate(s), s).toBe(false);
    }
  });

  it('property: isIsoDate agrees with the calendar for every day of years 1–9999', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: 28, max: 31 }),
        (d, day) => {
          const iso = d.toISOString().slice(0, 10);
          expect(isIsoDate(iso)).toBe(true);
          const [y, m] = iso.split('-');
          const probe = `${y}-${m}-${day}`;
          const real = new Date(`${probe}T00:00:00Z`);
          expect(isIsoDate(probe)).toBe(!Number.isNaN(real.getTime()) && real.toISOString().slice(0, 10) === probe);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
