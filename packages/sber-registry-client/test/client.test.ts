import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  createSberAuth,
  createSberClient,
  type DebtRegistry,
  memorySberTokenStore,
  ResourceNotFoundError,
  SberAbortError,
  SberAmbiguousCreateError,
  SberTimeoutError,
  SberTransportError,
  SberValidationError,
  UnauthorizedError,
  WorkflowFaultError,
} from '../src/index.js';
import { fakeSso, ORIGIN } from './fake-sso.js';

const ID = '7beb4b73-ba9d-49e9-9b6d-d9a169ad2638';
const registry = (): DebtRegistry => ({
  externalId: ID,
  date: '2024-02-20',
  recordNum: '2',
  orgName: 'ООО Ромашка',
  orgTaxNumber: '7707083893',
  number: '1',
});
const REG = '/fintech/api/v1/debt-registries';
const STATE = `${REG}/${ID}/state`;
const json = { headers: { 'content-type': 'application/json' } };

function setup(extra: Record<string, unknown> = {}) {
  const sso = fakeSso();
  const store = memorySberTokenStore({
    accessToken: 'access-token-0-abcdefgh',
    accessTokenExpiresAt: Date.now() + 3_600_000,
    refreshToken: 'refresh-token-0-abcdefgh',
  });
  sso.state.valid.add('refresh-token-0-abcdefgh');
  const auth = createSberAuth({
    environment: { baseUrl: ORIGIN },
    clientId: '7710000001',
    clientSecret: 'client-secret-123',
    dispatcher: sso.agent,
    store,
  });
  const events: unknown[] = [];
  const client = createSberClient({
    environment: { baseUrl: ORIGIN },
    auth,
    dispatcher: sso.agent,
    retryDelay: { baseMs: 1, maxMs: 4 },
    pollDelay: { initialMs: 1, maxMs: 4 },
    hooks: { onRequest: (e) => events.push(e), onResponse: (e) => events.push(e), onRetry: (e) => events.push(e) },
    ...extra,
  });
  const counts = { post: 0, state: 0 };
  return { ...sso, auth, client, events, counts };
}

describe('createSberClient: options', () => {
  it('names the field and the rule', () => {
    const auth = createSberAuth({
      environment: { baseUrl: ORIGIN },
      clientId: 'a',
      clientSecret: 'b',
      store: memorySberTokenStore(),
      dispatcher: fakeSso().agent,
    });
    const cases = [
      [{ environment: 'prod', auth }, 'environment'],
      [{ environment: 'test', auth: {} }, 'auth'],
      [{ environment: 'test', auth }, 'tls'],
      [{ environment: 'test', auth, tls: { cert: 'x' } }, 'tls.key'],
      [
        {
          environment: 'test',
          auth,
          dispatcher: fakeSso().agent,
          transportSignature: { signer: { alg: 'gost34.10-2012', sign: async () => new Uint8Array() }, kid: 'nope' },
        },
        'transportSignature.kid',
      ],
      [{ environment: 'test', auth, dispatcher: fakeSso().agent, maxRetries: -1 }, 'maxRetries'],
      [{ environment: 'test', auth, dispatcher: fakeSso().agent, pollDelay: { factor: 0.5 } }, 'pollDelay.factor'],
    ] as const;
    for (const [o, field] of cases) expect(() => createSberClient(o as never), field).toThrow(expect.objectContaining({ field }));
  });
});

