import type { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SberSandbox, startSberSandbox } from '../src/index.js';
import { agentFor, call, createJson, getState, login, registry, withSandbox } from './helpers.js';

describe('debt registries over JSON', () => {
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

  it('stores an unsigned registry, answers 201 with the document in CREATED, and keeps it CREATED', async () => {
    const body = registry({ bfAttachments: [{ fileId: '22a6dd81-103a-4d3a-8e9b-0ba4b527f5f6' }] });
    const r = await createJson(sandbox, agent, token, body);
    expect(r.status).toBe(201);
    expect(r.json).toEqual({ ...body, bankStatus: 'CREATED', bankComment: null });
    expect(sandbox.stats.registries.get(body.externalId as string)).toBe(1);
    for (let i = 0; i < 5; i++) {
      const s = await getState(sandbox, agent, token, body.externalId as string);
      expect(s.status).toBe(200);
      expect(s.json).toEqual({ bankStatus: 'CREATED', bankComment: null, receiptStatus: 'FINISHED' });
    }
  });

  it('refuses a resend of the same registry (its number again this year) with WORKFLOW_FAULT and stores nothing more', async () => {
    const body = registry();
    expect((await createJson(sandbox, agent, token, body)).status).toBe(201);
    const again = await createJson(sandbox, agent, token, body);
    expect(again.status).toBe(400);
    expect(again.json).toEqual({
      cause: 'WORKFLOW_FAULT',
      referenceId: expect.any(String),
      message: 'Документ с такими реквизитами уже существует',
    });
    expect(again.headers['x-request-id']).toEqual(expect.any(String));
    expect(sandbox.stats.registries.get(body.externalId as string)).toBe(1);
  });

  it('answers DESERIALIZATION_FAULT for malformed JSON and for a non-object', async () => {
    for (const text of ['{"externalId":', '[]', 'null', '"x"', '']) {
      const r = await createJson(sandbox, agent, token, text);
      expect(r.status).toBe(400);
      expect(r.json).toMatchObject({ cause: 'DESERIALIZATION_FAULT', message: 'Неверный формат запроса' });
    }
  });

  it('answers VALIDATION_FAULT naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [registry({ externalId: 'not-a-uuid' }), 'externalId'],
      [registry({ date: '20.11.2026' }), 'date'],
      [registry({ orgName: undefined }), 'orgName'],
      [registry({ orgTaxNumber: 7707083893 }), 'orgTaxNumber'],
      [
        registry({ digestSignatures: [{ base64Encoded: '***', certificateUuid: '22a6dd81-103a-4d3a-8e9b-0ba4b527f5f6' }] }),
        'digestSignatures[0].base64Encoded',
      ],
      [registry({ digestSignatures: [{ base64Encoded: 'AAAA', certificateUuid: 'x' }] }), 'digestSignatures[0].certificateUuid'],
      [registry({ bfAttachments: {} }), 'bfAttachments'],
    ];
    for (const [body, field] of cases) {
      const r = await createJson(sandbox, agent, token, body);
      expect(r.status, field).toBe(400);
      expect(r.json.cause).toBe('VALIDATION_FAULT');
      expect(r.json.message).toBe('Ошибка валидации');
      expect(r.json.fieldNames).toEqual([field]);
      expect(r.json.checks[0]).toMatchObject({ level: 'ERROR', fields: [field] });
    }
  });

  it('refuses a digest signature whose certificateUuid is not registered (SIGN_CHECK_EXCEPTION)', async () => {
    const body = registry({
      digestSignatures: [
        { base64Encoded: Buffer.alloc(64, 1).toString('base64'), certificateUuid: '22a6dd81-103a-4d3a-8e9b-0ba4b527f5f6' },
      ],
    });
    const r = await createJson(sandbox, agent, token, body);
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({
      cause: 'SIGN_CHECK_EXCEPTION',
      message: 'Подлинность подписи не установлена/Сертификат не обнаружен или не является активным',
    });
    expect(sandbox.stats.registries.has(body.externalId as string)).toBe(false);
  });

  it('answers 401 without a token and 404 for an unknown registry', async () => {
    const r = await call(agent, `${sandbox.url}/fintech/api/v1/debt-registries`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(r.status).toBe(401);
    expect(r.json.cause).toBe('UNAUTHORIZED');
    const s = await getState(sandbox, agent, token, '7beb4b73-ba9d-49e9-9b6d-d9a169ad2638');
    expect(s.status).toBe(404);
    expect(s.json.cause).toBe('RESOURCE_NOT_FOUND');
  });

  it('answers 403 ACTION_ACCESS_EXCEPTION when the token lacks DEBT_REGISTRY', async () => {
    const narrow = (await login(sandbox, agent, 'openid FILES')).access_token;
    const r = await createJson(sandbox, agent, narrow, registry());
    expect(r.status).toBe(403);
    expect(r.json.cause).toBe('ACTION_ACCESS_EXCEPTION');
  });

  it('refuses another content type', async () => {
    const r = await call(agent, `${sandbox.url}/fintech/api/v1/debt-registries`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' },
      body: JSON.stringify(registry()),
    });
    expect(r.status).toBe(400);
    expect(r.json.cause).toBe('DESERIALIZATION_FAULT');
  });
});

