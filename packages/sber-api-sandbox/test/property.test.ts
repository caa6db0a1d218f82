import fc from 'fast-check';
import type { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SberSandbox, startSberSandbox } from '../src/index.js';
import { agentFor, call, login } from './helpers.js';

const runs = Number(process.env.FUZZ_RUNS ?? 300);

describe('random requests never crash the server', () => {
  let sandbox: SberSandbox;
  let agent: Agent;
  let token: string;
  beforeAll(async () => {
    sandbox = await startSberSandbox();
    agent = agentFor(sandbox);
    token = (await login(sandbox, agent)).access_token;
  });
  afterAll(async () => {
    await agent.close();
    await sandbox.close();
  });

  const registryLike = fc.record(
    {
      externalId: fc.oneof(fc.uuid(), fc.string(), fc.integer()),
      date: fc.oneof(fc.constant('2026-11-20'), fc.string(), fc.constant(null)),
      orgName: fc.oneof(fc.string(), fc.constant(null), fc.integer()),
      orgTaxNumber: fc.oneof(fc.constant('7707083893'), fc.string({ unit: fc.constantFrom('0', '1', '7', '9'), maxLength: 13 })),
      recordNum: fc.oneof(fc.string(), fc.integer(), fc.double()),
      bfAttachments: fc.anything(),
      digestSignatures: fc.oneof(fc.anything(), fc.array(fc.record({ base64Encoded: fc.base64String(), certificateUuid: fc.uuid() }))),
    },
    { requiredKeys: [] },
  );
  const body = fc.oneof(
    fc.uint8Array({ maxLength: 300 }),
    fc.string({ unit: 'binary', maxLength: 300 }),
    fc.json(),
    registryLike.map((r) => JSON.stringify(r)),
    fc.tuple(fc.base64String(), fc.base64String(), fc.base64String()).map((p) => p.map((s) => s.replace(/=/g, '')).join('.')),
  );

  it('creates: always a JSON error with a cause (or a stored document)', async () => {
    await fc.assert(
      fc.asyncProperty(body, fc.constantFrom('application/json', 'application/jose', 'text/plain', ''), async (payload, type) => {
        const headers: Record<string, string> = { authorization: `Bearer ${token}` };
        if (type) headers['content-type'] = type;
        const r = await call(agent, `${sandbox.url}/fintech/api/v1/debt-registries`, { method: 'POST', headers, body: payload });
        expect(r.headers['x-request-id']).toBeTruthy();
        if (r.status === 201) {
          expect(r.json.bankStatus).toBe('CREATED');
          return;
        }
        expect(r.status).toBeGreaterThanOrEqual(400);
        expect(r.status).toBeLessThan(500);
        expect(typeof r.json.cause).toBe('string');
        expect(typeof r.json.message).toBe('string');
        expect(typeof r.json.referenceId).toBe('string');
      }),
      { numRuns: runs },
    );
  });

  it('token endpoint and other paths: always JSON with error or cause', async () => {
    const path = fc.oneof(
      fc.constantFrom(
        '/ic/sso/api/v2/oauth/token',
        '/ic/sso/api/v1/change-client-secret',
        '/ic/sso/api/v2/oauth/authorize',
        '/fintech/api/v1/crypto',
        '/fintech/api/v1/files/upload',
      ),
      fc.webPath(),
      fc.string({ maxLength: 40 }).map((s) => `/fintech/api/v1/debt-registries/${encodeURIComponent(s)}/state`),
    );
    await fc.assert(
      fc.asyncProperty(
        path,
        fc.webQueryParameters(),
        fc.constantFrom('GET', 'POST') as fc.Arbitrary<'GET' | 'POST'>,
        body,
        async (p, q, method, payload) => {
          const r = await call(agent, `${sandbox.url}${p.startsWith('/') ? p : `/${p}`}${q ? `?${q}` : ''}`, {
            method,
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
            body: method === 'POST' ? payload : undefined,
          });
          if (r.status === 302 || r.status === 200 || r.status === 201) return;
          expect(r.status).toBeGreaterThanOrEqual(400);
          expect(r.status).toBeLessThan(500);
          expect(typeof (r.json.cause ?? r.json.error)).toBe('string');
        },
      ),
      { numRuns: runs },
    );
  });
});
