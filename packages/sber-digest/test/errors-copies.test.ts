import { describe, expect, it } from 'vitest';
import {
  type DigestSigner,
  SberDigestAbortError,
  SberDigestCommandError,
  SberDigestError,
  SberDigestValidationError,
  signDigest,
} from '../src/index.js';

const UUID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';

describe('sber-digest errors across copies of the package', () => {
  it('errors made by a second copy of the module are recognised here, and instanceof agrees', async () => {
    const copyPath = '../src/errors.ts?copy';
    const copy = (await import(/* @vite-ignore */ copyPath)) as typeof import('../src/errors');
    expect(copy.SberDigestError).not.toBe(SberDigestError); // really another class
    const validation = new copy.SberDigestValidationError('orgTaxNumber', 'inn', 'wrong check digit');
    const command = new copy.SberDigestCommandError('COMMAND_FAILED', 'exit 1', { exitCode: 1 });
    expect(
      SberDigestValidationError.isInstance(validation) &&
        validation instanceof SberDigestValidationError &&
        validation instanceof SberDigestError,
    ).toBe(true);
    expect(SberDigestCommandError.isInstance(command) && command instanceof SberDigestError).toBe(true);
    expect(SberDigestCommandError.isInstance(validation) || validation instanceof SberDigestCommandError).toBe(false);
    expect(copy.SberDigestError.isInstance(new SberDigestError('BAD_OPTIONS', 'x'))).toBe(true);
    expect([validation.name, validation.code, command.name]).toEqual(['SberDigestValidationError', 'VALIDATION', 'SberDigestCommandError']);
  });

  it('a failing signer is chained as an Error cause; an abort is named AbortError and stays a SberDigestError', async () => {
    const boom = new Error('token not inserted');
    const failing: DigestSigner = { certificateUuid: UUID, sign: () => Promise.reject(boom) };
    const failed = await signDigest('a=b', failing).catch((e: unknown) => e);
    expect(SberDigestError.isInstance(failed) && failed.code).toBe('SIGN_FAILED');
    expect((failed as SberDigestError).cause).toBe(boom);
    const reason = new Error('user left');
    const aborted = await signDigest('a=b', failing, { signal: AbortSignal.abort(reason) }).catch((e: unknown) => e);
    expect(aborted instanceof SberDigestAbortError && aborted instanceof SberDigestError).toBe(true);
    expect([(aborted as Error).name, (aborted as SberDigestError).code, (aborted as Error).cause]).toEqual([
      'AbortError',
      'ABORTED',
      reason,
    ]);
  });
});
