import { fuzzRuns } from '@internal/testkit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSunatAuth, isValidRuc, type SunatAuthOptions, SunatAuthValidationError } from '../src/index.js';

const RUNS = fuzzRuns(2000);
const GOOD: SunatAuthOptions = {
  clientId: 'c1a2b3c4-0000-4000-8000-000000000001',
  clientSecret: 'Input-S3cret-value',
  ruc: '20000000001',
  solUser: 'MODDATOS',
  solPassword: 'Input-P4ssword',
  // nothing listens here: a request would fail as NETWORK, never as validation
  baseUrl: 'http://127.0.0.1:9/v1',
};
const hostileValue = fc.oneof(
  fc.anything(),
  fc.constantFrom('', ' ', '\t', 'a\nb', '\uD800', 'x'.repeat(1_000_000), 'ftp://x', 'https://u:p@host/v1', '20000000002', '2000000000'),
  fc.string({ unit: 'binary' }),
);
const FIELDS = [
  'clientId',
  'clientSecret',
  'ruc',
  'solUser',
  'solPassword',
  'grant',
  'scope',
  'baseUrl',
  'renewBeforeSeconds',
  'timeoutMs',
  'maxRetries',
] as const;

describe('createSunatAuth / getToken: hostile input is a SunatAuthValidationError naming the field', () => {
  it(`one option replaced by a hostile value (${RUNS} runs): refused with its name, or accepted as valid`, () => {
    fc.assert(
      fc.property(fc.constantFrom(...FIELDS), hostileValue, (field, value) => {
        let auth;
        try {
          auth = createSunatAuth({ ...GOOD, [field]: value } as SunatAuthOptions);
        } catch (e) {
          return (
            e instanceof SunatAuthValidationError &&
            e.field === field &&
            e.message.includes(field) &&
            !e.message.includes(GOOD.clientSecret) &&
            !e.message.includes(GOOD.solPassword!)
          );
        }
        // accepted: the value must really be valid for that option
        const v = value as unknown;
        // `??` defaults: null means "not given" for these
        if (v === null && ['grant', 'scope', 'baseUrl'].includes(field)) return true;
        if (field === 'ruc') return typeof v === 'string' && isValidRuc(v);
        if (field === 'grant') return v === undefined || v === 'password';
        if (['renewBeforeSeconds', 'timeoutMs', 'maxRetries'].includes(field))
          return v === undefined || (typeof v === 'number' && Number.isFinite(v));
        return auth !== undefined && (v === undefined || (typeof v === 'string' && v.trim() !== ''));
      }),
      { numRuns: RUNS },
    );
  });

  it('getToken call options are checked before the store or the network', async () => {
    const auth = createSunatAuth(GOOD);
    for (const timeoutMs of [0, -1, Number.NaN, Infinity, '100']) {
      const e = await auth.getToken({ timeoutMs: timeoutMs as number }).catch((x: unknown) => x);
      expect(e instanceof SunatAuthValidationError && e.field).toBe('timeoutMs');
    }
  });
});
