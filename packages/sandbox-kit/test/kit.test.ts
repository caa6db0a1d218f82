import { describe, expect, it } from 'vitest';
import { FaultSchedule } from '../src/index.js';

const schedule = (seed: number) =>
  new FaultSchedule<'a' | 'b', 'x' | 'y', { on: 'a' | 'b' | 'any'; kind: 'x' | 'y'; probability?: number; count?: number }>({
    seed,
    targets: ['a', 'b'],
    kinds: ['x', 'y'],
    bad: (field, message) => new RangeError(`${field}: ${message}`),
  });

describe('FaultSchedule', () => {
  it('gives the same draws for the same seed, and different ones for another seed', () => {
    const draws = (seed: number) => {
      const s = schedule(seed);
      s.inject({ on: 'a', kind: 'x', probability: 0.5 });
      return Array.from({ length: 64 }, () => (s.draw('a') ? 1 : 0)).join('');
    };
    expect(draws(7)).toBe(draws(7));
    expect(draws(7)).not.toBe(draws(8));
  });

  it('fires a rule without probability once, on its target only, first rule first', () => {
    const s = schedule(1);
    s.inject({ on: 'b', kind: 'y' });
    s.inject({ on: 'any', kind: 'x', count: 2 });
    expect(s.draw('a')?.kind).toBe('x');
    expect(s.draw('b')?.kind).toBe('y');
    expect(s.draw('b')?.kind).toBe('x');
    expect(s.draw('b')).toBeUndefined();
  });

  it('refuses bad rules with the sandbox error naming the field', () => {
    const s = schedule(1);
    expect(() => s.inject({ on: 'c' as never, kind: 'x' })).toThrow(/^on: /);
    expect(() => s.inject({ on: 'a', kind: 'z' as never })).toThrow(/^kind: /);
    expect(() => s.inject({ on: 'a', kind: 'x', probability: 2 })).toThrow(/^probability: /);
    expect(() => s.inject({ on: 'a', kind: 'x', count: 0 })).toThrow(/^count: /);
  });
});
