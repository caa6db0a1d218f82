// The sandbox judges a guide with the rules the client validates it with (@internal/sunat-kit): over real sockets,
// a guide that breaks a rule is rejected with SUNAT's code, one with an observation is accepted with the note in
// its CDR, and for random guides the sandbox's verdict is the first code findGuideProblems gives.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDespatchAdvice } from '../src/gre/build.js';
import { checkSunatPatterns, checkSunatRules, findGuideProblems, type Guide, signXml } from '../src/gre/index.js';
import { carrierGuide, makeTestKey, RUC, senderGuide, type TestKey } from './gre-fixtures.js';
import { CARRIER, OTHER_PARTY, randomGuide, senderFor } from './gre-random.js';
import { CLIENT, type Rig, startRig } from './helpers.js';

let key: TestKey;
let rig: Rig;
beforeAll(async () => {
  key = await makeTestKey();
  rig = await startRig({ signature: 'required', pendingPolls: 0 });
});
afterAll(async () => {
  await rig?.close();
});

let next = 7000;
/** The same guide issued by the sandbox's client: the issuer's RUC becomes CLIENT.ruc wherever it stands. */
function own(g: Guide): Guide {
  const json = JSON.stringify({ ...g, number: next++ });
  return JSON.parse(json.replaceAll(g.issuer.ruc, CLIENT.ruc)) as Guide;
}

/** Signs and sends the guide as written, without the client's validation (the sandbox is the judge here). */
function send(g: Guide) {
  const xml = signXml(writeDespatchAdvice(g), { pfx: key.pfx, passphrase: key.passphrase });
  return rig.client.submit({ ruc: g.issuer.ruc, type: g.type, series: g.series, number: Number(g.number), xml }, { timeoutMs: 30_000 });
}

describe("the sandbox judges with SUNAT's GRE rules", () => {
  it('a guide whose recipient is the sender on a sale (reason 01) → 99 with 2555 and its text', async () => {
    const g = own(senderGuide({ recipient: { documentType: '6', documentNumber: RUC.sender, name: 'Compañía Peruana de Envíos S.A.C.' } }));
    expect(findGuideProblems(g)[0]?.sunatCode).toBe('2555');
    const result = await send(g);
    expect(result).toMatchObject({ state: 'rejected', code: '99' });
    expect(result.error?.code).toBe('2555');
    expect(result.error?.message).toContain('Destinatario no debe ser igual al remitente');
  });

  it('public transport whose carrier has no MTC registration → accepted, with observation 4391 in the CDR', async () => {
    const g = own(senderFor('01', '01'));
    if (g.type === '09') g.shipment.carrier = { ruc: CARRIER.ruc, name: CARRIER.name };
    expect(findGuideProblems(g)).toEqual([]);
    const result = await send(g);
    expect(result).toMatchObject({ state: 'accepted', code: '0' });
    expect(result.cdr?.notes.map((n) => n.code)).toEqual(['4391']);
    expect(result.cdr?.notes[0]?.text).toContain('Registro MTC del transportista');
  });

  it('a supplier left out on reason 02 → accepted with 4375; given → no note', async () => {
    const without = own(senderFor('02', '02'));
    delete without.seller;
    const withSeller = own(senderFor('02', '02', { seller: OTHER_PARTY }));
    expect((await send(without)).cdr?.notes.map((n) => n.code)).toEqual(['4375']);
    expect((await send(withSeller)).cdr?.notes).toEqual([]);
  });

  it("another system's XML whose licence breaks SUNAT's pattern, signed and submitted → 99 with 2573, as the stylesheets say", async () => {
    const g = own(senderGuide());
    const xml = writeDespatchAdvice(g).replace('<cbc:ID>Q45678912</cbc:ID>', '<cbc:ID>Q-4567891</cbc:ID>');
    expect(xml).toContain('Q-4567891');
    const signed = signXml(xml, { pfx: key.pfx, passphrase: key.passphrase });
    const result = await rig.client.submit(
      { ruc: g.issuer.ruc, type: g.type, series: g.series, number: Number(g.number), xml: signed },
      { timeoutMs: 30_000 },
    );
    expect(result).toMatchObject({ state: 'rejected', code: '99' });
    expect(result.error?.code).toBe('2573');
    expect(result.error?.message).toContain('licencia del conductor');
  });

  it('a subcontracted 31 whose subcontractor is its own issuer → 99 with 3390; one without a subcontractor → accepted with 4424–4426', async () => {
    const c = carrierGuide({ shipment: { ...carrierGuide().shipment, indicators: ['SUNAT_Envio_IndicadorTrasporteSubcontratado'] } });
    const self = own({ ...c, subcontractor: { ruc: c.issuer.ruc, name: c.issuer.name } });
    expect(findGuideProblems(self).map((p) => p.sunatCode)).toEqual(['3390']);
    expect((await send(self)).error?.code).toBe('3390');
    const without = await send(own(c));
    expect(without).toMatchObject({ state: 'accepted', code: '0' });
    expect(without.cdr?.notes.map((n) => n.code)).toEqual(['4424', '4425', '4426']);
  });

  it("property: for random guides, the sandbox's verdict is the first code findGuideProblems gives", async () => {
    const guides = fc.sample(randomGuide, {
      numRuns: Number(process.env.GRE_SANDBOX_RUNS ?? 60),
      seed: Number(process.env.GRE_SANDBOX_SEED ?? 15),
    });
    const failures: string[] = [];
    let accepted = 0;
    let rejected = 0;
    for (const original of guides) {
      const g = own(original);
      const problems = findGuideProblems(g);
      const ruled: string[] = [];
      const rule = (_f: string, _r: string, _m: string, code?: string) => ruled.push(code ?? '');
      checkSunatPatterns(g, rule);
      if (ruled.length === 0) checkSunatRules(g, rule);
      // Only guides whose problems are all SUNAT-coded patterns and cross-field rules (the other format checks are the client's alone).
      if (problems.map((p) => p.sunatCode ?? '').join(' ') !== ruled.join(' ') || ruled.includes('')) continue;
      const result = await send(g);
      const expected = problems[0]?.sunatCode ?? '0';
      const got = result.code === '0' ? '0' : result.error?.code;
      if (got !== expected) failures.push(`${g.type} ${g.series}-${g.number}: findGuideProblems ${expected}, sandbox ${got}`);
      if (expected === '0') accepted++;
      else rejected++;
    }
    expect(failures.join('\n')).toBe('');
    // both verdicts are exercised
    expect(accepted).toBeGreaterThan(5);
    expect(rejected).toBeGreaterThan(5);
  }, 120_000);
});
