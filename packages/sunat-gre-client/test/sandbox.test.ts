import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GreAmbiguousSendError, type GreHookEvent, GreTimeoutError, GreValidationError, SunatApiError } from '../src/index.js';
import { CLIENT, everything, guide, type Rig, SECRETS, startRig } from './helpers.js';

describe('against the sandbox over HTTPS', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig({ pendingPolls: 1 });
  });
  afterAll(() => rig.close());

  it('token → send → 98 → 0 → CDR', async () => {
    const polls: string[] = [];
    const doc = guide();
    const sent = await rig.client.send(doc);
    expect(sent.ticket).toMatch(/^[0-9a-f-]{36}$/);
    expect(sent.fileName).toBe(`${CLIENT.ruc}-09-T001-${doc.number}.zip`);
    expect(sent.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(sent.receivedAtRaw).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
    // fecRecepcion is Lima time (UTC−5): read back it is within a minute of now
    expect(Math.abs(sent.receivedAt.getTime() - Date.now())).toBeLessThan(60_000);
    const result = await rig.client.waitForResult(sent.ticket, { onPoll: (s) => polls.push(s.code) });
    expect(polls).toEqual(['98', '0']);
    expect(result.state).toBe('accepted');
    expect(result.cdr?.responseCode).toBe('0');
    expect(result.cdr?.referenceId).toBe(`T001-${doc.number}`);
    expect(result.cdr?.documentUrl).toMatch(/^https:\/\/e-factura\.sunat\.gob\.pe\/.*descargaqr\?hashqr=/);
    expect(result.cdr?.notes).toEqual([]);
    expect(rig.sandbox.stats.received.get(sent.fileName)).toBe(1);
  });

  it('a rejection keeps its CDR: CustomizationID 1.0 → 2112, weight 0 → 2523', async () => {
    const a = await rig.client.submit(guide({ customizationId: '1.0' }));
    expect(a.state).toBe('rejected');
    expect(a.code).toBe('99');
    expect(a.error?.code).toBe('2112');
    expect(a.error?.message).toMatch(/CustomizationID/);
    expect(a.cdr?.responseCode).toBe('2112');
    const b = await rig.client.submit(guide({ grossWeight: 0 }));
    expect(b.error?.code).toBe('2523');
    expect(b.cdr?.responseCode).toBe('2523');
  });

  it('a duplicate is rejected with 1033 (no CDR)', async () => {
    const doc = guide();
    expect((await rig.client.submit(doc)).state).toBe('accepted');
    const again = await rig.client.submit(doc);
    expect(again.state).toBe('rejected');
    expect(again.error).toEqual({ code: '1033', message: expect.stringMatching(/registrado previamente/) });
    expect(again.cdr).toBeUndefined();
  });

  it('accepted with an observation (4398)', async () => {
    const r = await rig.client.submit(guide({ plate: 'ZZ9999' }));
    expect(r.state).toBe('accepted');
    expect(r.cdr?.notes).toEqual([{ code: '4398', text: expect.stringMatching(/placa no se encuentra.*ZZ9999/) }]);
  });

  it('series 31 (transportista) with a V series is sent', async () => {
    const r = await rig.client.submit(guide({ type: '31', series: 'V001' }));
    expect(r.state).toBe('accepted');
    expect(r.fileName).toMatch(/-31-V001-/);
  });

  it("SUNAT's 422 becomes SunatApiError with the item's code and text; a refused send is not ambiguous", async () => {
    const other = guide({ ruc: '20100070970' }); // valid RUC, but not the token's: SUNAT refuses it (0154)
    const err = await rig.client.send(other).catch((e: unknown) => e);
    expect(SunatApiError.isInstance(err)).toBe(true);
    const e = err as SunatApiError;
    expect(e.status).toBe(422);
    expect(e.cod).toBe('422');
    expect(e.errors[0]?.code).toMatch(/^0?154$/);
    expect(e.errors[0]?.catalogue).toMatch(/El RUC del archivo no corresponde/);
    expect(e.rawBody).toContain('errors');
    expect(rig.sandbox.stats.received.get(`20100070970-09-T001-${other.number}.zip`)).toBeUndefined();
    const unknown = (await rig.client.getStatus('00000000-0000-4000-8000-000000000000').catch((x: unknown) => x)) as SunatApiError;
    expect(unknown.status).toBe(422);
    expect(unknown.errors[0]?.code).toMatch(/^0?127$/);
    expect(unknown.errors[0]?.message).toBe('El ticket no existe');
  });

  it('bad input names the field and the rule, and nothing reaches the sandbox', async () => {
    const before = { tokens: rig.sandbox.stats.tokenRequests, sends: rig.sandbox.stats.sends, polls: rig.sandbox.stats.polls };
    const doc = guide();
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ ruc: '2000000000' }, 'ruc', /11 digits/],
      [{ ruc: '20000000002' }, 'ruc', /check digit/],
      [{ type: '01' }, 'type', /'09'.*'31'/],
      [{ series: 't001' }, 'series', /4 characters/],
      [{ series: 'F001' }, 'series', /start with 'T'/],
      [{ number: 0 }, 'number', /1 to 99999999/],
      [{ number: 123456789 }, 'number', /1 to 99999999/],
      [{ number: '12a' }, 'number', /digits/],
      [{ xml: '' }, 'xml', /empty|must be/],
      [{ xml: '<DespatchAdvice' }, 'xml', /well-formed/],
      [{ xml: '<!DOCTYPE x [<!ENTITY a "b">]><DespatchAdvice/>' }, 'xml', /DTD/],
      [{ number: Number(doc.number) + 1000 }, 'xml', /does not name the document/],
      [{ xml: doc.xml.replace('>09</cbc:DespatchAdviceTypeCode>', '>31</cbc:DespatchAdviceTypeCode>') }, 'xml', /DespatchAdviceTypeCode/],
      [{ xml: doc.xml.replace(/schemeID="6">20000000001</, 'schemeID="6">20100070970<') }, 'xml', /supplier's RUC/],
      [{ xml: doc.xml.replace('DespatchAdvice-2', 'Invoice-2') }, 'xml', /namespace/],
      [{ xml: new Uint8Array([0x3c, 0xff, 0xfe]) }, 'xml', /UTF-8/],
    ];
    for (const [patch, field, rule] of cases) {
      const err = await rig.client.send({ ...doc, ...patch } as never).catch((e: unknown) => e);
      expect(GreValidationError.isInstance(err), JSON.stringify(patch)).toBe(true);
      expect((err as GreValidationError).field).toBe(field);
      expect((err as GreValidationError).rule).toMatch(rule);
    }
    const badTicket = await rig.client.getStatus('../../x').catch((e: unknown) => e);
    expect((badTicket as GreValidationError).field).toBe('ticket');
    expect({ tokens: rig.sandbox.stats.tokenRequests, sends: rig.sandbox.stats.sends, polls: rig.sandbox.stats.polls }).toEqual(before);
  });

  it('an ambiguous send (reset after SUNAT stored it) throws GreAmbiguousSendError and is not resent', async () => {
    const doc = guide();
    rig.sandbox.faults.inject({ on: 'send', kind: 'resetAfterStore', count: 1 });
    const sendsBefore = rig.sandbox.stats.sends;
    const err = await rig.client.send(doc).catch((e: unknown) => e);
    expect(GreAmbiguousSendError.isInstance(err)).toBe(true);
    const e = err as GreAmbiguousSendError;
    expect(e.fileName).toBe(`${CLIENT.ruc}-09-T001-${doc.number}.zip`);
    expect(e.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(e.message).toMatch(/not resent/);
    expect(rig.sandbox.stats.sends).toBe(sendsBefore + 1);
    expect(rig.sandbox.stats.received.get(e.fileName)).toBe(1);
  });

  it('a send refused with 503 (not processed) is retried and stored once', async () => {
    rig.sandbox.faults.inject({ on: 'send', kind: 'status503', count: 2, retryAfterSeconds: 0 });
    const retries: GreHookEvent[] = [];
    const client = rig.make({ hooks: { onRetry: (e) => retries.push(e) } });
    const r = await client.submit(guide());
    expect(r.state).toBe('accepted');
    expect(retries.filter((e) => e.operation === 'send')).toHaveLength(2);
    expect(rig.sandbox.stats.received.get(r.fileName)).toBe(1);
  });

  it('a send answered 500 is ambiguous (SUNAT may have stored it)', async () => {
    rig.sandbox.faults.inject({ on: 'send', kind: 'status500', count: 1 });
    const err = await rig.client.send(guide()).catch((e: unknown) => e);
    expect(GreAmbiguousSendError.isInstance(err)).toBe(true);
    expect((err as GreAmbiguousSendError).status).toBe(500);
  });

  it('a gateway HTML page on a status poll is retried, and becomes GATEWAY_HTML when it persists', async () => {
    const sent = await rig.client.send(guide());
    rig.sandbox.faults.inject({ on: 'status', kind: 'html', count: 1 });
    expect((await rig.client.getStatus(sent.ticket)).code).toBe('98');
    rig.sandbox.faults.inject({ on: 'status', kind: 'html', count: 10 });
    const err = await rig
      .make({ maxRetries: 1 })
      .getStatus(sent.ticket)
      .catch((e: unknown) => e);
    rig.sandbox.faults.clear();
    expect(SunatApiError.isInstance(err)).toBe(true);
    expect((err as SunatApiError).code).toBe('GATEWAY_HTML');
    expect((err as SunatApiError).status).toBe(502);
    expect((err as SunatApiError).message).toMatch(/HTML/);
  });

  it('past the deadline waitForResult throws GreTimeoutError with the ticket, and can resume', async () => {
    const slow = await startRig({ pendingPolls: 4 });
    try {
      const sent = await slow.client.send(guide());
      const err = await slow.client.waitForResult(sent.ticket, { timeoutMs: 60, pollIntervalMs: 40 }).catch((e: unknown) => e);
      expect(GreTimeoutError.isInstance(err)).toBe(true);
      expect((err as GreTimeoutError).ticket).toBe(sent.ticket);
      expect((err as GreTimeoutError).message).toMatch(/resume/);
      const done = await slow.client.waitForResult(sent.ticket);
      expect(done.state).toBe('accepted');
    } finally {
      await slow.close();
    }
  });

  it('an aborted wait stops with GreAbortedError carrying the ticket', async () => {
    const sent = await rig.client.send(guide());
    const ac = new AbortController();
    const p = rig.client.waitForResult(sent.ticket, { signal: ac.signal, pollIntervalMs: 10_000, onPoll: () => ac.abort() });
    const err = await p.catch((e: unknown) => e);
    expect((err as { code?: string }).code).toBe('ABORTED');
    expect((err as { ticket?: string }).ticket).toBe(sent.ticket);
  });

  it('no token or secret in errors and hook payloads', async () => {
    const token = await rig.auth.getToken();
    const events: GreHookEvent[] = [];
    const hooks = {
      onRequest: (e: GreHookEvent) => events.push(e),
      onResponse: (e: GreHookEvent) => events.push(e),
      onRetry: (e: GreHookEvent) => events.push(e),
    };
    const client = rig.make({ hooks, maxRetries: 1 });
    const errors: unknown[] = [];
    rig.sandbox.faults.inject({ on: 'send', kind: 'resetAfterStore', count: 1 });
    errors.push(await client.send(guide()).catch((e: unknown) => e));
    rig.sandbox.faults.inject({ on: 'status', kind: 'status500', count: 5 });
    errors.push(await client.getStatus('00000000-0000-4000-8000-000000000001').catch((e: unknown) => e));
    errors.push(await client.getStatus('00000000-0000-4000-8000-000000000001').catch((e: unknown) => e));
    rig.sandbox.faults.clear();
    rig.sandbox.faults.expireTokens();
    const ok = await client.submit(guide());
    expect(ok.state).toBe('accepted');
    expect(events.some((e) => e.status === 401)).toBe(true);
    expect(errors.every((e) => e instanceof Error)).toBe(true);
    const text = everything(errors) + errors.map(everything).join('\n') + JSON.stringify(events);
    for (const secret of [token, ...SECRETS]) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./);
    expect(text).not.toMatch(/authorization/i);
  });
});

