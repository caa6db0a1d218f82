import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hintFor, isValidRuc } from '../src/index.js';

const runs = Number(process.env.FUZZ_RUNS ?? 1000);

describe('isValidRuc', () => {
  it('accepts known RUCs and rejects a changed check digit', () => {
    for (const ruc of ['20000000001', '20100070970', '20131312955', '10000000014']) expect(isValidRuc(ruc)).toBe(true);
    expect(isValidRuc('20100070971')).toBe(false);
    expect(isValidRuc('2010007097')).toBe(false);
    expect(isValidRuc('2010007097a')).toBe(false);
  });

  it('exactly one check digit fits any ten digits', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{10}$/), (ten) => {
        const valid = [...'0123456789'].filter((d) => isValidRuc(ten + d));
        expect(valid).toHaveLength(1);
      }),
      { numRuns: runs },
    );
  });

  it('never throws on any string', () => {
    fc.assert(
      fc.property(fc.string(), (s) => typeof isValidRuc(s) === 'boolean'),
      { numRuns: runs },
    );
  });
});

describe('hintFor', () => {
  it('names the known causes', () => {
    expect(hintFor(401, 'invalid_client', 'cliente no autorizado')).toMatch(/another SUNAT API/);
    expect(hintFor(403, undefined, undefined)).toMatch(/no rights for the GRE/);
    expect(hintFor(400, '422', 'No tiene el perfil para enviar comprobantes electronicos')).toMatch(/no rights for the GRE/);
    expect(hintFor(400, 'invalid_grant', 'Usuario o contraseña incorrectos')).toMatch(/RUC \(11 digits\)/);
    expect(hintFor(500, '500', 'Internal Server Error')).toBeUndefined();
  });
});