describe('debtRegistries.create', () => {
  it('rejects a bad registry before any request, naming field and rule', async () => {
    const { client, events } = setup();
    const cases: [Partial<DebtRegistry>, string, string][] = [
      [{ orgTaxNumber: '7707012345' }, 'registry.orgTaxNumber', 'inn'],
      [{ externalId: 'not-a-uuid' }, 'registry.externalId', 'uuid'],
      [{ date: '2024-02-30' }, 'registry.date', 'date'],
      [{ recordNum: '2a' }, 'registry.recordNum', 'digits'],
      [{ orgName: '' }, 'registry.orgName', 'required'],
    ];
    for (const [patch, field, rule] of cases) {
      const e = await client.debtRegistries.create({ ...registry(), ...patch }).catch((x: unknown) => x);
      expect(SberValidationError.isInstance(e), field).toBe(true);
      expect(e).toMatchObject({ field, rule });
      expect((e as Error).message).toContain(field);
    }
    await expect(
      client.debtRegistries.create({ ...registry(), digestSignatures: [{ base64Encoded: '!!', certificateUuid: ID }] }),
    ).rejects.toMatchObject({ field: 'registry.digestSignatures[0].base64Encoded' });
    expect(events).toEqual([]);
  });

  it('sends JSON with the bearer token and returns the bank answer', async () => {
    const { client, pool } = setup();
    let seen: { headers: Record<string, string>; body: string } | undefined;
    pool.intercept({ path: REG, method: 'POST' }).reply((req) => {
      seen = { headers: req.headers as Record<string, string>, body: String(req.body) };
      return { statusCode: 201, data: { ...registry(), bankStatus: 'CREATED' }, responseOptions: json };
    });
    const r = await client.debtRegistries.create(registry());
    expect(r).toMatchObject({ externalId: ID, bankStatus: 'CREATED', recovered: false });
    expect(seen!.headers.authorization).toBe('Bearer access-token-0-abcdefgh');
    expect(seen!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(seen!.body)).toEqual(registry());
  });

  it('after a 503 asks the state first and does not send again when the registry exists', async () => {
    const { client, pool } = setup();
    let posts = 0;
    pool
      .intercept({ path: REG, method: 'POST' })
      .reply(() => (posts++, { statusCode: 503, data: { cause: 'UNAVAILABLE_RESOURCE_EXCEPTION', message: 'x' } }))
      .persist();
    pool.intercept({ path: STATE, method: 'GET' }).reply(200, { bankStatus: 'CREATED', bankComment: null });
    const r = await client.debtRegistries.create(registry());
    expect(r).toMatchObject({ externalId: ID, bankStatus: 'CREATED', recovered: true });
    expect(posts).toBe(1);
  });

  it('after a reset asks the state again while it is unknown; with a number (the duplicate rule) it then sends again', async () => {
    const { client, pool } = setup();
    let polls = 0;
    pool.intercept({ path: REG, method: 'POST' }).replyWithError(Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }));
    pool
      .intercept({ path: STATE, method: 'GET' })
      .reply(() => (polls++, { statusCode: 404, data: { cause: 'RESOURCE_NOT_FOUND', message: 'Документ не найден' } }))
      .times(5);
    pool.intercept({ path: REG, method: 'POST' }).reply(201, { ...registry(), bankStatus: 'CREATED' });
    const r = await client.debtRegistries.create(registry());
    expect(r).toMatchObject({ bankStatus: 'CREATED', recovered: false });
    expect(polls).toBe(5); // maxRetries (4) + 1 state queries before the resend
  });

  it('without a number an unknown state is no proof of absence: SberAmbiguousCreateError, never a second POST', async () => {
    const { client, pool } = setup();
    let posts = 0;
    const { number: _n, ...unnumbered } = registry();
    pool
      .intercept({ path: REG, method: 'POST' })
      .reply(() => (posts++, { statusCode: 503, data: { cause: 'UNAVAILABLE_RESOURCE_EXCEPTION' } }))
      .persist();
    pool.intercept({ path: STATE, method: 'GET' }).reply(400, { cause: 'VALIDATION_FAULT', message: 'Ошибка валидации' }).persist();
    const e = await client.debtRegistries.create(unnumbered).catch((x: unknown) => x);
    expect(SberAmbiguousCreateError.isInstance(e) && e.externalId).toBe(ID);
    expect((e as Error).message).toMatch(/may exist/);
    expect(posts).toBe(1);
  });

  it('sends exactly the model: recordNum as a string, a Signature without signType, no read-only or unknown field', async () => {
    const { client, pool } = setup();
    let body: Record<string, unknown> = {};
    pool
      .intercept({ path: REG, method: 'POST' })
      .reply((req) => ((body = JSON.parse(String(req.body))), { statusCode: 201, data: { bankStatus: 'CREATED' }, responseOptions: json }));
    const sig = { base64Encoded: 'AAAA', certificateUuid: ID, signType: 'UKEP_UL' };
    await client.debtRegistries.create({
      ...registry(),
      recordNum: 100,
      bankStatus: 'string',
      bfAttachments: [{ fileId: ID, fileName: 'x.txt' }],
      digestSignatures: [sig],
    });
    expect(body).toEqual({
      ...registry(),
      recordNum: '100',
      bfAttachments: [{ fileId: ID }],
      digestSignatures: [{ base64Encoded: 'AAAA', certificateUuid: ID }],
    });
    await expect(client.debtRegistries.create({ ...registry(), comment: 'x' } as DebtRegistry)).rejects.toMatchObject({
      field: 'registry.comment',
    });
    await expect(client.debtRegistries.create({ ...registry(), recordNum: 1.5 })).rejects.toMatchObject({ field: 'registry.recordNum' });
  });

  it('a duplicate WORKFLOW_FAULT after our own ambiguous attempt resolves through the state', async () => {
    const { client, pool } = setup();
    pool.intercept({ path: REG, method: 'POST' }).replyWithError(Object.assign(new Error('reset'), { code: 'ECONNRESET' }));
    pool.intercept({ path: STATE, method: 'GET' }).reply(503, { cause: 'UNAVAILABLE_RESOURCE_EXCEPTION' });
    pool.intercept({ path: STATE, method: 'GET' }).reply(404, { cause: 'RESOURCE_NOT_FOUND' });
    pool
      .intercept({ path: REG, method: 'POST' })
      .reply(400, { cause: 'WORKFLOW_FAULT', message: 'Документ с такими реквизитами уже существует' });
    pool.intercept({ path: STATE, method: 'GET' }).reply(200, { bankStatus: 'SIGNED' });
    expect(await client.debtRegistries.create(registry())).toMatchObject({ bankStatus: 'SIGNED', recovered: true });
  });

  it('a 201 with an unreadable body is resolved through the state, not resent', async () => {
    const { client, pool } = setup();
    pool.intercept({ path: REG, method: 'POST' }).reply(201, '<html>ok</html>');
    pool.intercept({ path: STATE, method: 'GET' }).reply(200, { bankStatus: 'CREATED' });
    expect(await client.debtRegistries.create(registry())).toMatchObject({ bankStatus: 'CREATED', recovered: true });
  });

  it('a duplicate without an ambiguous attempt of ours is thrown', async () => {
    const { client, pool } = setup();
    pool
      .intercept({ path: REG, method: 'POST' })
      .reply(400, { cause: 'WORKFLOW_FAULT', message: 'Документ с такими реквизитами уже существует', referenceId: 'r1' });
    await expect(client.debtRegistries.create(registry())).rejects.toSatisfy(
      (e) => WorkflowFaultError.isInstance(e) && e.isDuplicate && e.referenceId === 'r1',
    );
  });

  it('a timeout after sending is ambiguous: the state decides', async () => {
    const { client, pool } = setup({ timeoutMs: 50 });
    pool.intercept({ path: REG, method: 'POST' }).reply(201, {}).delay(500);
    pool.intercept({ path: STATE, method: 'GET' }).reply(200, { bankStatus: 'CREATED' });
    expect(await client.debtRegistries.create(registry())).toMatchObject({ recovered: true });
  });

  it('401 → one refresh and one resend; a second 401 is thrown with the token redacted', async () => {
    const { client, pool, state } = setup();
    const tokens: string[] = [];
    pool
      .intercept({ path: REG, method: 'POST' })
      .reply(
        (req) => (
          tokens.push(String((req.headers as Record<string, string>).authorization)),
          { statusCode: 401, data: { cause: 'UNAUTHORIZED', message: 'accessToken not found by value =access-token-0-abcdefgh' } }
        ),
      );
    pool
      .intercept({ path: REG, method: 'POST' })
      .reply(
        (req) => (
          tokens.push(String((req.headers as Record<string, string>).authorization)), { statusCode: 201, data: { bankStatus: 'CREATED' } }
        ),
      );
    expect(await client.debtRegistries.create(registry())).toMatchObject({ bankStatus: 'CREATED' });
    expect(tokens).toEqual(['Bearer access-token-0-abcdefgh', 'Bearer access-token-1-abcdefgh']);
    expect(state.issued).toBe(1);
    pool
      .intercept({ path: REG, method: 'POST' })
      .reply(401, { cause: 'UNAUTHORIZED', message: 'accessToken not found by value =access-token-1-abcdefgh' })
      .times(2);
    const e = await client.debtRegistries.create(registry()).catch((x: unknown) => x);
    expect(UnauthorizedError.isInstance(e)).toBe(true);
    expect(inspect(e) + JSON.stringify(e)).not.toMatch(/access-token-\d/);
  });

  it('never puts tokens in hook payloads', async () => {
    const { client, pool, events } = setup();
    pool.intercept({ path: REG, method: 'POST' }).reply(503, {});
    pool.intercept({ path: STATE, method: 'GET' }).reply(200, { bankStatus: 'CREATED' });
    await client.debtRegistries.create(registry());
    expect(events.length).toBeGreaterThan(2);
    expect(JSON.stringify(events)).not.toMatch(/access-token|refresh-token|client-secret/);
    expect(inspect(client, { depth: 10, showHidden: true })).not.toMatch(/access-token|client-secret/);
  });
});

