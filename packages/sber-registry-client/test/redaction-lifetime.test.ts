import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createSberAuth, SberAuthError, type SberTokens } from '../src/index.js';
import { fakeSso, ORIGIN } from './fake-sso.js';

const SECRET = 'client-secret-of-a-long-lived-auth-7Qw';

// Issue 18.1: secrets lived in one process-wide set of 4,096 that dropped the oldest first, and the client secret is
// registered first: after 4,096 token registrations an error echoing the bare client secret showed it.
describe('a long-lived SberAuth', () => {
  it('still redacts its client secret after more than 4,096 tokens went through it', async () => {
    const sso = fakeSso({ clientSecret: 'the-secret-the-bank-expects' }); // refuses ours, echoing it bare
    let n = 0;
    let rotating = true;
    const pair = (i: number, fresh: boolean): SberTokens => ({
      accessToken: `access-token-${i}-abcdefgh`,
      accessTokenExpiresAt: fresh ? Date.now() + 3_600_000 : 0,
      refreshToken: `refresh-token-${i}-abcdefgh`,
      refreshTokenExpiresAt: Date.now() + 86_400_000,
    });
    // another process sharing the store rotates the pair before each of our refreshes: 2 new tokens each time
    const store = { load: async () => (rotating ? pair(++n, true) : pair(n, false)), save: async () => undefined };
    const auth = createSberAuth({
      environment: { baseUrl: ORIGIN },
      clientId: '7710000001',
      clientSecret: SECRET,
      dispatcher: sso.agent,
      store,
      maxRetries: 0,
    });
    while (n < 2100) {
      await auth.getToken();
      await auth.invalidate();
    }
    rotating = false;
    const error = await auth.getToken().catch((e: unknown) => e);
    expect(SberAuthError.isInstance(error) && error.code === 'OAUTH_ERROR', String(error)).toBe(true);
    const shown = [
      (error as Error).message,
      (error as Error).stack,
      JSON.stringify(error),
      inspect(error, { depth: 10, showHidden: true }),
    ].join('\n');
    expect(shown).toContain('bad secret');
    expect(shown).not.toContain(SECRET);
  });
});
