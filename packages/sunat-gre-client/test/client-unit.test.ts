import { createServer } from 'node:net';
import { HOSTILE_BEHAVIOURS, readFixture, startHostileServer } from '@internal/testkit';
import type { SunatAuth } from 'oauth-sunat';
import { Agent, MockAgent } from 'undici';
import { describe, expect, it, vi } from 'vitest';
import {
  createGreClient,
  GreAmbiguousSendError,
  GreError,
  type GreHookEvent,
  GreNetworkError,
  GreValidationError,
  isValidRuc,
  parseLimaDateTime,
  SunatApiError,
} from '../src/index.js';
import { everything, guide } from './helpers.js';

const ORIGIN = 'https://cpe.test';
const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ0ZXN0In0.c2lnbmF0dXJlLXZhbHVl';
const TICKET = '8f0c1a8e-1f5a-4c1b-9a0e-0123456789ab';
const STATUS_PATH = `/v1/contribuyente/gem/comprobantes/envios/${TICKET}`;

function fakeAuth(tokens = [TOKEN, `${TOKEN}2`]): SunatAuth & { invalidate: ReturnType<typeof vi.fn>; calls: number } {
  let i = 0;
  const auth = {
    calls: 0,
    async getToken() {
      auth.calls++;
      return tokens[Math.min(i, tokens.length - 1)]!;
    },
    invalidate: vi.fn(async () => {
      i++;
    }),
    async close() {},
  };
  return auth;
}

function mock() {
  const agent = new MockAgent();
  agent.disableNetConnect();
  return { agent, pool: agent.get(ORIGIN) };
}

const json = { headers: { 'content-type': 'application/json' } };

function client(agent: MockAgent, auth = fakeAuth(), extra: Record<string, unknown> = {}) {
  return createGreClient({
    auth,
    baseUrl: `${ORIGIN}/v1`,
    dispatcher: agent,
    retryBaseMs: 1,
    retryMaxMs: 5,
    pollIntervalMs: 1,
    maxPollIntervalMs: 2,
    ...extra,
  });
}

