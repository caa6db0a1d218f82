import { fuzzRuns, type HostileServer, startHostileServer } from '@internal/testkit';
import fc from 'fast-check';
import type { SunatAuth } from 'oauth-sunat';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGreClient, type GreClient, GreValidationError, isValidRuc } from '../src/index.js';
import { guide } from './helpers.js';

const RUNS = fuzzRuns(2000);
let tokenCalls = 0;
const auth: SunatAuth = { getToken: async () => (tokenCalls++, 'tok'), invalidate: async () => undefined, close: async () => undefined };

/** What a caller can get wrong: other types, empty and huge strings, lone surrogates, control characters. */
const hostileValue = fc.oneof(
  fc.anything(),
  fc.constantFrom('', ' ', '\u0000', '\uD800', 'a\uDFFFb', '\u202E', 'x'.repeat(1_000_000), '../../etc/passwd', '20000000001\n'),
  fc.string({ unit: 'binary' }),
);
const GOOD = guide();
const FIELDS = ['ruc', 'type', 'series', 'number', 'xml'] as const;

describe('caller input: a GreValidationError naming the field, before any network call', () => {
  let server: HostileServer;
  let client: GreClient;
  beforeAll(async () => {
    server = await startHostileServer();
    server.behave('hang');
    client = createGreClient({ auth, baseUrl: `${server.url}/v1`, dispatcher: new Agent(), maxRetries: 0, timeoutMs: 200 });
  });
  afterAll(() => server.close());

  async function refused(p: Promise<unknown>, fields: readonly string[]): Promise<boolean> {
    const e = await p.then(
      () => undefined,
      (x: unknown) => x,
    );
    return GreValidationError.isInstance(e) && fields.includes(e.field) && e.message.includes(e.field);
  }

  it(`send/submit with one field replaced by a hostile value (${RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...FIELDS), hostileValue, async (field, value) => {
        fc.pre(!(field === 'number' && (value === GOOD.number || value === String(GOOD.number))));
        fc.pre(
          !(field === 'type' && value === GOOD.type) &&
            !(field === 'series' && value === GOOD.series) &&
            !(field === 'ruc' && value === GOOD.ruc),
        );
        const input = { ...GOOD, [field]: value };
        // a wrong number also makes the XML's cbc:ID disagree: either field is a correct name for the problem
        const names = field === 'number' || field === 'series' || field === 'type' ? [field, 'xml'] : [field];
        return (await refused(client.send(input as never), names)) && (await refused(client.submit(input as never), names));
      }),
      { numRuns: RUNS },
    );
  });

  it('every one-digit change of the RUC that breaks its check digit is refused as ruc', async () => {
    let tried = 0;
    for (let i = 0; i < 11; i++)
      for (let d = 0; d < 10; d++) {
        const ruc = GOOD.ruc.slice(0, i) + d + GOOD.ruc.slice(i + 1);
        // modulo 11 maps remainders 0 and 10 to the same digit: such a change still passes the check (its XML then disagrees)
        if (isValidRuc(ruc)) continue;
        tried++;
        expect(await refused(client.send({ ...GOOD, ruc }), ['ruc']), ruc).toBe(true);
      }
    expect(tried).toBeGreaterThan(80);
  });

  it(`getStatus/waitForResult with hostile tickets and options (${RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(
        hostileValue.filter((v) => !(typeof v === 'string' && /^[0-9A-Za-z-]{1,64}$/.test(v))),
        async (ticket) => {
          return (
            (await refused(client.getStatus(ticket as never), ['ticket'])) &&
            (await refused(client.waitForResult(ticket as never), ['ticket']))
          );
        },
      ),
      { numRuns: RUNS },
    );
    for (const [o, field] of [
      [{ timeoutMs: -1 }, 'timeoutMs'],
      [{ timeoutMs: Number.NaN }, 'timeoutMs'],
      [{ pollIntervalMs: '5' }, 'pollIntervalMs'],
      [{ maxPollIntervalMs: -5 }, 'maxPollIntervalMs'],
    ] as const)
      expect(await refused(client.waitForResult('8f0c1a8e-1f5a-4c1b-9a0e-0123456789ab', o as never), [field])).toBe(true);
  });

  it('nothing reached the network: no token asked, no request received', () => {
    expect({ tokenCalls, requests: server.requests }).toEqual({ tokenCalls: 0, requests: 0 });
  });
});

describe('client options', () => {
  it(`createGreClient refuses hostile option values with the option's name (${RUNS} runs)`, () => {
    const OPTIONS = [
      'baseUrl',
      'timeoutMs',
      'maxRetries',
      'waitTimeoutMs',
      'pollIntervalMs',
      'maxPollIntervalMs',
      'retryBaseMs',
      'retryMaxMs',
      'maxResponseBytes',
      'hooks',
      'auth',
    ] as const;
    fc.assert(
      fc.property(
        fc.constantFrom(...OPTIONS),
        hostileValue.filter((v) => v !== undefined),
        (name, value) => {
          try {
            createGreClient({ auth, [name]: value } as never);
            return true; // some values are valid (a number ≥ the minimum, an object as hooks)
          } catch (e) {
            return GreValidationError.isInstance(e) && e.field === name;
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});
