import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { redisUrlOrSkip } from '@internal/testkit';
import { Redis } from 'ioredis';
import type { SberSandbox } from 'sber-api-sandbox';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSberAuth, type SberAuth, SberAuthError, type SberTokenStore, type SberTokens, SberValidationError } from '../src/index.js';
import { redisSberTokenStore } from '../src/redis.js';
import { DEFAULT_CLIENT, login, startSberSandbox } from './sandbox-helpers.js';

const url = redisUrlOrSkip('sber-registry-client/redis tests');

describe.skipIf(!url)('redisSberTokenStore: one refresh chain for many processes', () => {
  let t = Date.now();
  const now = (): number => t;
  let sandbox: SberSandbox;
  const clients: Redis[] = [];
  const connect = (): Redis => {
    const r = new Redis(url!);
    clients.push(r);
    return r;
  };
  beforeAll(async () => {
    sandbox = await startSberSandbox({ now, accessTokenTtlSeconds: 120 });
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.quit().catch(() => undefined)));
    await sandbox.close();
  });
  const tls = (): { pfx: Buffer; passphrase: string } => ({ pfx: sandbox.clientTls.pfx, passphrase: sandbox.clientTls.passphrase });
  const auth = (store: SberTokenStore): SberAuth =>
    createSberAuth({
      environment: { baseUrl: sandbox.url },
      loginBaseUrl: sandbox.loginUrl,
      clientId: DEFAULT_CLIENT.clientId,
      clientSecret: DEFAULT_CLIENT.clientSecret,
      tls: tls(),
      ca: sandbox.ca,
      store,
      now,
      refreshBeforeExpirySeconds: 10,
      retryDelay: { baseMs: 5, maxMs: 50 },
    });
  /** A fresh chain under its own key: logged in once, through the first instance. */
  async function chain(n: number, extra: { lockTtlMs?: number } = {}) {
    const key = `test:sber:${randomBytes(6).toString('hex')}`;
    const stores = Array.from({ length: n }, () => redisSberTokenStore(connect(), { key, ...extra }));
    const auths = stores.map(auth);
    await auths[0]!.exchangeCode(await login(sandbox, auths[0]!), DEFAULT_CLIENT.redirectUri);
    return { key, stores, auths, close: () => Promise.all(auths.map((a) => a.close())) };
  }
  const counts = () => ({
    refreshes: sandbox.stats.refreshes,
    reserve: sandbox.stats.reserveRefreshes,
    refused: sandbox.stats.refusedRefreshes,
  });
  const gen = async (key: string): Promise<number> => Number(await connect().hget(key, 'gen'));

  it('eight instances, each with its own connection, make exactly one refresh per expiry, ten expiries in a row', async () => {
    const c = await chain(8);
    const before = counts();
    const firstGen = await gen(c.key);
    const seen = new Set<string>();
    for (let expiry = 0; expiry < 10; expiry++) {
      const tokens = await Promise.all(c.auths.flatMap((a) => [a.getToken(), a.getToken()]));
      expect(new Set(tokens).size).toBe(1);
      seen.add(tokens[0]!);
      t += 115_000; // past the refresh margin of the 120 s token
    }
    const after = counts();
    expect(after.refreshes - before.refreshes).toBe(9);
    expect(after.reserve - before.reserve).toBe(0);
    expect(after.refused - before.refused).toBe(0);
    expect(seen.size).toBe(10);
    expect((await gen(c.key)) - firstGen).toBe(9);
    await c.close();
  });

  it('a holder that died after Sber rotated: the lock frees itself, the stored token (now the reserve) continues the chain', async () => {
    const c = await chain(2, { lockTtlMs: 300 });
    const redis = connect();
    const stored = JSON.parse((await redis.hget(c.key, 'tokens'))!) as SberTokens;
    // the dead process: took the lock, refreshed at Sber, never saved the answer
    await redis.set(`${c.key}:lock`, 'dead-owner', 'PX', 300);
    const agent = new Agent({ connect: { ca: sandbox.ca, pfx: sandbox.clientTls.pfx, passphrase: sandbox.clientTls.passphrase } });
    const lost = await request(`${sandbox.url}/ic/sso/api/v2/oauth/token`, {
      method: 'POST',
      dispatcher: agent,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: stored.refreshToken,
        client_id: DEFAULT_CLIENT.clientId,
        client_secret: DEFAULT_CLIENT.clientSecret,
      }).toString(),
    });
    expect(lost.statusCode).toBe(200);
    await lost.body.dump();
    await agent.close();
    t += 115_000;
    const before = counts();
    const [a, b] = await Promise.all([c.auths[0]!.getToken(), c.auths[1]!.getToken()]);
    expect(a).toBe(b);
    expect(a).not.toBe(stored.accessToken);
    const after = counts();
    expect([after.refreshes - before.refreshes, after.reserve - before.reserve, after.refused - before.refused]).toEqual([1, 1, 0]);
    // the chain goes on from the pair saved now
    t += 115_000;
    await c.auths[1]!.getToken();
    expect(counts().refused).toBe(before.refused);
    expect(counts().reserve).toBe(after.reserve);
    await c.close();
  });

  it('fencing: a rotation whose generation moved saves nothing and hands back what the other process saved', async () => {
    const c = await chain(2);
    const [mine, other] = c.stores as [SberTokenStore, SberTokenStore];
    const base = (await mine.load())!;
    const theirs: SberTokens = { ...base, accessToken: 'their-access-token-0001', accessTokenExpiresAt: t + 999_000 };
    const result = await mine.rotate!(async () => {
      await other.save(theirs); // e.g. a process that kept refreshing after its lock expired, or a new login
      return { ...base, accessToken: 'lost-race-access-token-1' };
    });
    expect(result?.accessToken).toBe(theirs.accessToken);
    expect((await mine.load())?.accessToken).toBe(theirs.accessToken);
    await c.close();
  });

  it('Redis unreachable: STORE_FAILED, no refresh sent, the stored chain untouched', async () => {
    const c = await chain(1);
    const redis = connect();
    const beforeTokens = await redis.hget(c.key, 'tokens');
    const dead = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true });
    dead.on('error', () => undefined);
    const cut = auth(redisSberTokenStore(dead, { key: c.key }));
    const before = counts();
    const error = await cut.getToken().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(SberAuthError.isInstance(error) && error.code).toBe('STORE_FAILED');
    expect(counts()).toEqual(before);
    expect(await redis.hget(c.key, 'tokens')).toBe(beforeTokens);
    const shown = [String((error as Error).message), inspect(error, { depth: 10 }), JSON.stringify(error)].join('\n');
    expect(shown).not.toContain(JSON.parse(beforeTokens!).refreshToken);
    expect(shown).not.toContain(DEFAULT_CLIENT.clientSecret);
    dead.disconnect();
    await cut.close();
    await c.close();
  });

  it('waitReplicas: a pair no replica acknowledged is not handed out (STORE_FAILED), though it is in Redis', async () => {
    const c = await chain(1);
    const lonely = auth(redisSberTokenStore(connect(), { key: c.key, waitReplicas: 1, lockWaitMs: 200 }));
    t += 115_000;
    const error = await lonely.getToken().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(SberAuthError.isInstance(error) && error.code).toBe('STORE_FAILED');
    expect(String((error as Error).message)).toMatch(/0 of 1 replicas/);
    await lonely.close();
    await c.close();
  });

  it('names bad options; inspect shows the key only', () => {
    expect(() => redisSberTokenStore({} as Redis, { key: 'k' })).toThrow(SberValidationError);
    expect(() => redisSberTokenStore(connect(), { key: '' })).toThrow(/key/);
    expect(() => redisSberTokenStore(connect(), { key: 'k', lockTtlMs: 1 })).toThrow(/lockTtlMs/);
    expect(inspect(redisSberTokenStore(connect(), { key: 'sber:1' }))).toBe('SberTokenStore(redis sber:1)');
  });
});
