import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { redisUrlOrSkip } from '@internal/testkit';
import { Redis } from 'ioredis';
import { type SandboxClient, type SunatSandbox, startSunatSandbox } from 'sunat-gre-sandbox';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSunatAuth, SunatAuthError, type SunatAuthOptions, SunatAuthValidationError } from '../src/index.js';
import { redisTokenStore } from '../src/redis.js';

const url = redisUrlOrSkip('oauth-sunat/redis tests');
const CLIENT: SandboxClient = {
  clientId: 'c1a2b3c4-0000-4000-8000-0000000000aa',
  clientSecret: 'redis-Cl13nt-S3cret',
  ruc: '20000000001',
  solUser: 'MODDATOS',
  solPassword: 'S0l-P4ss',
};

describe.skipIf(!url)('redisTokenStore: one token for many processes', () => {
  let sandbox: SunatSandbox;
  let agent: Agent;
  const clients: Redis[] = [];
  const connect = (): Redis => {
    const r = new Redis(url!, { lazyConnect: false });
    clients.push(r);
    return r;
  };
  beforeAll(async () => {
    sandbox = await startSunatSandbox({ clients: [CLIENT], tokenTtlSeconds: 3600 });
    agent = new Agent({ connect: { ca: sandbox.ca } });
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.quit().catch(() => undefined)));
    await agent.close();
    await sandbox.close();
  });
  const options = (store: SunatAuthOptions['store']): SunatAuthOptions => ({
    clientId: CLIENT.clientId,
    clientSecret: CLIENT.clientSecret,
    ruc: CLIENT.ruc,
    solUser: CLIENT.solUser,
    solPassword: CLIENT.solPassword,
    baseUrl: sandbox.authUrl,
    dispatcher: agent,
    store,
  });
  const prefix = (): string => `test:${randomBytes(6).toString('hex')}:`;

  it('eight instances, each with its own connection (as separate processes have), make one token request', async () => {
    const p = prefix();
    const auths = Array.from({ length: 8 }, () => createSunatAuth(options(redisTokenStore(connect(), { prefix: p }))));
    const before = sandbox.stats.tokenRequests;
    const tokens = await Promise.all(auths.flatMap((a) => [a.getToken(), a.getToken()]));
    expect(new Set(tokens).size).toBe(1);
    expect(sandbox.stats.tokenRequests - before).toBe(1);
    // stored with its expiry, and no lock left behind
    const keys = await connect().keys(`${p}*`);
    expect(keys).toHaveLength(1);
    const pttl = await connect().pttl(keys[0]!);
    expect(pttl).toBeGreaterThan(3_500_000);
    expect(pttl).toBeLessThanOrEqual(3_600_000);
  });

  it('a forced refresh across instances replaces the token once, and every instance then reads the new one', async () => {
    const p = prefix();
    const [a, b] = [
      createSunatAuth(options(redisTokenStore(connect(), { prefix: p }))),
      createSunatAuth(options(redisTokenStore(connect(), { prefix: p }))),
    ];
    const first = await a.getToken();
    const before = sandbox.stats.tokenRequests;
    const second = await b.getToken({ forceRefresh: true });
    expect(second).not.toBe(first);
    expect(await a.getToken()).toBe(second);
    expect(sandbox.stats.tokenRequests - before).toBe(1);
  });

  it('a lock whose holder died frees itself after lockTtlMs, and the waiter then asks SUNAT itself', async () => {
    const p = prefix();
    const redis = connect();
    const store = redisTokenStore(redis, { prefix: p, lockTtlMs: 300 });
    const auth = createSunatAuth(options(store));
    // a "dead holder": the lock key exists, nobody extends or releases it
    const keyOf = async (): Promise<string> => {
      await auth.getToken();
      const [key] = await redis.keys(`${p}*`);
      await redis.del(key!);
      return key!;
    };
    const key = await keyOf();
    await redis.set(`${key}:lock`, 'someone-dead', 'PX', 300);
    const before = sandbox.stats.tokenRequests;
    const token = await auth.getToken();
    expect(token.split('.')).toHaveLength(3);
    expect(sandbox.stats.tokenRequests - before).toBe(1);
    expect(await redis.get(`${key}:lock`)).toBeNull();
  });

  it('a waiter gives up at its deadline with a typed TIMEOUT while another holds the lock', async () => {
    const p = prefix();
    const redis = connect();
    const auth = createSunatAuth({ ...options(redisTokenStore(redis, { prefix: p })), timeoutMs: 400 });
    await auth.getToken();
    const [key] = await redis.keys(`${p}*`);
    await redis.del(key!);
    await redis.set(`${key}:lock`, 'busy', 'PX', 60_000);
    const error = await auth.getToken().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(SunatAuthError.isInstance(error) && error.code).toBe('TIMEOUT');
    await redis.del(`${key}:lock`);
  });

  it('Redis unreachable: a typed STORE_FAILED error without the token or secrets', async () => {
    const dead = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true });
    dead.on('error', () => undefined);
    const auth = createSunatAuth(options(redisTokenStore(dead)));
    const error = await auth.getToken().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(SunatAuthError.isInstance(error) && error.code).toBe('STORE_FAILED');
    const shown = [String((error as Error).message), inspect(error, { depth: 10 }), JSON.stringify(error)].join('\n');
    for (const secret of [CLIENT.clientSecret, CLIENT.solPassword]) expect(shown).not.toContain(secret);
    dead.disconnect();
  });

  it('names a bad option, and inspect shows no connection details', () => {
    expect(() => redisTokenStore({} as Redis)).toThrow(SunatAuthValidationError);
    expect(() => redisTokenStore(connect(), { lockTtlMs: 5 })).toThrow(/lockTtlMs/);
    expect(inspect(redisTokenStore(connect(), { prefix: 'x:' }))).toBe('TokenStore(redis x:)');
  });
});
