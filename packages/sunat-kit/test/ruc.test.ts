import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidRuc } from '../src/index.js';

describe('isValidRuc', () => {
  it('accepts RUCs whose check digit is right and nothing else', () => {
    for (const ruc of ['20000000001', '20100070970', '20131312955', '10000000014']) expect(isValidRuc(ruc)).toBe(true);
    for (const ruc of ['20100070971', '2010007097', '2010007097a', '200000000011', '']) expect(isValidRuc(ruc)).toBe(false);
  });
  it('gives exactly one check digit for every ten-digit prefix', () => {
    fc.assert(fc.property(fc.stringMatching(/^\d{10}$/), (ten) => [...'0123456789'].filter((d) => isValidRuc(ten + d)).length === 1));
  });
  it('never throws, whatever it is given', () => {
    fc.assert(fc.property(fc.anything(), (v) => typeof isValidRuc(v as string) === 'boolean'));
  });
});
