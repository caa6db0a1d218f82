import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildDebtRegistryDigest, buildDigest, type DigestField, type DigestTable } from '../src/digest.js';
import { SberDigestValidationError } from '../src/errors.js';
import { SEED_DIGEST, SEED_DIGEST_REGISTRY, SEED_REQUEST_REGISTRY, UUID_A, UUID_B } from './fixtures.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 500);

const refused = (f: () => unknown, field: string, rule: string): void => {
  let caught: unknown;
  try {
    f();
  } catch (err) {
    caught = err;
  }
  expect(SberDigestValidationError.isInstance(caught), String(caught)).toBe(true);
  expect((caught as SberDigestValidationError).field).toBe(field);
  expect((caught as SberDigestValidationError).rule).toBe(rule);
};

describe('buildDebtRegistryDigest', () => {
  it("reproduces the seed's digest example exactly (its INN is not checked here)", () => {
    expect(buildDebtRegistryDigest(SEED_DIGEST_REGISTRY)).toBe(SEED_DIGEST);
  });

  it('writes recordNum given as a number the same way, and the same text from bfAttachments', () => {
    const { fileId, ...rest } = SEED_DIGEST_REGISTRY;
    expect(buildDebtRegistryDigest({ ...rest, recordNum: 2, bfAttachments: [{ fileId }] })).toBe(SEED_DIGEST);
    expect(buildDebtRegistryDigest({ ...rest, recordNum: 2, fileId: [fileId], bfAttachments: [{ fileId }] })).toBe(SEED_DIGEST);
  });

  it('builds the request example from the registry object as sent (extra fields ignored)', () => {
    expect(buildDebtRegistryDigest(SEED_REQUEST_REGISTRY)).toBe(
      'externalId=22a6dd81-103a-4d3a-8e9b-0ba4b527f5f6\ndate=2018-12-31\nrecordNum=100\n' +
        'fileId=22a6dd81-103a-4d3a-8e9b-0ba4b527f5f6\norgName=ООО "Клиент"\norgTaxNumber=7707083893',
    );
  });

  it('leaves empty fields out: no recordNum, no files', () => {
    const { fileId: _f, recordNum: _r, ...rest } = SEED_DIGEST_REGISTRY;
    expect(buildDebtRegistryDigest({ ...rest, recordNum: '' })).toBe(
      SEED_DIGEST.split('\n')
        .filter((l) => !/^(recordNum|fileId)=/.test(l))
        .join('\n'),
    );
    expect(buildDebtRegistryDigest({ ...rest, bfAttachments: [] }, { attachments: 'table' })).not.toContain('TABLES');
  });

  it("'lines' writes one fileId line per file, in order, at the 4th position", () => {
    const text = buildDebtRegistryDigest({
      ...SEED_DIGEST_REGISTRY,
      fileId: undefined,
      bfAttachments: [{ fileId: UUID_A }, {}, { fileId: UUID_B }],
    });
    expect(text.split('\n').slice(2, 6)).toEqual(['recordNum=2', `fileId=${UUID_A}`, `fileId=${UUID_B}`, 'orgName=ООО Ромашка']);
  });

  it("'table' puts the plain fields first, then TABLES / Table=BfAttachments / rows ended by #", () => {
    const text = buildDebtRegistryDigest({ ...SEED_DIGEST_REGISTRY, fileId: [UUID_A, UUID_B] }, { attachments: 'table' });
    expect(text.split('\n')).toEqual([
      'externalId=7beb4b73-ba9d-49e9-9b6d-d9a169ad2638',
      'date=2018-02-20',
      'recordNum=2',
      'orgName=ООО Ромашка',
      'orgTaxNumber=7707012345',
      'TABLES',
      'Table=BfAttachments',
      `fileId=${UUID_A}`,
      '#',
      `fileId=${UUID_B}`,
      '#',
    ]);
  });

  it('refuses fileId and bfAttachments that disagree', () => {
    refused(() => buildDebtRegistryDigest({ ...SEED_DIGEST_REGISTRY, bfAttachments: [{ fileId: UUID_A }] }), 'fileId', 'conflict');
  });

  it('refuses values that would forge lines, naming the field', () => {
    refused(
      () => buildDebtRegistryDigest({ ...SEED_DIGEST_REGISTRY, orgName: 'ООО Ромашка\norgTaxNumber=7707083893' }),
      'orgName',
      'line-break',
    );
    refused(() => buildDebtRegistryDigest({ ...SEED_DIGEST_REGISTRY, orgName: 'A\rB' }), 'orgName', 'line-break');
    refused(() => buildDebtRegistryDigest({ ...SEED_DIGEST_REGISTRY, orgName: 'A\u2028B' }), 'orgName', 'line-break');
    refused(() => buildDebtRegistryDigest({ ...SEED_DIGEST_REGISTRY, orgName: 'a=b' }), 'orgName', 'equals-sign');
    refused(() => buildDebtRegistryDigest({ ...SEED_DIGEST_REGISTRY, orgName: 'x\ud800' }), 'orgName', 'utf8');
    refused(() => buildDebtRegistryDigest({ ...SEED_DIGEST_REGISTRY, fileId: ['ok', 'bad\n#'] }), 'fileId[1]', 'line-break');
    refused(() => buildDebtRegistryDigest({ ...SEED_DIGEST_REGISTRY, recordNum: Number.NaN }), 'recordNum', 'number');
    refused(() => buildDebtRegistryDigest({ ...SEED_DIGEST_REGISTRY, date: new Date() as unknown as string }), 'date', 'type');
  });
});