describe('reads', () => {
  it('getState retries 5xx and network failures, then answers', async () => {
    const { client, pool } = setup();
    pool.intercept({ path: STATE, method: 'GET' }).reply(503, {});
    pool.intercept({ path: STATE, method: 'GET' }).replyWithError(Object.assign(new Error('reset'), { code: 'ECONNRESET' }));
    pool.intercept({ path: STATE, method: 'GET' }).reply(200, { bankStatus: 'DELIVERED', bankComment: null, receiptStatus: 'FINISHED' });
    expect(await client.debtRegistries.getState(ID)).toEqual({ bankStatus: 'DELIVERED', bankComment: null, receiptStatus: 'FINISHED' });
  });

  it('a 404 is ResourceNotFoundError; an unreadable 200 is INVALID_RESPONSE; a bad id fails before the network', async () => {
    const { client, pool } = setup();
    pool.intercept({ path: STATE, method: 'GET' }).reply(404, { cause: 'RESOURCE_NOT_FOUND', message: 'Документ не найден' });
    await expect(client.debtRegistries.getState(ID)).rejects.toSatisfy((e) => ResourceNotFoundError.isInstance(e));
    pool.intercept({ path: STATE, method: 'GET' }).reply(200, '<html>');
    await expect(client.debtRegistries.getState(ID)).rejects.toMatchObject({ code: 'INVALID_RESPONSE', status: 200 });
    await expect(client.debtRegistries.getState('../crypto')).rejects.toMatchObject({ field: 'externalId' });
  });

  it('caps the body size', async () => {
    const { client, pool } = setup({ maxResponseBytes: 1024 });
    pool.intercept({ path: STATE, method: 'GET' }).reply(200, JSON.stringify({ bankStatus: 'x'.repeat(5000) }));
    await expect(client.debtRegistries.getState(ID)).rejects.toSatisfy(
      (e) => SberTransportError.isInstance(e) && e.code === 'RESPONSE_TOO_LARGE',
    );
  });

  it('files and crypto', async () => {
    const { client, pool } = setup();
    pool.intercept({ path: '/fintech/api/v1/files/upload', method: 'POST' }).reply(201, { fileId: ID, status: 'CREATED' });
    pool
      .intercept({ path: `/fintech/api/v1/files/upload/${ID}/state`, method: 'GET' })
      .reply(200, { fileId: ID, status: 'IMPLEMENTED', bankComment: null });
    pool
      .intercept({ path: '/fintech/api/v1/crypto', method: 'GET' })
      .reply(200, { cryptoProfileInfos: [{ certificateInfos: [{ uuid: ID }] }] });
    expect(await client.files.upload({ type: 'DEBT_REGISTRY', subType: 'TXT' })).toEqual({ fileId: ID, status: 'CREATED' });
    expect(await client.files.getState(ID)).toMatchObject({ status: 'IMPLEMENTED' });
    expect((await client.crypto.getInfo()).cryptoProfileInfos?.[0]?.certificateInfos?.[0]?.uuid).toBe(ID);
    await expect(client.files.upload({ type: '', subType: 'x' })).rejects.toMatchObject({ field: 'input.type' });
  });
});

