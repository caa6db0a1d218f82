import { despatchAdviceXml } from '@internal/testkit';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT, type Harness, NO_GRE, OTHER, startHarness } from './helpers.js';

let h: Harness;
let token: string;
let n = 100;
beforeAll(async () => {
  h = await startHarness();
  token = await h.token();
});
afterAll(() => h.close());
afterEach(() => h.sandbox.faults.clear());

const form = (fields: Record<string, string>): string => new URLSearchParams(fields).toString();
const tokenForm = {
  grant_type: 'password',
  scope: 'https://api-cpe.sunat.gob.pe',
  client_id: CLIENT.clientId,
  client_secret: CLIENT.clientSecret,
  username: CLIENT.ruc + CLIENT.solUser,
  password: CLIENT.solPassword,
};
const postToken = (fields: Record<string, string>, clientId = CLIENT.clientId, contentType = 'application/x-www-form-urlencoded') =>
  h.call('auth', `/clientessol/${clientId}/oauth2/token/`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: form(fields),
  });

async function finalStatus(ticket: string, tok = token): Promise<any> {
  for (let i = 0; i < 5; i++) {
    const res = await h.status(tok, ticket);
    expect(res.status).toBe(200);
    if (res.json.codRespuesta !== '98') return res.json;
  }
  throw new Error('still pending');
}
const cdrXml = (arcCdr: string): string => {
  const files = unzipSync(Buffer.from(arcCdr, 'base64'));
  return strFromU8(Object.values(files)[0]!);
};
async function sendGuide(over: Partial<Parameters<typeof despatchAdviceXml>[0]> = {}) {
  const number = over.number ?? ++n;
  const type = over.type ?? '09';
  const series = over.series ?? (type === '09' ? 'T001' : 'V001');
  const res = await h.send(token, { type, series, number, xml: despatchAdviceXml({ ruc: CLIENT.ruc, type, series, number, ...over }) });
  expect(res.status).toBe(200);
  return res.json as { numTicket: string; fecRecepcion: string };
}