describe('status polls (MockAgent)', () => {
  it('retries 503 and 500 then reads the answer; hooks see no token', async () => {
    const { agent, pool } = mock();
    pool.intercept({ path: STATUS_PATH, method: 'GET' }).reply(503, { cod: '503', msg: 'busy' }, { headers: { 'retry-after': '0' } });
    pool.intercept({ path: STATUS_PATH, method: 'GET' }).reply(500, { cod: '500', msg: 'x', exc: 'npe' }, json);
    pool.intercept({ path: STATUS_PATH, method: 'GET' }).reply(200, { codRespuesta: '98' }, json);
    const events: GreHookEvent[] = [];
    const c = client(agent, fakeAuth(), {
      hooks: {
        onRequest: (e: GreHookEvent) => events.push(e),
        onResponse: (e: GreHookEvent) => events.push(e),
        onRetry: (e: GreHookEvent) => events.push(e),
      },
    });
    const s = await c.getStatus(TICKET);
    expect(s).toEqual({ state: 'pending', code: '98', raw: { codRespuesta: '98' } });
    expect(events.filter((e) => e.status !== undefined).map((e) => e.status)).toEqual([503, 500, 200]);
    expect(events.filter((e) => e.delayMs !== undefined).map((e) => e.attempt)).toEqual([1, 2]);
    expect(JSON.stringify(events)).not.toContain(TOKEN);
  });

  it('gives up after maxRetries with the last SunatApiError', async () => {
    const { agent, pool } = mock();
    pool.intercept({ path: STATUS_PATH, method: 'GET' }).reply(500, { cod: '500', msg: 'x' }, json).times(3);
    const err = await client(agent, fakeAuth(), { maxRetries: 2 })
      .getStatus(TICKET)
      .catch((e: unknown) => e);
    expect(SunatApiError.isInstance(err) && err.status).toBe(500);
  });

  it('a 401 invalidates the token and retries once with a new one', async () => {
    const { agent, pool } = mock();
    const auth = fakeAuth();
    pool
      .intercept({ path: STATUS_PATH, method: 'GET', headers: { authorization: `Bearer ${TOKEN}` } })
      .reply(401, { cod: '401', msg: 'Unauthorized' }, json);
    pool
      .intercept({ path: STATUS_PATH, method: 'GET', headers: { authorization: `Bearer ${TOKEN}2` } })
      .reply(200, { codRespuesta: '0' }, json);
    expect((await client(agent, auth).getStatus(TICKET)).state).toBe('accepted');
    expect(auth.invalidate).toHaveBeenCalledWith(TOKEN);
  });

  it('a second 401 is an error that says what is usually wrong', async () => {
    const { agent, pool } = mock();
    pool.intercept({ path: STATUS_PATH, method: 'GET' }).reply(401, { cod: '401', msg: 'Unauthorized' }, json).times(2);
    const err = (await client(agent)
      .getStatus(TICKET)
      .catch((e: unknown) => e)) as SunatApiError;
    expect(err.status).toBe(401);
    expect(err.message).toMatch(/another SUNAT API|GRE rights/);
  });

  it('99 with a CDR keeps it; 99 without desError gets the catalogue text; unknown codes are pending', async () => {
    const cdr = readFixture('sunat/cdrGRE.zip').toString('base64');
    const { agent, pool } = mock();
    pool
      .intercept({ path: STATUS_PATH, method: 'GET' })
      .reply(200, { codRespuesta: '99', error: { numError: '2112', desError: '' }, arcCdr: cdr, indCdrGenerado: '1' }, json);
    pool.intercept({ path: STATUS_PATH, method: 'GET' }).reply(200, { codRespuesta: 77 }, json);
    const c = client(agent);
    const r = await c.getStatus(TICKET);
    expect(r.state).toBe('rejected');
    expect(r.error).toEqual({ code: '2112', message: 'CustomizationID - La version del documento no es correcta' });
    expect(r.cdr?.referenceId).toBe('T001-1');
    expect(await c.getStatus(TICKET)).toMatchObject({ state: 'pending', code: '77' });
  });

  it('a 200 that holds an error body, or junk, is a typed error', async () => {
    const { agent, pool } = mock();
    pool.intercept({ path: STATUS_PATH, method: 'GET' }).reply(200, { cod: '500', msg: 'Internal Server Error' }, json);
    pool.intercept({ path: STATUS_PATH, method: 'GET' }).reply(200, '{"codRespuesta":', json);
    const c = client(agent);
    expect(((await c.getStatus(TICKET).catch((e: unknown) => e)) as SunatApiError).cod).toBe('500');
    expect(((await c.getStatus(TICKET).catch((e: unknown) => e)) as SunatApiError).code).toBe('BAD_RESPONSE');
  });

  it('waitForResult honours Retry-After on a 98 and keeps polling through transient errors', async () => {
    const { agent, pool } = mock();
    pool
      .intercept({ path: STATUS_PATH, method: 'GET' })
      .reply(200, { codRespuesta: '98' }, { headers: { 'content-type': 'application/json', 'retry-after': '0' } });
    pool
      .intercept({ path: STATUS_PATH, method: 'GET' })
      .reply(503, 'busy', { headers: { 'retry-after': '0' } })
      .times(2);
    pool.intercept({ path: STATUS_PATH, method: 'GET' }).reply(200, { codRespuesta: '0' }, json);
    const polls: number[] = [];
    // the own interval (60 s) would fall past the 10 s deadline: only Retry-After: 0 lets the wait go on
    const r = await client(agent, fakeAuth(), { maxRetries: 0 }).waitForResult(TICKET, {
      timeoutMs: 10_000,
      pollIntervalMs: 60_000,
      onPoll: (_, n) => polls.push(n),
    });
    expect(r.state).toBe('accepted');
    expect(polls).toEqual([1, 4]);
  });
});

