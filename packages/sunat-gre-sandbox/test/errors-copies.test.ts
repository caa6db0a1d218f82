import { describe, expect, it } from 'vitest';
import { SunatSandboxError } from '../src/index.js';

describe('SunatSandboxError across copies of the package', () => {
  it('an error made by a second copy of the module is recognised here, and instanceof agrees', async () => {
    const copyPath = '../src/errors.ts?copy';
    const copy = (await import(/* @vite-ignore */ copyPath)) as typeof import('../src/errors');
    expect(copy.SunatSandboxError).not.toBe(SunatSandboxError); // really another class
    const cause = new Error('root');
    const foreign = new copy.SunatSandboxError('BAD_OPTION', 'polls must be a whole number', 'state.documents[0].polls', { cause });
    expect(SunatSandboxError.isInstance(foreign) && foreign instanceof SunatSandboxError).toBe(true);
    expect(copy.SunatSandboxError.isInstance(new SunatSandboxError('BAD_OPTION', 'x', 'y'))).toBe(true);
    expect([foreign.name, foreign.code, foreign.field, foreign.cause]).toEqual([
      'SunatSandboxError',
      'BAD_OPTION',
      'state.documents[0].polls',
      cause,
    ]);
    expect(SunatSandboxError.isInstance(new Error('plain'))).toBe(false);
  });
});
