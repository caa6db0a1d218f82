import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  createSberAuth,
  memorySberTokenStore,
  SberAuthError,
  type SberTokenStore,
  type SberTokens,
  SberValidationError,
} from '../src/index.js';
import { fakeSso, ORIGIN } from './fake-sso.js';

const SECRET = 'client-secret-123';

function setup(o: { store?: SberTokenStore; now?: () => number } = {}) {
  const sso = fakeSso({ clientSecret: SECRET });
  const store = o.store ?? memorySberTokenStore();
  const auth = createSberAuth({
    environment: { baseUrl: ORIGIN },
    clientId: '7710000001',
    clientSecret: SECRET,
    dispatcher: sso.agent,
    store,
    retryDelay: { baseMs: 1, maxMs: 5 },
    now: o.now,
  });
  return { ...sso, store, auth };
}

describe('createSberAuth: validation', () => {
  it('names the field and the rule, before any request', () => {
    const store = memorySberTokenStore();
    const bad = [
      [{ environment: { baseUrl: 'http://x' }, clientId: 'a', clientSecret: 'b', store }, 'environment.baseUrl'],
      [{ clientId: 'a', clientSecret: 'b', store }, 'environment'],
      [{ baseUrl: ORIGIN, clientId: 'a', clientSecret: 'b', store }, 'baseUrl'],
      [{ environment: { baseUrl: ORIGIN }, clientId: '', clientSecret: 'b', store }, 'clientId'],
      [{ environment: { baseUrl: ORIGIN }, clientId: 'a', clientSecret: undefined, store }, 'clientSecret'],
      [{ environment: { baseUrl: ORIGIN }, clientId: 'a', clientSecret: 'b', store: {} }, 'store'],
      [{ environment: { baseUrl: ORIGIN }, clientId: 'a', clientSecret: 'b', store }, 'tls'],
      [
        { environment: { baseUrl: ORIGIN }, clientId: 'a', clientSecret: 'b', store, tls: { pfx: new Uint8Array(), passphrase: 'x' } },
        'tls.pfx',
      ],
      [
        {
          environment: { baseUrl: ORIGIN },
          clientId: 'a',
          clientSecret: 'b',
          store,
          tls: { cert: 'c', key: 'k', rejectUnauthorized: false },
        },
        'tls.rejectUnauthorized',
      ],
    ] as const;
    for (const [options, field] of bad) {
      expect(() => createSberAuth(options as never), field).toThrow(expect.objectContaining({ field, code: 'VALIDATION' }));
    }
  });

  it('builds the authorization URL on the login host', () => {
    const { auth } = setup();
    const url = new URL(
      auth.authorizationUrl({ scope: 'openid DEBT_REGISTRY', state: 's1', nonce: 'n1', redirectUri: 'https://app.example/cb' }),
    );
    expect(url.origin + url.pathname).toBe(`${ORIGIN}/ic/sso/api/v2/oauth/authorize`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      scope: 'openid DEBT_REGISTRY',
      response_type: 'code',
      client_id: '7710000001',
      redirect_uri: 'https://app.example/cb',
      state: 's1',
      nonce: 'n1',
    });
    const prod = createSberAuth({
      environment: 'production',
      clientId: 'a',
      clientSecret: 'b',
      store: memorySberTokenStore(),
      dispatcher: fakeSso().agent,
    });
    expect(prod.authorizationUrl({ scope: 'openid', state: 's', nonce: 'n', redirectUri: 'https://x/cb' })).toMatch(
      /^https:\/\/sbi\.sberbank\.ru:9443\/ic\/sso\/api\/v2\/oauth\/authorize\?/,
    );
    const test = createSberAuth({
      environment: 'test',
      clientId: 'a',
      clientSecret: 'b',
      store: memorySberTokenStore(),
      dispatcher: fakeSso().agent,
    });
    expect(test.authorizationUrl({ scope: 'openid', state: 's', nonce: 'n', redirectUri: 'https://x/cb' })).toMatch(
      /^https:\/\/efs-sbbol-ift-web\.testsbi\.sberbank\.ru:9443\//,
    );
    expect(() => auth.authorizationUrl({ scope: 'openid', state: '', nonce: 'n', redirectUri: 'https://x' })).toThrow(
      expect.objectContaining({ field: 'state' }),
    );
    expect(() => auth.authorizationUrl({ scope: 'openid', state: 's', nonce: 'n', redirectUri: 'not a url' })).toThrow(
      expect.objectContaining({ field: 'redirectUri' }),
    );
  });
});