describe('sends (MockAgent): repeated only when SUNAT surely did not get them', () => {
  const sendPath = (doc: { ruc: string; type: string; series: string; number: number | string }) =>
    `/v1/contribuyente/gem/comprobantes/${doc.ruc}-${doc.type}-${doc.series}-${doc.number}`;

  it('posts the zip, its SHA-256 and the file name; reads fecRecepcion as Lima time', async () => {
    const { agent, pool } = mock();
    const doc = guide();
    let body: { archivo: { nomArchivo: string; arcGreZip: string; hashZip: string } } | undefined;
    pool.intercept({ path: sendPath(doc), method: 'POST', headers: { 'content-type': 'application/json' } }).reply(
      200,
      (opts) => {
        body = JSON.parse(String(opts.body));
        return { numTicket: TICKET, fecRecepcion: '2022-04-11T15:37:41' };
      },
      json,
    );
    const r = await client(agent).send(doc);
    const { createHash } = await import('node:crypto');
    const { unzipSync } = await import('fflate');
    const zip = Buffer.from(body!.archivo.arcGreZip, 'base64');
    expect(body!.archivo.nomArchivo).toBe(r.fileName);
    expect(body!.archivo.hashZip).toBe(createHash('sha256').update(zip).digest('hex'));
    expect(r.hash).toBe(body!.archivo.hashZip);
    const entries = unzipSync(zip);
    expect(Object.keys(entries)).toEqual([`20000000001-09-T001-${doc.number}.xml`]);
    expect(Buffer.from(entries[`20000000001-09-T001-${doc.number}.xml`]!).toString()).toBe(doc.xml);
    expect(r.receivedAt.toISOString()).toBe('2022-04-11T20:37:41.000Z');
    expect(r.receivedAtRaw).toBe('2022-04-11T15:37:41');
  });

  it('429 and 503 are retried; a reset or a 502 after the body went out is ambiguous', async () => {
    const { agent, pool } = mock();
    const doc = guide();
    pool.intercept({ path: sendPath(doc), method: 'POST' }).reply(429, { cod: '429' }, { headers: { 'retry-after': '0' } });
    pool.intercept({ path: sendPath(doc), method: 'POST' }).reply(503, { cod: '503' }, json);
    pool
      .intercept({ path: sendPath(doc), method: 'POST' })
      .replyWithError(Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }));
    const err = await client(agent)
      .send(doc)
      .catch((e: unknown) => e);
    expect(GreAmbiguousSendError.isInstance(err)).toBe(true);
    expect((err as GreAmbiguousSendError).reason).toMatch(/UND_ERR_SOCKET/);
    const doc2 = guide();
    pool
      .intercept({ path: sendPath(doc2), method: 'POST' })
      .reply(502, '<html><title>502 Bad Gateway</title></html>', { headers: { 'content-type': 'text/html' } });
    const err2 = (await client(agent)
      .send(doc2)
      .catch((e: unknown) => e)) as GreAmbiguousSendError;
    expect(err2.code).toBe('AMBIGUOUS_SEND');
    expect(err2.status).toBe(502);
  });

  it('a 200 without numTicket is ambiguous too', async () => {
    const { agent, pool } = mock();
    const doc = guide();
    pool.intercept({ path: sendPath(doc), method: 'POST' }).reply(200, { ok: true }, json);
    expect(
      (
        (await client(agent)
          .send(doc)
          .catch((e: unknown) => e)) as GreError
      ).code,
    ).toBe('AMBIGUOUS_SEND');
  });

  it('connection refused (real loopback): retried, then GreNetworkError, never ambiguous', async () => {
    const port = await freePort();
    const events: GreHookEvent[] = [];
    const c = createGreClient({
      auth: fakeAuth(),
      baseUrl: `http://127.0.0.1:${port}/v1`,
      dispatcher: new Agent(),
      maxRetries: 2,
      retryBaseMs: 1,
      hooks: { onRetry: (e) => events.push(e) },
    });
    const err = await c.send(guide()).catch((e: unknown) => e);
    expect(GreNetworkError.isInstance(err)).toBe(true);
    expect((err as GreNetworkError).reason).toBe('ECONNREFUSED');
    expect(events).toHaveLength(2);
  });
});

describe('hostile servers: every answer becomes a typed error, in time', () => {
  it.each(HOSTILE_BEHAVIOURS.filter((b) => b !== 'hang' && b !== 'trickle' && b !== 'hugeContentLength'))('%s', async (behaviour) => {
    const server = await startHostileServer();
    try {
      server.behave(behaviour);
      const c = createGreClient({
        auth: fakeAuth(),
        baseUrl: `${server.url}/v1`,
        dispatcher: new Agent(),
        maxRetries: 0,
        maxResponseBytes: 1024 * 1024,
        timeoutMs: 2000,
      });
      const err = await c.getStatus(TICKET).catch((e: unknown) => e);
      expect(GreError.isInstance(err), String(err)).toBe(true);
      expect(everything(err)).not.toContain(TOKEN);
    } finally {
      await server.close();
    }
  });

  it.each(['hang', 'trickle', 'hugeContentLength'] as const)('%s ends at the deadline', async (behaviour) => {
    const server = await startHostileServer();
    try {
      server.behave(behaviour);
      const c = createGreClient({ auth: fakeAuth(), baseUrl: `${server.url}/v1`, dispatcher: new Agent(), maxRetries: 0, timeoutMs: 300 });
      const err = (await c.getStatus(TICKET).catch((e: unknown) => e)) as GreError;
      expect(err.code).toBe('TIMEOUT');
      const sendErr = (await c.send(guide()).catch((e: unknown) => e)) as GreError;
      expect(sendErr.code).toBe('AMBIGUOUS_SEND');
    } finally {
      await server.close();
    }
  });
});

