import { fuzzRuns } from '@internal/testkit';
import fc from 'fast-check';
import { isValidInn } from 'sber-digest';
import type { Dispatcher } from 'undici';
import { describe, expect, it } from 'vitest';
import { createSberAuth, createSberClient, memorySberTokenStore, SberValidationError } from '../src/index.js';

const RUNS = fuzzRuns(2000);
const ORIGIN = 'https://127.0.0.1:9';
let dispatched = 0;
/** Counts every request that would leave: caller mistakes must never get here. */
const counting = {
  dispatch: () => {
    dispatched++;
    throw new Error('a request was dispatched');
  },
  close: async () => undefined,
  destroy: async () => undefined,
} as unknown as Dispatcher;
const store = memorySberTokenStore({
  accessToken: 'input-access-token',
  accessTokenExpiresAt: Date.now() + 3_600_000,
  refreshToken: 'input-refresh-token',
});
const auth = createSberAuth({
  environment: { baseUrl: ORIGIN },
  clientId: 'c',
  clientSecret: 'input-client-secret',
  store,
  dispatcher: counting,
});
const client = createSberClient({ environment: { baseUrl: ORIGIN }, auth, dispatcher: counting, maxRetries: 0 });

const hostileValue = fc.oneof(
  fc.anything(),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\uD800',
    'a\uDFFFb',
    'x'.repeat(1_000_000),
    '7707012345',
    '770708389',
    '7beb4b73-ba9d-49e9-9b6d-d9a169ad263',
    '7beb4b73ba9d49e99b6dd9a169ad2638',
    '2024-02-30',
    '../x',
    'a/b',
    'a b',
  ),
  fc.string({ unit: 'binary' }),
);
const GOOD = {
  externalId: '7beb4b73-ba9d-49e9-9b6d-d9a169ad2638',
  date: '2024-01-01',
  orgName: 'ООО Ромашка',
  orgTaxNumber: '7707083893',
  number: '1',
  recordNum: '2',
};

async function refusal(p: Promise<unknown>): Promise<SberValidationError | undefined> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  return SberValidationError.isInstance(e) ? e : undefined;
}

describe('caller input: SberValidationError naming the field, before any request', () => {
  it(`create with one registry field replaced by a hostile value (${RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...(Object.keys(GOOD) as (keyof typeof GOOD)[]), 'bfAttachments', 'digestSignatures'),
        hostileValue,
        async (field, value) => {
          fc.pre(value !== undefined && value !== (GOOD as Record<string, unknown>)[field]);
          // values a registry may legitimately hold are sent: only the refused ones matter here
          fc.pre(!(field === 'orgName' && typeof value === 'string' && value.trim() !== '' && !/[\r\n\u0000]/.test(value)));
          const before = dispatched;
          const e = await refusal(client.debtRegistries.create({ ...GOOD, [field]: value } as never));
          // accepted (and sent): only a free-text number or a digit string as recordNum may be
          if (!e) {
            if (value === null) return ['recordNum', 'bfAttachments', 'digestSignatures'].includes(field);
            if (Array.isArray(value) && value.length === 0) return field === 'bfAttachments' || field === 'digestSignatures';
            // attachments that name no file add no digest line: tolerated, as sber-digest documents
            if (field === 'bfAttachments')
              return (
                Array.isArray(value) &&
                value.every(
                  (a) =>
                    typeof a === 'object' &&
                    a !== null &&
                    !Array.isArray(a) &&
                    [undefined, null, ''].includes((a as { fileId?: unknown }).fileId as never),
                )
              );
            return field === 'number' ? typeof value === 'string' : field === 'recordNum' && /^\d+$/.test(String(value));
          }
          return dispatched === before && e.field.startsWith(`registry.${field}`) && e.message.includes(e.field);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('every INN with a wrong check digit is refused as registry.orgTaxNumber (10 and 12 digits)', async () => {
    const before = dispatched;
    let tried = 0;
    for (const inn of ['7707083893', '500100732259'])
      for (let i = 0; i < inn.length; i++)
        for (let d = 0; d < 10; d++) {
          const bad = inn.slice(0, i) + d + inn.slice(i + 1);
          if (isValidInn(bad)) continue;
          tried++;
          expect((await refusal(client.debtRegistries.create({ ...GOOD, orgTaxNumber: bad })))?.field, bad).toBe('registry.orgTaxNumber');
        }
    expect(tried).toBeGreaterThan(150);
    expect(dispatched).toBe(before);
  });

  it(`ids, files and auth calls with hostile values (${RUNS} runs)`, async () => {
    const before = dispatched;
    const calls: [string, (v: unknown) => Promise<unknown>, (v: unknown) => boolean][] = [
      ['externalId', (v) => client.debtRegistries.getState(v as string), isPathId],
      ['externalId', (v) => client.debtRegistries.waitForFinalState(v as string), isPathId],
      ['fileId', (v) => client.files.getState(v as string), isPathId],
      ['input', (v) => client.files.upload(v as never), () => false],
      ['code', (v) => auth.exchangeCode(v as string, 'https://app.example/cb'), isText],
      ['newSecret', (v) => auth.changeClientSecret(v as string), isText],
    ];
    await fc.assert(
      fc.asyncProperty(fc.nat(calls.length - 1), hostileValue, async (i, value) => {
        const [field, call, valid] = calls[i]!;
        fc.pre(!valid(value));
        const e = await refusal(call(value));
        return e?.field.startsWith(field);
      }),
      { numRuns: RUNS },
    );
    expect(dispatched).toBe(before);
  });
});

function isPathId(v: unknown): boolean {
  return typeof v === 'string' && /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(v);
}
function isText(v: unknown): boolean {
  return typeof v === 'string' && v.trim() !== '';
}