describe('createSberAuth: tokens and rotation', () => {
  it('exchanges the code, stores the pair, and serves the access token from memory', async () => {
    const { auth, store, state } = setup();
    await auth.exchangeCode('good-code', 'https://app/cb');
    const stored = (await store.load())!;
    expect(stored.accessToken).toBe('access-token-1-abcdefgh');
    expect(await auth.getToken()).toBe('access-token-1-abcdefgh');
    expect(state.issued).toBe(1);
  });

  it('says LOGIN_REQUIRED when the store is empty', async () => {
    const { auth } = setup();
    await expect(auth.getToken()).rejects.toSatisfy((e) => SberAuthError.isInstance(e) && e.code === 'LOGIN_REQUIRED');
  });

  it('concurrent callers share one refresh; the new refresh token and its reserve are stored', async () => {
    const { auth, store, state } = setup();
    await auth.exchangeCode('good-code', 'https://app/cb');
    auth.invalidate();
    const tokens = await Promise.all(Array.from({ length: 20 }, () => auth.getToken()));
    expect(new Set(tokens)).toEqual(new Set(['access-token-2-abcdefgh']));
    expect(state.refreshRequests).toEqual(['refresh-token-1-abcdefgh']);
    expect(await store.load()).toMatchObject({ refreshToken: 'refresh-token-2-abcdefgh', reserveRefreshToken: 'refresh-token-1-abcdefgh' });
  });

  it('persists the new refresh token before the access token is handed out', async () => {
    const inner = memorySberTokenStore();
    let release: () => void = () => undefined;
    let hold = false;
    let saving: () => void = () => undefined;
    const held = new Promise<void>((r) => (saving = r));
    const store: SberTokenStore = {
      load: () => inner.load(),
      save: async (t: SberTokens) => {
        if (hold) {
          const released = new Promise<void>((r) => (release = r));
          saving();
          await released;
        }
        await inner.save(t);
      },
    };
    const { auth } = setup({ store });
    await auth.exchangeCode('good-code', 'https://app/cb');
    auth.invalidate();
    hold = true;
    let handed: string | undefined;
    const p = auth.getToken().then((t) => (handed = t));
    // the refresh has reached save(): only now is "not handed out yet" meaningful, and release() real
    await held;
    await new Promise((r) => setTimeout(r, 30));
    expect(handed).toBeUndefined();
    expect((await inner.load())!.refreshToken).toBe('refresh-token-1-abcdefgh');
    release();
    await p;
    expect(handed).toBe('access-token-2-abcdefgh');
    expect((await inner.load())!.refreshToken).toBe('refresh-token-2-abcdefgh');
  });

  it('a failed save is STORE_FAILED; the next call saves again without a new refresh', async () => {
    const inner = memorySberTokenStore();
    let fail = false;
    const store: SberTokenStore = {
      load: () => inner.load(),
      save: async (t) => (fail ? Promise.reject(new Error('disk full')) : inner.save(t)),
    };
    const { auth, state } = setup({ store });
    await auth.exchangeCode('good-code', 'https://app/cb');
    auth.invalidate();
    fail = true;
    await expect(auth.getToken()).rejects.toSatisfy((e) => SberAuthError.isInstance(e) && e.code === 'STORE_FAILED');
    fail = false;
    expect(await auth.getToken()).toBe('access-token-2-abcdefgh');
    expect(state.issued).toBe(2);
    expect((await inner.load())!.refreshToken).toBe('refresh-token-2-abcdefgh');
  });

  it('a lost refresh answer is retried with the same (now reserve) token; the newest pair is stored', async () => {
    const { auth, store, state } = setup();
    await auth.exchangeCode('good-code', 'https://app/cb');
    auth.invalidate();
    state.lose = 1;
    expect(await auth.getToken()).toBe('access-token-3-abcdefgh');
    expect(state.refreshRequests).toEqual(['refresh-token-1-abcdefgh', 'refresh-token-1-abcdefgh']);
    expect((await store.load())!.refreshToken).toBe('refresh-token-3-abcdefgh');
  });

  it('falls back on the stored reserve within its hour, then requires a login', async () => {
    let clock = 1_000_000;
    const { auth, store, state } = setup({ now: () => clock });
    await auth.exchangeCode('good-code', 'https://app/cb');
    auth.invalidate();
    await auth.getToken(); // pair 2, reserve = refresh 1
    state.refuse.add('refresh-token-2-abcdefgh');
    auth.invalidate();
    expect(await auth.getToken()).toBe('access-token-3-abcdefgh');
    expect(state.refreshRequests.slice(-2)).toEqual(['refresh-token-2-abcdefgh', 'refresh-token-1-abcdefgh']);
    expect(await store.load()).toMatchObject({ refreshToken: 'refresh-token-3-abcdefgh', reserveRefreshToken: 'refresh-token-1-abcdefgh' });
    state.refuse.add('refresh-token-3-abcdefgh');
    clock += 3_600_001;
    await expect(auth.getToken()).rejects.toSatisfy((e) => SberAuthError.isInstance(e) && e.code === 'LOGIN_REQUIRED');
  });

  it('refreshes ahead of expiry', async () => {
    let clock = 0;
    const { auth, state } = setup({ now: () => clock });
    await auth.exchangeCode('good-code', 'https://app/cb');
    clock = 3_600_000 - 59_000;
    expect(await auth.getToken()).toBe('access-token-2-abcdefgh');
    expect(state.issued).toBe(2);
  });

  it('changes the client secret through the query string and uses the new one afterwards', async () => {
    const { auth, state } = setup();
    await auth.exchangeCode('good-code', 'https://app/cb');
    await expect(auth.changeClientSecret(SECRET)).rejects.toThrow(SberValidationError);
    expect(await auth.changeClientSecret('new-secret-456')).toEqual({ clientSecretExpirationDays: 40 });
    expect(Object.fromEntries(state.changeQueries[0]!)).toEqual({
      access_token: 'access-token-1-abcdefgh',
      client_id: '7710000001',
      client_secret: SECRET,
      new_client_secret: 'new-secret-456',
    });
    auth.invalidate();
    expect(await auth.getToken()).toBe('access-token-2-abcdefgh');
  });

  it('keeps secrets out of errors, inspect and hooks', async () => {
    const events: unknown[] = [];
    const sso = fakeSso({ clientSecret: 'another-secret' });
    const auth = createSberAuth({
      environment: { baseUrl: ORIGIN },
      clientId: '7710000001',
      clientSecret: SECRET,
      dispatcher: sso.agent,
      store: memorySberTokenStore(),
      hooks: { onRequest: (e) => events.push(e), onResponse: (e) => events.push(e), onRetry: (e) => events.push(e) },
    });
    const err = await auth.exchangeCode('good-code', 'https://app/cb').catch((e: unknown) => e);
    expect(SberAuthError.isInstance(err) && err.error).toBe('invalid_client');
    const text = [
      inspect(auth, { depth: 10, showHidden: true }),
      JSON.stringify(auth),
      inspect(err, { depth: 10 }),
      JSON.stringify(err),
      (err as Error).stack,
      JSON.stringify(events),
    ].join('\n');
    expect(text).not.toContain(SECRET);
    expect(events.length).toBeGreaterThan(0);
  });
});
