import { describe, expect, it } from 'vitest';
import { SberSandboxError, startSberSandbox } from '../src/index.js';

describe('SberSandboxError across copies of the package', () => {
  it('an error made by a second copy of the module is recognised here, and instanceof agrees', async () => {
    const copyPath = '../src/errors.ts?copy';
    const copy = (await import(/* @vite-ignore */ copyPath)) as typeof import('../src/errors');
    expect(copy.SberSandboxError).not.toBe(SberSandboxError); // really another class
    const foreign = new copy.SberSandboxError('BAD_OPTION', 'pollsPerStatus must be a positive integer', 'pollsPerStatus');
    expect(SberSandboxError.isInstance(foreign) && foreign instanceof SberSandboxError).toBe(true);
    expect(copy.SberSandboxError.isInstance(new SberSandboxError('CLOSED', 'x'))).toBe(true);
    expect([foreign.name, foreign.code, foreign.field]).toEqual(['SberSandboxError', 'BAD_OPTION', 'pollsPerStatus']);
    expect(SberSandboxError.isInstance(new Error('plain'))).toBe(false);
  });

  it('authorize for an unknown client chains the SSO refusal as an Error cause', async () => {
    const sandbox = await startSberSandbox();
    try {
      const error = await sandbox
        .authorize({ clientId: 'nobody', scope: 'openid', redirectUri: 'https://example.test/cb' })
        .catch((e: unknown) => e);
      expect(SberSandboxError.isInstance(error) && error.code).toBe('UNKNOWN_CLIENT');
      const cause = (error as SberSandboxError).cause;
      expect(cause).toBeInstanceOf(Error);
      expect((cause as Error).message).toMatch(/Unknown client_id nobody/);
    } finally {
      await sandbox.close();
    }
  });
});