describe('buildDigest', () => {
  it('joins key=value lines with \\n, no trailing newline, empty values left out', () => {
    expect(
      buildDigest([
        ['a', 'x'],
        ['b', null],
        ['c', undefined],
        ['d', ''],
        ['e', 0],
        ['f', 'y'],
      ]),
    ).toBe('a=x\ne=0\nf=y');
  });

  it('writes several tables after the fields, skipping empty rows and tables', () => {
    const text = buildDigest(
      [['number', '12']],
      [
        { name: 'Empty', rows: [] },
        {
          name: 'Lines',
          rows: [
            [
              ['n', 1],
              ['s', 'a b'],
            ],
            [['n', null]],
            [['n', 2]],
          ],
        },
        { name: 'Other', rows: [[['k', 'v']]] },
      ],
    );
    expect(text).toBe('number=12\nTABLES\nTable=Lines\nn=1\ns=a b\n#\nn=2\n#\nTable=Other\nk=v\n#');
  });

  it('refuses keys and table names that are not identifiers or imitate the table form', () => {
    refused(() => buildDigest([['Table', 'BfAttachments']]), 'fields[0]', 'key');
    refused(() => buildDigest([['TABLES', 'x']]), 'fields[0]', 'key');
    refused(() => buildDigest([['a=b', 'x']]), 'fields[0]', 'key');
    refused(
      () =>
        buildDigest([
          ['ok', 'x'],
          ['', 'x'],
        ]),
      'fields[1]',
      'key',
    );
    refused(() => buildDigest([], [{ name: 'Bad\nName', rows: [] }]), 'tables[0].name', 'key');
    refused(() => buildDigest([], [{ name: 'T', rows: [[['k', 'v\n#']]] }]), 'tables[0].rows[0].k', 'line-break');
  });
});

/** Reads a digest back: plain fields, then tables. The inverse that the no-injection property relies on. */
function parseDigest(text: string): { fields: [string, string][]; tables: { name: string; rows: [string, string][][] }[] } {
  const lines = text === '' ? [] : text.split('\n');
  const split = (line: string): [string, string] => {
    const i = line.indexOf('=');
    if (i <= 0) throw new Error(`not a field line: ${JSON.stringify(line)}`);
    return [line.slice(0, i), line.slice(i + 1)];
  };
  const fields: [string, string][] = [];
  const tables: { name: string; rows: [string, string][][] }[] = [];
  let i = 0;
  for (; i < lines.length && lines[i] !== 'TABLES'; i++) fields.push(split(lines[i]!));
  if (i < lines.length) {
    i++;
    let row: [string, string][] = [];
    for (; i < lines.length; i++) {
      const line = lines[i]!;
      if (line.startsWith('Table=')) tables.push({ name: line.slice(6), rows: [] });
      else if (line === '#') {
        tables.at(-1)!.rows.push(row);
        row = [];
      } else row.push(split(line));
    }
    if (row.length > 0) throw new Error('row without #');
  }
  return { fields, tables };
}

describe('buildDigest never emits a line that was not a field (property)', () => {
  const nasty = fc.constantFrom(
    '\n',
    '\r',
    '\r\n',
    '=',
    '#',
    'TABLES',
    'Table=X',
    '\u2028',
    '\u0085',
    '\t',
    '\u0000',
    '\ud800',
    'é',
    'Ж',
    '😀',
  );
  const text = fc.array(fc.oneof(fc.string({ maxLength: 4 }), nasty), { maxLength: 4 }).map((parts) => parts.join(''));
  const key = fc.oneof(
    fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,6}$/),
    fc.constantFrom('Table', 'TABLES', 'tables', 'a b', '1a', '', 'k=v', 'k\n'),
  );
  const value = fc.oneof(text, fc.integer(), fc.double(), fc.constantFrom(null, undefined, ''));
  const field = fc.tuple(key, value);
  const table = fc.record({ name: key, rows: fc.array(fc.array(field, { maxLength: 3 }), { maxLength: 3 }) });

  it('output parses back to exactly the non-empty input fields, or a SberDigestValidationError is thrown', () => {
    let built = 0;
    fc.assert(
      fc.property(fc.array(field, { maxLength: 6 }), fc.array(table, { maxLength: 3 }), (fields: DigestField[], tables: DigestTable[]) => {
        let out: string;
        try {
          out = buildDigest(fields, tables);
        } catch (err) {
          expect(SberDigestValidationError.isInstance(err)).toBe(true);
          return;
        }
        const present = (fs: readonly DigestField[]): [string, string][] =>
          fs.filter(([, v]) => v !== null && v !== undefined && v !== '').map(([k, v]) => [k, String(v)]);
        const expectedTables = tables
          .map((t) => ({ name: t.name, rows: t.rows.map(present).filter((r) => r.length > 0) }))
          .filter((t) => t.rows.length > 0);
        expect(parseDigest(out)).toEqual({ fields: present(fields), tables: expectedTables });
        expect(out.endsWith('\n')).toBe(false);
        built++;
      }),
      { numRuns: RUNS },
    );
    // Both outcomes must be exercised, or the property proves little.
    expect(built).toBeGreaterThan(RUNS / 20);
    expect(built).toBeLessThan(RUNS);
  });
});
