import { describe, expect, it } from 'vitest';
import { createSberAuth, createSberClient, memorySberTokenStore } from '../src/index.js';
import { fakeSso, ORIGIN } from './fake-sso.js';

const ID = '7beb4b73-ba9d-49e9-9b6d-d9a169ad2638';
const STATE = `/fintech/api/v1/debt-registries/${ID}/state`;

// Issue 18.4: a throwing onStatus ended waitForFinalState (sunat-gre-client already guarded its onPoll).
describe("a caller's callback that throws", () => {
  it('never ends waitForFinalState nor loses its result; its error is reported through hooks.onHookError', async () => {
    const sso = fakeSso();
    const store = memorySberTokenStore({
      accessToken: 'access-token-0-abcdefgh',
      accessTokenExpiresAt: Date.now() + 3_600_000,
      refreshToken: 'refresh-token-0-abcdefgh',
    });
    const auth = createSberAuth({
      environment: { baseUrl: ORIGIN },
      clientId: '7710000001',
      clientSecret: 'client-secret-123',
      dispatcher: sso.agent,
      store,
    });
    const reported: { hook: string; error: unknown }[] = [];
    const client = createSberClient({
      environment: { baseUrl: ORIGIN },
      auth,
      dispatcher: sso.agent,
      pollDelay: { initialMs: 1, maxMs: 4 },
      hooks: {
        onRequest: () => {
          throw new Error('a broken onRequest hook');
        },
        onHookError: (e) => reported.push(e),
      },
    });
    for (const s of ['CREATED', 'SIGNED', 'IMPLEMENTED']) sso.pool.intercept({ path: STATE, method: 'GET' }).reply(200, { bankStatus: s });
    const seen: string[] = [];
    const boom = new Error('the caller broke');
    const final = await client.debtRegistries.waitForFinalState(ID, {
      onStatus: (s) => {
        seen.push(String(s.bankStatus));
        throw boom;
      },
    });
    expect(final.bankStatus).toBe('IMPLEMENTED');
    expect(seen).toEqual(['CREATED', 'SIGNED', 'IMPLEMENTED']);
    expect(reported.filter((r) => r.hook === 'onStatus').map((r) => r.error)).toEqual([boom, boom, boom]);
    expect(reported.filter((r) => r.hook === 'onRequest')).toHaveLength(3);
  });
});
