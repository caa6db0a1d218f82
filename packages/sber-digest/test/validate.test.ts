import { describe, expect, it } from 'vitest';
import { SberDigestValidationError } from '../src/errors.js';
import { validateDebtRegistry } from '../src/registry.js';
import { SEED_DIGEST_REGISTRY, SEED_REQUEST_REGISTRY, UUID_A } from './fixtures.js';

const VALID = { ...SEED_DIGEST_REGISTRY, orgTaxNumber: '7707083893' };

const refusal = (registry: unknown): { field: string; rule: string } => {
  try {
    validateDebtRegistry(registry);
  } catch (err) {
    expect(SberDigestValidationError.isInstance(err), String(err)).toBe(true);
    const { field, rule, message } = err as SberDigestValidationError;
    expect(message).toContain(field);
    return { field, rule };
  }
  throw new Error('expected a refusal');
};

describe('validateDebtRegistry', () => {
  it("accepts the seed's request example (INN 7707083893) and the digest example with a valid INN", () => {
    expect(() => validateDebtRegistry(SEED_REQUEST_REGISTRY)).not.toThrow();
    expect(() => validateDebtRegistry(VALID)).not.toThrow();
    expect(() => validateDebtRegistry({ ...VALID, recordNum: 7, fileId: undefined })).not.toThrow();
    expect(() => validateDebtRegistry({ ...VALID, orgTaxNumber: '500100732259' })).not.toThrow();
  });

  it("refuses the seed's digest example: its INN 7707012345 fails the checksum", () => {
    expect(refusal(SEED_DIGEST_REGISTRY)).toEqual({ field: 'orgTaxNumber', rule: 'inn' });
  });

  it.each([
    [{ ...VALID, externalId: undefined }, 'externalId', 'required'],
    [{ ...VALID, externalId: 'c76fb018-27c9-43f7-a751-62646eda7e1a-1' }, 'externalId', 'uuid'],
    [{ ...VALID, externalId: 42 }, 'externalId', 'type'],
    [{ ...VALID, date: '2018-02-30' }, 'date', 'date'],
    [{ ...VALID, date: '20.02.2018' }, 'date', 'date'],
    [{ ...VALID, date: '' }, 'date', 'required'],
    [{ ...VALID, recordNum: '2a' }, 'recordNum', 'digits'],
    [{ ...VALID, recordNum: -1 }, 'recordNum', 'digits'],
    [{ ...VALID, recordNum: 1.5 }, 'recordNum', 'digits'],
    [{ ...VALID, recordNum: ' 2' }, 'recordNum', 'digits'],
    [{ ...VALID, fileId: 'not-a-uuid' }, 'fileId', 'uuid'],
    [{ ...VALID, fileId: [UUID_A, 'x'] }, 'fileId[1]', 'uuid'],
    [{ ...VALID, fileId: undefined, bfAttachments: [{ fileId: UUID_A }, { fileId: 'x' }] }, 'bfAttachments[1].fileId', 'uuid'],
    [{ ...VALID, fileId: undefined, bfAttachments: 'x' }, 'bfAttachments', 'type'],
    [{ ...VALID, orgName: '   ' }, 'orgName', 'required'],
    [{ ...VALID, orgName: undefined }, 'orgName', 'required'],
    [{ ...VALID, orgName: 'ООО Ромашка\nrecordNum=9' }, 'orgName', 'line-break'],
    [{ ...VALID, orgName: 'a=b' }, 'orgName', 'equals-sign'],
    [{ ...VALID, orgTaxNumber: '770708389' }, 'orgTaxNumber', 'inn'],
    [{ ...VALID, orgTaxNumber: 7707083893 }, 'orgTaxNumber', 'type'],
    [null, 'registry', 'type'],
    [[VALID], 'registry', 'type'],
  ])('refuses %j as %s / %s', (registry, field, rule) => {
    expect(refusal(registry)).toEqual({ field, rule });
  });
});