describe('faults: 200 submissions with injected 503s, resets and an early token expiry', () => {
  it('every document reaches a final state, each is stored once, token requests = 1 + expiries', async () => {
    const rig = await startRig({
      pendingPolls: 1,
      seed: 7,
      faults: [
        { on: 'send', kind: 'status503', probability: 0.1, retryAfterSeconds: 0 },
        { on: 'status', kind: 'status503', probability: 0.05, retryAfterSeconds: 0 },
        { on: 'status', kind: 'reset', probability: 0.05 },
        { on: 'token', kind: 'reset', count: 1 },
      ],
    });
    try {
      const docs = Array.from({ length: 200 }, (_, i) =>
        guide({ number: 10_000 + i, plate: i % 10 === 0 ? 'ZZ0001' : 'ABC123', grossWeight: i % 25 === 0 ? 0 : 10 }),
      );
      let done = 0;
      const results = await pool(docs, 16, async (doc) => {
        const r = await rig.client.submit(doc, { timeoutMs: 60_000 });
        if (++done === 100) rig.sandbox.faults.expireTokens();
        return r;
      });
      expect(results.map((r) => r.state).filter((s) => s === 'pending')).toEqual([]);
      expect(results.filter((r) => r.state === 'rejected').map((r) => r.error?.code)).toEqual(Array(8).fill('2523'));
      expect(rig.sandbox.stats.received.size).toBe(200);
      expect([...rig.sandbox.stats.received.values()].every((n) => n === 1)).toBe(true);
      expect(rig.sandbox.stats.faults).toBeGreaterThan(20);
      // one token, one renewal after the early expiry; the reset token request never reached the issuer
      expect(rig.sandbox.stats.tokenRequests).toBe(2);
    } finally {
      await rig.close();
    }
  });
});

async function pool<T, R>(items: T[], concurrency: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let i = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (i < items.length) {
        const k = i++;
        out[k] = await fn(items[k]!);
      }
    }),
  );
  return out;
}