describe('options', () => {
  it("requireJws answers 415 JWS_EXCEPTED to JSON, with the clientId in Sber's text", async () => {
    await withSandbox({ requireJws: true }, async (sandbox, agent) => {
      const { access_token } = await login(sandbox, agent);
      const r = await createJson(sandbox, agent, access_token, registry());
      expect(r.status).toBe(415);
      expect(r.json.cause).toBe('JWS_EXCEPTED');
      expect(r.json.message).toBe(
        'В соответствии с текущими настройками сервиса с clientId=7710000001 необходимо использовать запрос в формате JWS Compact Serialization',
      );
    });
  });

  it("by default a duplicate is the seed's: the same number within a year, whatever the externalId", async () => {
    await withSandbox({}, async (sandbox, agent) => {
      const token = (await login(sandbox, agent)).access_token;
      const first = registry({ number: '7' });
      expect((await createJson(sandbox, agent, token, first)).status).toBe(201);
      const sameNumber = await createJson(sandbox, agent, token, registry({ number: '7' }));
      expect(sameNumber.json).toMatchObject({ cause: 'WORKFLOW_FAULT', message: 'Документ с такими реквизитами уже существует' });
      expect((await createJson(sandbox, agent, token, registry({ number: '7', date: '2025-01-10' }))).status).toBe(201);
      expect((await createJson(sandbox, agent, token, registry({ number: '7', orgTaxNumber: '500100732259' }))).status).toBe(201);
      // a repeated externalId with a new number is not a duplicate under the seed's rule: the bank stores it again
      expect((await createJson(sandbox, agent, token, { ...first, number: '8' })).status).toBe(201);
      expect(sandbox.stats.registries.get(first.externalId as string)).toBe(2);
    });
  });

  it("createStatus 200 and duplicateRule 'external-id'", async () => {
    await withSandbox({ createStatus: 200, duplicateRule: 'external-id' }, async (sandbox, agent) => {
      const { access_token } = await login(sandbox, agent);
      const first = registry({ number: '7' });
      expect((await createJson(sandbox, agent, access_token, first)).status).toBe(200);
      expect((await createJson(sandbox, agent, access_token, registry({ number: '7' }))).status).toBe(200);
      expect((await createJson(sandbox, agent, access_token, { ...first, number: '9' })).json.cause).toBe('WORKFLOW_FAULT');
    });
  });

  it('rejects bad options before starting', async () => {
    await expect(startSberSandbox({ pollsPerStatus: 0 })).rejects.toMatchObject({ code: 'BAD_OPTION', field: 'pollsPerStatus' });
    await expect(startSberSandbox({ clients: [] })).rejects.toMatchObject({ code: 'BAD_OPTION', field: 'clients' });
    await expect(startSberSandbox({ certificates: [{ uuid: 'x', certificate: '' }] })).rejects.toMatchObject({ field: 'uuid' });
  });
});
