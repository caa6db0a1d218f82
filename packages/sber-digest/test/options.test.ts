import { generateKeyPair } from 'gost2012';
import { describe, expect, it } from 'vitest';
import {
  buildDebtRegistryDigest,
  digestBytes,
  rawGostSigner,
  SberDigestValidationError,
  signDigest,
  verifyDigestSignature,
} from '../src/index.js';
import { SEED_DIGEST, UUID_A } from './fixtures.js';

// The byte-level guesses of docs/sber-signature-bytes.md, each an option: the other choice must not verify.
const alice = generateKeyPair('tc26-256-a');
const signer = rawGostSigner({ privateKey: alice.privateKey, certificateUuid: UUID_A });
const base = { externalId: '7beb4b73-ba9d-49e9-9b6d-d9a169ad2638', date: '2018-02-20', orgName: 'ООО Ромашка', orgTaxNumber: '7707083893' };

describe('digest text: empty fields', () => {
  it("'omit' (default) leaves recordNum and fileId out; 'keep' writes them empty in their places", () => {
    expect(buildDebtRegistryDigest(base)).toBe(
      'externalId=7beb4b73-ba9d-49e9-9b6d-d9a169ad2638\ndate=2018-02-20\norgName=ООО Ромашка\norgTaxNumber=7707083893',
    );
    expect(buildDebtRegistryDigest(base, { emptyFields: 'keep' })).toBe(
      'externalId=7beb4b73-ba9d-49e9-9b6d-d9a169ad2638\ndate=2018-02-20\nrecordNum=\nfileId=\norgName=ООО Ромашка\norgTaxNumber=7707083893',
    );
    expect(() => buildDebtRegistryDigest(base, { emptyFields: 'blank' as never })).toThrow(/emptyFields/);
  });
});

describe('digest bytes: encoding', () => {
  it("'windows-1251' writes one byte per Cyrillic letter; a character outside it is a typed error", () => {
    expect(Buffer.from(digestBytes('Ромашка №1', 'windows-1251')).toString('hex')).toBe('d0eeece0f8eae020b931');
    expect(Buffer.from(digestBytes('Ромашка', 'utf-8')).length).toBe(14);
    let error: unknown;
    try {
      digestBytes('名', 'windows-1251');
    } catch (e) {
      error = e;
    }
    expect(SberDigestValidationError.isInstance(error) && error.rule).toBe('encoding');
  });

  it('a signature over one encoding does not verify under the other', async () => {
    const utf8 = await signDigest(SEED_DIGEST, signer);
    const cp1251 = await signDigest(SEED_DIGEST, signer, { encoding: 'windows-1251' });
    expect(verifyDigestSignature(SEED_DIGEST, utf8.base64Encoded, { publicKey: alice.publicKey })).toBe(true);
    expect(verifyDigestSignature(SEED_DIGEST, cp1251.base64Encoded, { publicKey: alice.publicKey, encoding: 'windows-1251' })).toBe(true);
    expect(verifyDigestSignature(SEED_DIGEST, cp1251.base64Encoded, { publicKey: alice.publicKey })).toBe(false);
    expect(verifyDigestSignature(SEED_DIGEST, utf8.base64Encoded, { publicKey: alice.publicKey, encoding: 'windows-1251' })).toBe(false);
  });
});
