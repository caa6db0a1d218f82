import { Server } from 'node:net';
import { despatchAdviceXml } from '@internal/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CODES, SunatSandboxError, type SunatSandboxState, startSunatSandbox } from '../src/index.js';
import { CLIENT, type Harness, OTHER, startHarness, strFromU8, unzipSync } from './helpers.js';

const PENDING = 2;
const cdrXml = (arcCdr: string): string => strFromU8(Object.values(unzipSync(Buffer.from(arcCdr, 'base64')))[0]!);
const guide = (number: number, over: Partial<Parameters<typeof despatchAdviceXml>[0]> = {}) => ({
  number,
  xml: despatchAdviceXml({ ruc: CLIENT.ruc, type: '09', series: 'T001', number, ...over }),
});

describe('snapshot and restore across a restart', () => {
  let before: Harness;
  let after: Harness;
  let oldToken: string;
  let saved: SunatSandboxState;
  let text: string;
  const t: Record<'accepted' | 'plate' | 'rejected' | 'duplicate' | 'other', string> = {} as never;
  let rejectedFinal: any;

  beforeAll(async () => {
    before = await startHarness({ pendingPolls: PENDING });
    oldToken = await before.token();
    const otherToken = await before.token(OTHER);
    const ticketOf = async (res: Promise<{ status: number; json: any }>) => {
      const r = await res;
      expect(r.status).toBe(200);
      return r.json.numTicket as string;
    };
    t.accepted = await ticketOf(before.send(oldToken, guide(1)));
    t.plate = await ticketOf(before.send(oldToken, guide(2, { plate: 'ZZ777' })));
    t.rejected = await ticketOf(before.send(oldToken, guide(3, { customizationId: '1.0' })));
    t.duplicate = await ticketOf(before.send(oldToken, guide(1)));
    t.other = await ticketOf(before.send(otherToken, { ruc: OTHER.ruc, number: 9 }));
    // Partial polls: plate 1 of 2 pending, duplicate 2 of 2 pending, rejected to its verdict.
    expect((await before.status(oldToken, t.plate)).json).toEqual({ codRespuesta: '98' });
    for (let i = 0; i < PENDING; i++) expect((await before.status(oldToken, t.duplicate)).json).toEqual({ codRespuesta: '98' });
    for (let i = 0; i < PENDING; i++) await before.status(oldToken, t.rejected);
    rejectedFinal = (await before.status(oldToken, t.rejected)).json;
    expect(rejectedFinal).toMatchObject({ codRespuesta: '99', error: { numError: '2112' }, indCdrGenerado: '1' });

    text = JSON.stringify(before.sandbox.snapshot());
    saved = JSON.parse(text) as SunatSandboxState;
    await before.close();
    after = await startHarness({ pendingPolls: PENDING, state: saved });
  });
  afterAll(async () => {
    await after?.close();
  });

  it('keeps every ticket with its poll count and no secret', () => {
    expect(saved.version).toBe(1);
    const polls = Object.fromEntries(saved.documents.map((d) => [d.ticket, d.polls]));
    expect(polls).toEqual({ [t.accepted]: 0, [t.plate]: 1, [t.rejected]: 3, [t.duplicate]: 2, [t.other]: 0 });
    expect(saved.registered.sort()).toEqual([
      '20000000001-09-T001-1',
      '20000000001-09-T001-2',
      '20000000001-09-T001-3',
      '20100070970-09-T001-9',
    ]);
    for (const secret of [CLIENT.clientSecret, CLIENT.solPassword, oldToken]) expect(text).not.toContain(secret);
  });

  it('a snapshot right after restore equals the restored state, and stats start at zero', () => {
    expect(after.sandbox.snapshot()).toStrictEqual(saved);
    expect(after.sandbox.stats).toMatchObject({ sends: 0, polls: 0, tokenRequests: 0, faults: 0 });
    expect(after.sandbox.stats.received.size).toBe(0);
  });

  it('old tokens are refused: clients authenticate again', async () => {
    expect((await after.status(oldToken, t.accepted)).status).toBe(401);
  });

  it('polling continues to the same verdicts', async () => {
    const token = await after.token();
    const poll = async (ticket: string) => (await after.status(token, ticket)).json;
    // never polled: all pending polls left
    expect(await poll(t.accepted)).toEqual({ codRespuesta: '98' });
    expect(await poll(t.accepted)).toEqual({ codRespuesta: '98' });
    const accepted = await poll(t.accepted);
    expect(accepted).toMatchObject({ codRespuesta: '0', indCdrGenerado: '1' });
    expect(cdrXml(accepted.arcCdr)).toContain('<cbc:ReferenceID>T001-1</cbc:ReferenceID>');
    // polled once: one pending poll left, then accepted with the 4398 note
    expect(await poll(t.plate)).toEqual({ codRespuesta: '98' });
    const plate = await poll(t.plate);
    expect(plate.codRespuesta).toBe('0');
    expect(cdrXml(plate.arcCdr)).toContain('placa: ZZ777</cbc:Note>');
    // answered before the restart: the very same answer and CDR
    expect(await poll(t.rejected)).toEqual(rejectedFinal);
    // all pending polls spent: the 1033 verdict at once, without CDR
    expect(await poll(t.duplicate)).toEqual({
      codRespuesta: '99',
      error: { numError: '1033', desError: expect.any(String) },
      indCdrGenerado: '0',
    });
  });

  it('resends of stored guides get 1033; a new guide is accepted', async () => {
    const token = await after.token();
    const verdict = async (doc: ReturnType<typeof guide>) => {
      const sent = await after.send(token, doc);
      expect(sent.status).toBe(200);
      for (let i = 0; i < PENDING; i++) await after.status(token, sent.json.numTicket);
      return (await after.status(token, sent.json.numTicket)).json;
    };
    expect((await verdict(guide(1))).error?.numError).toBe('1033');
    expect((await verdict(guide(3, { customizationId: '2.0' }))).error?.numError).toBe('1033');
    expect((await verdict(guide(4))).codRespuesta).toBe('0');
  });

  it("another RUC's ticket is still refused with 0126, and its owner still gets it", async () => {
    const res = await after.status(await after.token(), t.other);
    expect(res.status).toBe(422);
    const item = res.json.errors[0];
    expect(item.msg ?? item.desError).toBe(CODES['0126']);
    const own = await after.status(await after.token(OTHER), t.other);
    expect(own.json).toEqual({ codRespuesta: '98' });
  });

  describe('a malformed state is refused before any socket is opened', () => {
    const mutations: [string, (s: any) => unknown, string][] = [
      ['not an object', () => 'state', 'state'],
      ['wrong version', (s) => ({ ...s, version: 2 }), 'state.version'],
      ['documents not an array', (s) => ({ ...s, documents: {} }), 'state.documents'],
      ['registered missing', (s) => ({ ...s, registered: undefined }), 'state.registered'],
      ['negative polls', (s) => void (s.documents[0].polls = -1), 'state.documents[0].polls'],
      ['polls as text', (s) => void (s.documents[1].polls = '1'), 'state.documents[1].polls'],
      ['ticket not a UUID', (s) => void (s.documents[0].ticket = 'ticket-1'), 'state.documents[0].ticket'],
      ['repeated ticket', (s) => void (s.documents[1].ticket = s.documents[0].ticket), 'state.documents[1].ticket'],
      ['receivedAt not ISO', (s) => void (s.documents[0].receivedAt = 'yesterday'), 'state.documents[0].receivedAt'],
      ['baseName of another RUC', (s) => void (s.documents[0].baseName = '20100070970-09-T001-1'), 'state.documents[0].baseName'],
      ['unknown outcome code', (s) => void (s.documents[2].outcome = { code: '9999', cdr: true }), 'state.documents[2].outcome.code'],
      ['final of another verdict', (s) => void (s.documents[2].final.codRespuesta = '0'), 'state.documents[2].final.codRespuesta'],
      ['registered key with padding', (s) => void (s.registered[0] = '20000000001-09-T001-001'), 'state.registered[0]'],
    ];
    it('(control: the unchanged state starts and listens)', async () => {
      const listen = vi.spyOn(Server.prototype, 'listen');
      try {
        const sandbox = await startSunatSandbox({ clients: [CLIENT], state: structuredClone(saved) });
        await sandbox.close();
        expect(listen).toHaveBeenCalled();
      } finally {
        listen.mockRestore();
      }
    });
    it.each(mutations.map(([name, mutate, field]) => ({ name, mutate, field })))('$name → BAD_OPTION $field', async ({ mutate, field }) => {
      const state = structuredClone(saved) as any;
      const order = [t.accepted, t.plate, t.rejected, t.duplicate, t.other];
      state.documents.sort((a: any, b: any) => order.indexOf(a.ticket) - order.indexOf(b.ticket));
      const changed = mutate(state) ?? state;
      const listen = vi.spyOn(Server.prototype, 'listen');
      try {
        const error = await startSunatSandbox({ clients: [CLIENT], state: changed as SunatSandboxState }).then(
          async (s) => {
            await s.close();
            return undefined;
          },
          (e: unknown) => e,
        );
        expect(SunatSandboxError.isInstance(error)).toBe(true);
        expect(error).toMatchObject({ code: 'BAD_OPTION', field });
        expect(listen).not.toHaveBeenCalled();
      } finally {
        listen.mockRestore();
      }
    });
  });
});