describe('signals and hooks', () => {
  it('an already-aborted signal stops every call before any request', async () => {
    const { agent } = mock(); // no interceptors: any request would fail with a MockNotMatchedError
    const auth = fakeAuth();
    const c = client(agent, auth);
    const ac = new AbortController();
    ac.abort();
    for (const p of [
      c.send(guide(), { signal: ac.signal }),
      c.getStatus(TICKET, { signal: ac.signal }),
      c.waitForResult(TICKET, { signal: ac.signal }),
      c.submit(guide(), { signal: ac.signal }),
    ])
      expect(((await p.catch((e: unknown) => e)) as GreError).code).toBe('ABORTED');
    expect(auth.calls).toBe(0);
  });

  it('a server that echoes the token in an error body: the token is redacted from the error', async () => {
    const { agent, pool } = mock();
    pool
      .intercept({ path: STATUS_PATH, method: 'GET' })
      .reply(400, (opts) => ({ cod: '400', msg: `bad header ${JSON.stringify(opts.headers)}` }), json);
    const err = (await client(agent)
      .getStatus(TICKET)
      .catch((e: unknown) => e)) as SunatApiError;
    expect(err.status).toBe(400);
    expect(err.rawBody).toContain('[REDACTED]');
    expect(everything(err)).not.toContain(TOKEN);
  });

  it('a hook that throws does not break the call', async () => {
    const { agent, pool } = mock();
    pool.intercept({ path: STATUS_PATH, method: 'GET' }).reply(200, { codRespuesta: '0' }, json);
    const boom = () => {
      throw new Error('hook failed');
    };
    const c = client(agent, fakeAuth(), { hooks: { onRequest: boom, onResponse: boom, onRetry: boom } });
    expect((await c.getStatus(TICKET)).state).toBe('accepted');
  });
});

describe('validation helpers', () => {
  it('RUC check digits', () => {
    expect(['20000000001', '20100070970', '20131312955'].map(isValidRuc)).toEqual([true, true, true]);
    expect(['20000000002', '2000000000', 'abcdefghijk', '200000000011'].map(isValidRuc)).toEqual([false, false, false, false]);
  });

  it('fecRecepcion is Lima time unless it carries an offset', () => {
    expect(parseLimaDateTime('2022-04-11T15:37:41')?.toISOString()).toBe('2022-04-11T20:37:41.000Z');
    expect(parseLimaDateTime('2022-12-31T23:59:59.5')?.toISOString()).toBe('2023-01-01T04:59:59.500Z');
    expect(parseLimaDateTime('2022-04-11T15:37:41Z')?.toISOString()).toBe('2022-04-11T15:37:41.000Z');
    expect(parseLimaDateTime('2022-04-11T15:37:41-05:00')?.toISOString()).toBe('2022-04-11T20:37:41.000Z');
    expect(parseLimaDateTime('2022-02-30T10:00:00')).toBeUndefined();
    expect(parseLimaDateTime('yesterday')).toBeUndefined();
  });

  it('client options are checked', () => {
    const auth = fakeAuth();
    expect(() => createGreClient({} as never)).toThrow(GreValidationError);
    expect(() => createGreClient({ auth, baseUrl: 'ftp://x' })).toThrow(/baseUrl/);
    expect(() => createGreClient({ auth, baseUrl: 'https://u:p@x/v1' })).toThrow(/credentials/);
    expect(() => createGreClient({ auth, maxRetries: 1.5 })).toThrow(/maxRetries/);
    expect(() => createGreClient({ auth, timeoutMs: 0 })).toThrow(/timeoutMs/);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}
