import { isIsoDate, isUuid, isValidInn } from './checks.js';
import { buildDebtRegistryDigest, type DebtRegistryDigestInput, type DebtRegistryDigestOptions, registryFileIds } from './digest.js';
import type { DigestEncoding } from './encoding.js';
import { SberDigestValidationError } from './errors.js';
import { type DigestSignature, type DigestSigner, signDigest } from './sign.js';

function requiredString(r: Record<string, unknown>, field: string): string {
  const v = r[field];
  if (v === undefined || v === null || v === '') throw new SberDigestValidationError(field, 'required', 'is required');
  if (typeof v !== 'string') throw new SberDigestValidationError(field, 'type', 'must be a string');
  return v;
}

/**
 * Checks a debt registry before it is signed or sent: externalId and file ids are UUIDs, date is a real
 * YYYY-MM-DD day, recordNum (optional) is written in digits, orgName is present, orgTaxNumber is an INN with
 * correct check digits, and no value could forge a digest line. Throws the first SberDigestValidationError.
 */
export function validateDebtRegistry(registry: unknown): asserts registry is DebtRegistryDigestInput {
  if (typeof registry !== 'object' || registry === null || Array.isArray(registry)) {
    throw new SberDigestValidationError('registry', 'type', 'must be an object');
  }
  const r = registry as Record<string, unknown>;
  if (!isUuid(requiredString(r, 'externalId')))
    throw new SberDigestValidationError('externalId', 'uuid', 'must be a UUID (8-4-4-4-12 hex)');
  if (!isIsoDate(requiredString(r, 'date')))
    throw new SberDigestValidationError('date', 'date', 'must be a calendar date written YYYY-MM-DD');
  const recordNum = r.recordNum;
  if (recordNum !== undefined && recordNum !== null) {
    const ok =
      typeof recordNum === 'number'
        ? Number.isSafeInteger(recordNum) && recordNum >= 0
        : typeof recordNum === 'string' && /^\d+$/.test(recordNum);
    if (!ok) throw new SberDigestValidationError('recordNum', 'digits', 'must be a non-negative whole number written in digits');
  }
  for (const file of registryFileIds(r)) {
    if (typeof file.value !== 'string') throw new SberDigestValidationError(file.path, 'type', 'must be a string');
    if (!isUuid(file.value)) throw new SberDigestValidationError(file.path, 'uuid', 'must be a UUID (8-4-4-4-12 hex)');
  }
  if (requiredString(r, 'orgName').trim() === '') throw new SberDigestValidationError('orgName', 'required', 'must not be blank');
  if (!isValidInn(requiredString(r, 'orgTaxNumber'))) {
    throw new SberDigestValidationError('orgTaxNumber', 'inn', 'must be an INN of 10 or 12 digits with correct check digits');
  }
  buildDebtRegistryDigest(r as unknown as DebtRegistryDigestInput); // the digest-safety rules (line breaks, '=', UTF-8)
}

/** Validate → build the digest → sign it. The result goes into the registry's `digestSignatures`. */
export async function signDebtRegistry(
  registry: DebtRegistryDigestInput,
  signer: DigestSigner,
  options: DebtRegistryDigestOptions & { signal?: AbortSignal; encoding?: DigestEncoding } = {},
): Promise<DigestSignature> {
  validateDebtRegistry(registry);
  const digest = buildDebtRegistryDigest(registry, { attachments: options.attachments, emptyFields: options.emptyFields });
  return signDigest(digest, signer, { signal: options.signal, encoding: options.encoding });
}