describe('token endpoint', () => {
  it('issues a JWT with expires_in and token_type', async () => {
    const res = await postToken(tokenForm);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ token_type: 'JWT', expires_in: 3600 });
    const [header, payload] = res.json.access_token
      .split('.')
      .slice(0, 2)
      .map((p: string) => JSON.parse(Buffer.from(p, 'base64url').toString()));
    expect(header.alg).toBe('RS256');
    expect(payload.exp - payload.iat).toBe(3600);
    expect(JSON.parse(payload.aud)[0].recursos.map((r: { id: string }) => r.id)).toContain('/v1/contribuyente/gem');
  });

  it.each([
    ['missing grant_type', { ...tokenForm, grant_type: '' }, 400, 'invalid_request'],
    ['unknown grant', { ...tokenForm, grant_type: 'authorization_code' }, 400, 'unsupported_grant_type'],
    ['missing password', { ...tokenForm, password: '' }, 400, 'invalid_request'],
    ['body client_id differs', { ...tokenForm, client_id: 'x' }, 400, 'invalid_request'],
    ['wrong secret', { ...tokenForm, client_secret: 'nope' }, 401, 'invalid_client'],
    ['wrong scope', { ...tokenForm, scope: 'https://example.com' }, 400, 'invalid_scope'],
    ['username without the RUC', { ...tokenForm, username: CLIENT.solUser }, 400, 'invalid_grant'],
    ['wrong SOL password', { ...tokenForm, password: 'nope' }, 400, 'invalid_grant'],
  ])('%s → %i %s', async (_name, fields, status, error) => {
    const res = await postToken(fields as Record<string, string>);
    expect(res.status).toBe(status);
    expect(res.json.error).toBe(error);
    expect(typeof res.json.error_description).toBe('string');
  });

  it('unknown client → 401, a text body → 415, no trailing slash → 404', async () => {
    expect((await postToken({ ...tokenForm, client_id: 'ghost' }, 'ghost')).status).toBe(401);
    expect((await postToken(tokenForm, CLIENT.clientId, 'text/plain')).json).toMatchObject({ cod: '415', exc: null });
    const res = await h.call('auth', `/clientessol/${CLIENT.clientId}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form(tokenForm),
    });
    expect(res.status).toBe(404);
  });

  it('client_credentials needs no SOL user, for another API: its token sends no guide', async () => {
    const res = await postToken({
      grant_type: 'client_credentials',
      scope: 'https://api.sunat.gob.pe',
      client_id: CLIENT.clientId,
      client_secret: CLIENT.clientSecret,
    });
    expect(res.status).toBe(200);
    const sent = await h.send(res.json.access_token, { number: ++n });
    expect(sent.status).toBe(403);
  });

  it('client_credentials is refused for the GRE scope: the manual fixes grant_type to password', async () => {
    for (const scope of [tokenForm.scope, undefined]) {
      const fields: Record<string, string> = {
        grant_type: 'client_credentials',
        client_id: CLIENT.clientId,
        client_secret: CLIENT.clientSecret,
      };
      if (scope) fields.scope = scope;
      const res = await postToken(fields);
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({ error: 'unsupported_grant_type' });
      expect(res.json.error_description).toMatch(/password/);
    }
  });

  it("answers the manual's own request: Content-Type Application/json over a form body, no scope (its Postman example)", async () => {
    const { scope: _scope, ...postman } = tokenForm;
    for (const contentType of ['Application/json', 'application/json']) {
      const res = await postToken(postman, CLIENT.clientId, contentType);
      expect(res.status).toBe(200);
      const sent = await h.send(res.json.access_token, { number: ++n });
      expect(sent.status).toBe(200);
    }
  });

  it("406 with the manual's text when the client accepts no JSON, on both hosts", async () => {
    const notAcceptable = 'Not Acceptable - El Recurso no puede responder al Cliente en el Media Type solicitado en el Request';
    const tokenRes = await h.call('auth', `/clientessol/${CLIENT.clientId}/oauth2/token/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/xml' },
      body: form(tokenForm),
    });
    expect(tokenRes.status).toBe(406);
    expect(tokenRes.json).toEqual({ cod: '406', msg: notAcceptable, exc: null });
    const statusRes = await h.call('cpe', '/contribuyente/gem/comprobantes/envios/00000000-0000-4000-8000-000000000000', {
      headers: { authorization: `Bearer ${token}`, accept: 'text/html, application/json;q=0' },
    });
    expect(statusRes.status).toBe(406);
    const ok = await h.call('cpe', '/contribuyente/gem/comprobantes/envios/00000000-0000-4000-8000-000000000000', {
      headers: { authorization: `Bearer ${token}`, accept: 'text/html, */*;q=0.1' },
    });
    expect(ok.status).not.toBe(406);
  });

  it("an oversized request is the manual's 400, not an invented 413", async () => {
    const res = await h.call('auth', `/clientessol/${CLIENT.clientId}/oauth2/token/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: Buffer.alloc(128 * 1024, 0x61),
    });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ cod: '400', msg: expect.stringMatching(/^Bad Request - /) });
  });
});

describe('GRE calls and the bearer token', () => {
  it('401 without, with a forged, or with an expired token', async () => {
    const noAuth = await h.call('cpe', '/contribuyente/gem/comprobantes/envios/00000000-0000-4000-8000-000000000000');
    expect(noAuth.status).toBe(401);
    expect(noAuth.json).toMatchObject({ cod: '401', exc: null });
    const [a, b] = token.split('.');
    expect((await h.status(`${a}.${b}.AAAA`, '00000000-0000-4000-8000-000000000000')).status).toBe(401);
    const old = await h.token();
    h.sandbox.faults.expireTokens();
    expect((await h.status(old, '00000000-0000-4000-8000-000000000000')).status).toBe(401);
    token = await h.token();
  });

  it('403 for credentials without the GRE resource', async () => {
    const t = await h.token(NO_GRE);
    const res = await h.send(t, { number: 1 });
    expect(res.status).toBe(403);
    expect(res.json.cod).toBe('403');
  });
});

describe('verdicts', () => {
  it('accepted: 98 for pendingPolls polls, then 0 with the CDR', async () => {
    const { numTicket, fecRecepcion } = await sendGuide({ number: 1 });
    const limaNow = new Date(Date.now() - 5 * 3600_000).toISOString().slice(0, 13);
    expect(fecRecepcion.slice(0, 13)).toBe(limaNow);
    expect((await h.status(token, numTicket)).json).toEqual({ codRespuesta: '98' });
    const final = await finalStatus(numTicket);
    expect(final).toMatchObject({ codRespuesta: '0', indCdrGenerado: '1' });
    expect(final.error).toBeUndefined();
    const xml = cdrXml(final.arcCdr);
    expect(xml).toContain('<cbc:ReferenceID>T001-1</cbc:ReferenceID>');
    expect(xml).toContain('descargaqr?hashqr=');
    expect(xml).not.toContain('<cbc:Note>');
  });

  it('a plate starting with ZZ: accepted with note 4398', async () => {
    const final = await finalStatus((await sendGuide({ plate: 'ZZ1234' })).numTicket);
    expect(final.codRespuesta).toBe('0');
    expect(cdrXml(final.arcCdr)).toContain(
      '<cbc:Note>4398 - El N&#250;mero de placa no se encuentra en las bases consultadas, placa: ZZ1234</cbc:Note>',
    );
  });

  it.each([
    ['CustomizationID 1.0', { customizationId: '1.0' }, '2112'],
    ['gross weight 0', { grossWeight: 0 }, '2523'],
  ])('%s → 99/%s with a rejection CDR', async (_name, over, code) => {
    const final = await finalStatus((await sendGuide(over)).numTicket);
    expect(final.codRespuesta).toBe('99');
    expect(final.error.numError).toBe(code);
    expect(final.indCdrGenerado).toBe('1');
    expect(cdrXml(final.arcCdr)).toContain(`<cbc:ResponseCode>${code}</cbc:ResponseCode>`);
  });

  it('a type 31 guide without a plate → 2566', async () => {
    const xml = despatchAdviceXml({ ruc: CLIENT.ruc, type: '31', series: 'V001', number: 5 }).replace(
      /<cac:TransportHandlingUnit>.*<\/cac:TransportHandlingUnit>/,
      '',
    );
    const res = await h.send(token, { type: '31', series: 'V001', number: 5, xml });
    expect((await finalStatus(res.json.numTicket)).error.numError).toBe('2566');
  });

  it('the same document twice: the second ticket ends 99/1033 without CDR, padded or not', async () => {
    const first = await sendGuide({ number: 900 });
    expect((await finalStatus(first.numTicket)).codRespuesta).toBe('0');
    const padded = '00000900';
    const second = await h.send(token, {
      number: padded,
      xml: despatchAdviceXml({ ruc: CLIENT.ruc, type: '09', series: 'T001', number: padded }),
    });
    const final = await finalStatus(second.json.numTicket);
    expect(final).toEqual({
      codRespuesta: '99',
      error: { numError: '1033', desError: 'El comprobante fue registrado previamente con otros datos' },
      indCdrGenerado: '0',
    });
  });

  it('unknown ticket → 422 0127; a ticket of another RUC → 422 0126', async () => {
    const unknown = await h.status(token, '00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(422);
    expect(JSON.stringify(unknown.json.errors)).toMatch(/0?127/);
    const { numTicket } = await sendGuide();
    const other = await h.status(await h.token(OTHER), numTicket);
    expect(other.status).toBe(422);
    expect(JSON.stringify(other.json.errors)).toMatch(/0?126/);
  });
});

describe('faults', () => {
  it('503 with Retry-After, 500 with {cod,msg,exc}, HTML 502/504', async () => {
    h.sandbox.faults.inject({ on: 'send', kind: 'status503', retryAfterSeconds: 7 });
    const r503 = await h.send(token, { number: 1 });
    expect(r503.status).toBe(503);
    expect(r503.headers['retry-after']).toBe('7');
    h.sandbox.faults.inject({ on: 'status', kind: 'status500' });
    const r500 = await h.status(token, '00000000-0000-4000-8000-000000000000');
    expect(r500.status).toBe(500);
    expect(Object.keys(r500.json).sort()).toEqual(['cod', 'exc', 'msg']);
    h.sandbox.faults.inject({ on: 'any', kind: 'html', status: 504 });
    const html = await h.status(token, '00000000-0000-4000-8000-000000000000');
    expect(html.status).toBe(504);
    expect(html.headers['content-type']).toBe('text/html');
    expect(html.text).toContain('504 Gateway Time-out');
  });

  it('reset stores nothing; resetAfterStore stores and drops the answer', async () => {
    const name = `${CLIENT.ruc}-09-T001-777.zip`;
    h.sandbox.faults.inject({ on: 'send', kind: 'reset' });
    await expect(h.send(token, { number: 777 })).rejects.toThrow();
    expect(h.sandbox.stats.received.get(name)).toBeUndefined();
    const sends = h.sandbox.stats.sends;
    h.sandbox.faults.inject({ on: 'send', kind: 'resetAfterStore' });
    await expect(h.send(token, { number: 777 })).rejects.toThrow();
    expect(h.sandbox.stats.received.get(name)).toBe(1);
    expect(h.sandbox.stats.sends).toBe(sends + 1);
    // the re-send is a duplicate
    const again = await h.send(token, { number: 777 });
    expect((await finalStatus(again.json.numTicket)).error.numError).toBe('1033');
    expect(h.sandbox.stats.received.get(name)).toBe(2);
  });

  it('count limits a rule; slow delays the answer', async () => {
    h.sandbox.faults.inject({ on: 'token', kind: 'status503', count: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await postToken(tokenForm)).status);
    expect(statuses).toEqual([503, 503, 200]);
    // slow: a delayed token answer arrives after a status answer asked later
    // 2 s: ten times what a status exchange takes on a loaded machine, so the order below is not a race
    h.sandbox.faults.inject({ on: 'token', kind: 'slow', delayMs: 2000 });
    const order: string[] = [];
    const slow = postToken(tokenForm).then((r) => order.push(`token ${r.status}`));
    await h.status(token, '00000000-0000-4000-8000-000000000000').then((r) => order.push(`status ${r.status}`));
    await slow;
    expect(order).toEqual(['status 422', 'token 200']);
  });

  it('probability faults follow the seed', async () => {
    const pattern = async (seed: number): Promise<number[]> => {
      const other = await startHarness({ seed, faults: [{ on: 'token', kind: 'status503', probability: 0.5 }] });
      try {
        const out: number[] = [];
        for (let i = 0; i < 12; i++)
          out.push(
            (
              await other.call('auth', `/clientessol/${CLIENT.clientId}/oauth2/token/`, {
                method: 'POST',
                headers: { 'content-type': 'application/x-www-form-urlencoded' },
                body: form(tokenForm),
              })
            ).status,
          );
        return out;
      } finally {
        await other.close();
      }
    };
    const a = await pattern(42);
    expect(await pattern(42)).toEqual(a);
    expect(a).toContain(503);
    expect(a).toContain(200);
  });
});

describe('plain HTTP', () => {
  it('tls: false serves http:// and exposes no CA', async () => {
    const plain = await startHarness({ tls: false });
    try {
      expect(plain.sandbox.ca).toBeUndefined();
      expect(plain.sandbox.cpeUrl).toMatch(/^http:\/\//);
      expect(await plain.token()).toMatch(/^eyJ/);
    } finally {
      await plain.close();
    }
  });
});

describe("the token host's refusals in the manual's {cod, msg, exc} (tokenErrorStyle 'sunat')", () => {
  it('bad password, bad secret, client_credentials for the GRE: cod is the status, msg the reason', async () => {
    const sunat = await startHarness({ tokenErrorStyle: 'sunat' });
    try {
      const post = (fields: Record<string, string>) =>
        sunat.call('auth', `/clientessol/${CLIENT.clientId}/oauth2/token/`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: form(fields),
        });
      const badPassword = await post({ ...tokenForm, password: 'nope' });
      expect(badPassword.status).toBe(400);
      expect(badPassword.json).toEqual({ cod: '400', msg: expect.stringMatching(/contraseña/), exc: null });
      const badSecret = await post({ ...tokenForm, client_secret: 'nope' });
      expect(badSecret.json).toEqual({ cod: '401', msg: 'cliente no autorizado', exc: null });
      const grant = await post({ ...tokenForm, grant_type: 'client_credentials' });
      expect(grant.json).toMatchObject({ cod: '400', msg: expect.stringMatching(/valor fijo/) });
      expect((await post(tokenForm)).status).toBe(200);
    } finally {
      await sunat.close();
    }
  });
});
