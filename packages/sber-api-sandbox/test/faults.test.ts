import { Agent } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type SberSandbox, startSberSandbox } from '../src/index.js';
import { agentFor, call, createJson, DEFAULT_CLIENT, form, getState, login, registry, withSandbox } from './helpers.js';

const crypto = (url: string) => `${url}/fintech/api/v1/crypto`;

describe('faults on demand', () => {
  let sandbox: SberSandbox;
  let agent: Agent;
  beforeAll(async () => {
    sandbox = await startSberSandbox();
    agent = agentFor(sandbox);
  });
  afterEach(() => sandbox.faults.clear());
  afterAll(async () => {
    await agent.close();
    await sandbox.close();
  });
  const shared = (fn: (sandbox: SberSandbox, agent: Agent) => Promise<void>) => fn(sandbox, agent);
  it("status503 on create: Sber's body, Retry-After, nothing stored", async () => {
    await shared(async (sandbox, agent) => {
      const { access_token } = await login(sandbox, agent);
      sandbox.faults.inject({ on: 'create', kind: 'status503', retryAfterSeconds: 3 });
      const body = registry();
      const r = await createJson(sandbox, agent, access_token, body);
      expect(r.status).toBe(503);
      expect(r.json).toEqual({
        cause: 'UNAVAILABLE_RESOURCE_EXCEPTION',
        referenceId: expect.any(String),
        message: 'Сервис временно недоступен',
      });
      expect(r.headers['retry-after']).toBe('3');
      expect(r.headers['x-request-id']).toEqual(expect.any(String));
      expect(sandbox.stats.registries.has(body.externalId as string)).toBe(false);
      expect((await createJson(sandbox, agent, access_token, body)).status).toBe(201); // count defaults to 1
    });
  });

  it('status500 and status429 on the token endpoint use {cause, referenceId, message}', async () => {
    await withSandbox(
      {
        faults: [
          { on: 'token', kind: 'status500' },
          { on: 'token', kind: 'status429', retryAfterSeconds: 1 },
        ],
      },
      async (sandbox, agent) => {
        const code = await sandbox.authorize({
          clientId: DEFAULT_CLIENT.clientId,
          scope: 'openid DEBT_REGISTRY',
          redirectUri: DEFAULT_CLIENT.redirectUri,
        });
        const exchange = () =>
          call(agent, `${sandbox.url}/ic/sso/api/v2/oauth/token`, {
            method: 'POST',
            ...form({
              grant_type: 'authorization_code',
              code,
              redirect_uri: DEFAULT_CLIENT.redirectUri,
              client_id: DEFAULT_CLIENT.clientId,
              client_secret: DEFAULT_CLIENT.clientSecret,
            }),
          });
        const first = await exchange();
        expect(first.status).toBe(500);
        expect(first.json).toEqual({ cause: 'UNKNOWN_EXCEPTION', referenceId: expect.any(String), message: 'Внутренняя ошибка сервера' });
        const second = await exchange();
        expect(second.status).toBe(429);
        expect(second.json.cause).toBe('TOO_MANY_REQUESTS');
        expect(second.headers['retry-after']).toBe('1');
        expect((await exchange()).status).toBe(200); // the code was not consumed by the faults
      },
    );
  });

  it('reset destroys the socket before any work', async () => {
    await shared(async (sandbox, agent) => {
      const { access_token } = await login(sandbox, agent);
      const body = registry();
      sandbox.faults.inject({ on: 'create', kind: 'reset' });
      await expect(createJson(sandbox, agent, access_token, body)).rejects.toThrow();
      expect(sandbox.stats.registries.has(body.externalId as string)).toBe(false);
      expect((await createJson(sandbox, agent, access_token, body)).status).toBe(201);
    });
  });

  it('resetAfterStore stores the registry, then loses the answer: a resend is a duplicate, the state is there', async () => {
    await shared(async (sandbox, agent) => {
      const { access_token } = await login(sandbox, agent);
      const body = registry();
      sandbox.faults.inject({ on: 'create', kind: 'resetAfterStore' });
      await expect(createJson(sandbox, agent, access_token, body)).rejects.toThrow();
      expect(sandbox.stats.registries.get(body.externalId as string)).toBe(1);
      expect((await getState(sandbox, agent, access_token, body.externalId as string)).json.bankStatus).toBe('CREATED');
      const resend = await createJson(sandbox, agent, access_token, body);
      expect(resend.json.cause).toBe('WORKFLOW_FAULT');
      expect(sandbox.stats.registries.get(body.externalId as string)).toBe(1);
    });
  });

  it('slow delays the answer (a client timeout fires), then answers normally', async () => {
    await shared(async (sandbox, agent) => {
      const { access_token } = await login(sandbox, agent);
      sandbox.faults.inject({ on: 'crypto', kind: 'slow', delayMs: 1500 });
      const impatient = new Agent({
        connect: { ca: sandbox.ca, cert: sandbox.clientTls.cert, key: sandbox.clientTls.key },
        headersTimeout: 200,
      });
      await expect(call(impatient, crypto(sandbox.url), { headers: { authorization: `Bearer ${access_token}` } })).rejects.toMatchObject({
        code: 'UND_ERR_HEADERS_TIMEOUT',
      });
      await impatient.close();
      sandbox.faults.inject({ on: 'crypto', kind: 'slow', delayMs: 50 });
      expect((await call(agent, crypto(sandbox.url), { headers: { authorization: `Bearer ${access_token}` } })).status).toBe(200);
    });
  });

  it('faults on files and state, count, and clear()', async () => {
    await shared(async (sandbox, agent) => {
      const { access_token } = await login(sandbox, agent);
      const auth = { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' };
      sandbox.faults.inject({ on: 'files', kind: 'status500', count: 2 });
      const upload = () =>
        call(agent, `${sandbox.url}/fintech/api/v1/files/upload`, {
          method: 'POST',
          headers: auth,
          body: JSON.stringify({ type: 'DEBT_REGISTRY', subType: 'TXT' }),
        });
      expect((await upload()).status).toBe(500);
      expect((await upload()).status).toBe(500);
      expect((await upload()).status).toBe(201);
      sandbox.faults.inject({ on: 'state', kind: 'status503', probability: 1 });
      expect((await getState(sandbox, agent, access_token, 'x')).status).toBe(503);
      expect((await getState(sandbox, agent, access_token, 'x')).status).toBe(503);
      sandbox.faults.clear();
      expect((await getState(sandbox, agent, access_token, 'x')).status).toBe(404);
    });
  });

  it('probabilistic faults on any endpoint follow the seed', async () => {
    async function pattern(seed: number): Promise<number[]> {
      const sandbox = await startSberSandbox({ seed, faults: [{ on: 'any', kind: 'status503', probability: 0.5 }] });
      const agent = agentFor(sandbox);
      const statuses: number[] = [];
      for (let i = 0; i < 24; i++) statuses.push((await call(agent, crypto(sandbox.url))).status);
      await agent.close();
      await sandbox.close();
      return statuses;
    }
    const a = await pattern(42);
    expect(a.filter((s) => s === 503).length).toBeGreaterThan(0);
    expect(a.filter((s) => s === 401).length).toBeGreaterThan(0);
    expect(await pattern(42)).toEqual(a);
  });

  it('rejects malformed rules', async () => {
    await shared(async (sandbox) => {
      expect(() => sandbox.faults.inject({ on: 'nowhere' as never, kind: 'reset' })).toThrow(/fault.on/);
      expect(() => sandbox.faults.inject({ on: 'any', kind: 'explode' as never })).toThrow(/fault.kind/);
      expect(() => sandbox.faults.inject({ on: 'any', kind: 'reset', probability: 2 })).toThrow(/probability/);
      expect(() => sandbox.faults.inject({ on: 'any', kind: 'reset', count: 0 })).toThrow(/count/);
    });
  });
});
