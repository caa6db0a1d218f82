// The demo's three guides show SUNAT's outcomes as SUNAT's own stylesheets decide them: each signed XML goes
// through the stylesheets (Saxon) and, over a real socket, through the sandbox with `client.submit`; both must give
// the same verdict and code.
import { runSunatXsl, sunatXslOrSkip } from '@internal/testkit';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeGreSigningKey } from '../src/keys.js';
import { type Sandboxes, SUNAT_SANDBOX_CLIENT, startSandboxes } from '../src/sandboxes.js';
import { connectSunat, demoGuides, type PlannedGuide, type SunatConnection } from '../src/sunat-flow.js';

const hasSaxon = sunatXslOrSkip();

describe.skipIf(!hasSaxon)("the demo's guides: SUNAT's stylesheets and the sandbox agree", () => {
  let planned: PlannedGuide[];
  let sandboxes: Sandboxes;
  let agent: Agent;
  let conn: SunatConnection;
  beforeAll(async () => {
    planned = demoGuides(SUNAT_SANDBOX_CLIENT.ruc, await makeGreSigningKey('GRE DEMO TEST'));
    sandboxes = await startSandboxes({ flows: ['sunat'] });
    agent = new Agent({ connect: { ca: sandboxes.sunat!.ca } });
    conn = connectSunat({
      authUrl: sandboxes.sunat!.authUrl,
      cpeUrl: sandboxes.sunat!.cpeUrl,
      dispatcher: agent,
      credentials: SUNAT_SANDBOX_CLIENT,
      pollIntervalMs: 20,
    });
  });
  afterAll(async () => {
    await conn?.auth.close();
    await agent?.close();
    await sandboxes?.close();
  });

  it('accepted, observed 4391, rejected 2573: the same verdicts from the stylesheets and from the sandbox', async () => {
    const xsl = runSunatXsl(
      planned.map((p) => ({
        type: p.guide.type,
        xml: p.signedXml(),
        fileName: `${p.guide.issuer.ruc}-${p.guide.type}-${p.guide.series}-${p.guide.number}.xml`,
      })),
    );
    expect(xsl.map((r) => [r.errors.map((e) => e.code), r.warnings.map((w) => w.code)])).toEqual([
      [[], []],
      [[], ['4391']],
      [['2573'], []],
    ]);
    const verdicts = [];
    for (const p of planned) {
      const { guide } = p;
      const r = await conn.gre.submit(
        { ruc: guide.issuer.ruc, type: guide.type, series: guide.series, number: guide.number, xml: p.signedXml() },
        { timeoutMs: 60_000 },
      );
      verdicts.push([r.state, r.code, r.error?.code ?? null, r.cdr?.notes.map((n) => n.code) ?? null]);
    }
    expect(verdicts).toEqual([
      ['accepted', '0', null, []],
      ['accepted', '0', null, ['4391']],
      ['rejected', '99', '2573', []],
    ]);
  });
});