describe('debtRegistries.waitForFinalState', () => {
  it('polls through intermediate statuses until a terminal one, reporting each', async () => {
    const { client, pool } = setup();
    for (const s of ['CREATED', 'PARTSIGNED', 'SIGNED', 'EXPORTED', 'DELIVERED', 'PARTIALLY_DOWNLOADED', 'REFUSEDBYABS'])
      pool.intercept({ path: STATE, method: 'GET' }).reply(200, { bankStatus: s });
    const seen: string[] = [];
    const final = await client.debtRegistries.waitForFinalState(ID, { onStatus: (s) => seen.push(String(s.bankStatus)) });
    expect(final.bankStatus).toBe('REFUSEDBYABS');
    expect(seen).toEqual(['CREATED', 'PARTSIGNED', 'SIGNED', 'EXPORTED', 'DELIVERED', 'PARTIALLY_DOWNLOADED', 'REFUSEDBYABS']);
  });

  it('keeps polling through transient errors', async () => {
    const { client, pool } = setup({ maxRetries: 0 });
    pool.intercept({ path: STATE, method: 'GET' }).reply(503, {});
    pool.intercept({ path: STATE, method: 'GET' }).reply(200, { bankStatus: 'IMPLEMENTED' });
    expect((await client.debtRegistries.waitForFinalState(ID)).bankStatus).toBe('IMPLEMENTED');
  });

  it('stops at the deadline with SberTimeoutError carrying the externalId and last state', async () => {
    const { client, pool } = setup();
    pool.intercept({ path: STATE, method: 'GET' }).reply(200, { bankStatus: 'CREATED' }).persist();
    // 500 ms: the first poll (which sets lastState) must land before the deadline even on a 10x slower machine
    const e = await client.debtRegistries
      .waitForFinalState(ID, { timeoutMs: 500, pollDelay: { initialMs: 5, maxMs: 10 } })
      .catch((x: unknown) => x);
    expect(SberTimeoutError.isInstance(e)).toBe(true);
    expect(e).toMatchObject({ externalId: ID, lastState: { bankStatus: 'CREATED' } });
  });

  it('is abortable', async () => {
    const { client, pool } = setup();
    pool.intercept({ path: STATE, method: 'GET' }).reply(200, { bankStatus: 'CREATED' }).persist();
    const c = new AbortController();
    const p = client.debtRegistries.waitForFinalState(ID, { signal: c.signal, pollDelay: { initialMs: 10_000 } });
    setTimeout(() => c.abort(), 20);
    await expect(p).rejects.toSatisfy((e) => SberAbortError.isInstance(e));
  });
});
