import { despatchAdviceXml, readFixture } from '@internal/testkit';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CLIENT, type Harness, NO_GRE, startHarness } from './helpers.js';

type Json = Record<string, any>;

/**
 * The public OpenAPI file (thegreenter/gre-api), patched for the gaps SUNAT-GRE.md lists: two hosts,
 * no 400/401/403, no `exc`, only `{cod,msg}` items, `fecRecepcion` as date-time without an offset, `cod` of one type.
 */
function patchedSpec(): Json {
  const spec = parse(readFixture('sunat/gre-api.openapi.yaml').toString('utf8')) as Json;
  const s = spec.components.schemas;
  s.CpeError = {
    type: 'object',
    required: ['cod', 'msg'],
    properties: { cod: { type: ['string', 'integer'] }, msg: { type: 'string' }, exc: { type: ['string', 'null'] } },
  };
  s.CpeErrorItem = {
    oneOf: [
      {
        type: 'object',
        required: ['cod', 'msg'],
        properties: { cod: { type: ['string', 'integer'] }, msg: { type: 'string' } },
        additionalProperties: false,
      },
      {
        type: 'object',
        required: ['codError', 'desError'],
        properties: { codError: { type: 'string' }, desError: { type: 'string' } },
        additionalProperties: false,
      },
    ],
  };
  s.CpeErrorValidation.required = ['cod', 'msg', 'errors'];
  s.CpeErrorValidation.properties.cod = { type: ['string', 'integer'] };
  s.CpeErrorValidation.properties.exc = { type: ['string', 'null'] };
  s.CpeErrorValidation.properties.errors.items = { $ref: '#/components/schemas/CpeErrorItem' };
  s.CpeResponse.required = ['numTicket', 'fecRecepcion'];
  s.CpeResponse.properties.fecRecepcion = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}$' };
  s.CpeResponse.properties.numTicket.format = undefined;
  s.CpeResponse.additionalProperties = false;
  s.StatusResponse.required = ['codRespuesta'];
  s.StatusResponse.properties.codRespuesta.enum = ['0', '98', '99'];
  s.StatusResponse.properties.indCdrGenerado.enum = ['0', '1'];
  s.StatusResponse.properties.error.required = ['numError', 'desError'];
  s.StatusResponse.additionalProperties = false;
  s.ApiToken.required = ['access_token', 'token_type', 'expires_in'];
  s.OAuthError = {
    type: 'object',
    required: ['error', 'error_description'],
    properties: { error: { type: 'string' }, error_description: { type: 'string' } },
  };
  const json = (ref: string): Json => ({ content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } } });
  const token = spec.paths['/clientessol/{client_id}/oauth2/token/'].post;
  token.servers = [{ url: 'https://api-seguridad.sunat.gob.pe/v1' }];
  token.requestBody.content['application/x-www-form-urlencoded'].schema.required = ['grant_type', 'scope', 'client_id', 'client_secret'];
  Object.assign(token.responses, { '400': json('OAuthError'), '401': json('OAuthError') });
  for (const [path, method] of [
    ['/contribuyente/gem/comprobantes/{filename}', 'post'],
    ['/contribuyente/gem/comprobantes/envios/{numTicket}', 'get'],
  ] as const) {
    const op = spec.paths[path][method];
    op.servers = [{ url: 'https://api-cpe.sunat.gob.pe/v1' }];
    Object.assign(op.responses, { '400': json('CpeError'), '401': json('CpeError'), '403': json('CpeError'), '503': json('CpeError') });
  }
  spec.paths['/contribuyente/gem/comprobantes/{filename}'].post.requestBody.content['application/json'].schema = {
    allOf: [
      { $ref: '#/components/schemas/CpeDocument' },
      { type: 'object', required: ['archivo'], properties: { archivo: { required: ['nomArchivo', 'arcGreZip', 'hashZip'] } } },
    ],
  };
  delete spec.servers;
  return spec;
}

const spec = patchedSpec();
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
ajv.addSchema(spec, 'gre-api');

function schemaAt(pointer: string[]): (data: unknown) => boolean {
  const ref = `gre-api#/${pointer.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
  return ajv.compile({ $ref: ref });
}

function expectResponse(path: string, method: string, status: number, body: unknown): void {
  const responses = spec.paths[path][method].responses;
  expect(responses[String(status)], `${method} ${path} documents ${status}`).toBeDefined();
  const validate = schemaAt(['paths', path, method, 'responses', String(status), 'content', 'application/json', 'schema']);
  const ok = validate(body);
  expect(ok, `${method} ${path} ${status}: ${ajv.errorsText((validate as any).errors)} in ${JSON.stringify(body)}`).toBe(true);
}

function expectRequest(path: string, method: string, contentType: string, body: unknown): void {
  const validate = schemaAt(['paths', path, method, 'requestBody', 'content', contentType, 'schema']);
  expect(validate(body), ajv.errorsText((validate as any).errors)).toBe(true);
}

const TOKEN = '/clientessol/{client_id}/oauth2/token/';
const SEND = '/contribuyente/gem/comprobantes/{filename}';
const STATUS = '/contribuyente/gem/comprobantes/envios/{numTicket}';

describe('the sandbox against the (patched) public OpenAPI contract', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('token: request, 200, 400 and 401', async () => {
    const fields = {
      grant_type: 'password',
      scope: 'https://api-cpe.sunat.gob.pe',
      client_id: CLIENT.clientId,
      client_secret: CLIENT.clientSecret,
      username: CLIENT.ruc + CLIENT.solUser,
      password: CLIENT.solPassword,
    };
    expectRequest(TOKEN, 'post', 'application/x-www-form-urlencoded', fields);
    const post = (f: Record<string, string>) =>
      h.call('auth', `/clientessol/${CLIENT.clientId}/oauth2/token/`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(f).toString(),
      });
    const ok = await post(fields);
    expectResponse(TOKEN, 'post', ok.status, ok.json);
    const bad = await post({ ...fields, password: 'x' });
    expectResponse(TOKEN, 'post', bad.status, bad.json);
    const unauthorized = await post({ ...fields, client_secret: 'x' });
    expect(unauthorized.status).toBe(401);
    expectResponse(TOKEN, 'post', unauthorized.status, unauthorized.json);
  });

  it('send and status: every answer kind', async () => {
    const token = await h.token();
    const xml = (over: Partial<Parameters<typeof despatchAdviceXml>[0]> & { number: number }) =>
      despatchAdviceXml({ ruc: CLIENT.ruc, type: '09', series: 'T001', ...over });
    const sent = await h.send(token, { number: 1, xml: xml({ number: 1 }) });
    expectResponse(SEND, 'post', sent.status, sent.json);
    const rejected = await h.send(token, { number: 2, xml: xml({ number: 2, customizationId: '1.0' }) });
    const observed = await h.send(token, { number: 3, xml: xml({ number: 3, plate: 'ZZ0001' }) });
    const duplicate = await h.send(token, { number: 1, xml: xml({ number: 1 }) });
    for (const r of [rejected, observed, duplicate]) expectResponse(SEND, 'post', r.status, r.json);
    // both 422 shapes
    for (let i = 0; i < 2; i++) {
      const invalid = await h.send(token, { number: 4, xml: xml({ number: 5 }) });
      expect(invalid.status).toBe(422);
      expectResponse(SEND, 'post', invalid.status, invalid.json);
    }
    for (const r of [sent, rejected, observed, duplicate]) {
      for (let poll = 0; poll < 2; poll++) {
        const s = await h.status(token, r.json.numTicket);
        expectResponse(STATUS, 'get', s.status, s.json);
      }
    }
    const unknown = await h.status(token, '00000000-0000-4000-8000-000000000000');
    expectResponse(STATUS, 'get', unknown.status, unknown.json);
    const unauth = await h.status('nope', '00000000-0000-4000-8000-000000000000');
    expectResponse(STATUS, 'get', unauth.status, unauth.json);
    const forbidden = await h.send(await h.token(NO_GRE), { number: 9 });
    expectResponse(SEND, 'post', forbidden.status, forbidden.json);
    h.sandbox.faults.inject({ on: 'send', kind: 'status500' });
    const failed = await h.send(token, { number: 10 });
    expectResponse(SEND, 'post', failed.status, failed.json);
    h.sandbox.faults.inject({ on: 'status', kind: 'status503' });
    const busy = await h.status(token, sent.json.numTicket);
    expectResponse(STATUS, 'get', busy.status, busy.json);
  });

  it('the validator itself refuses off-contract answers', () => {
    const check = (path: string, method: string, status: number, body: unknown): boolean =>
      schemaAt(['paths', path, method, 'responses', String(status), 'content', 'application/json', 'schema'])(body);
    expect(check(SEND, 'post', 200, { numTicket: 'x', fecRecepcion: '2022-04-11T15:37:41-05:00' })).toBe(false);
    expect(check(SEND, 'post', 422, { cod: '422', msg: 'x', errors: [{ code: 1 }] })).toBe(false);
    expect(check(STATUS, 'get', 200, { codRespuesta: '1' })).toBe(false);
    expect(check(TOKEN, 'post', 200, { access_token: 'x', token_type: 'JWT' })).toBe(false);
  });

  it('the send body a client builds matches the request schema', () => {
    expectRequest(SEND, 'post', 'application/json', { archivo: { nomArchivo: 'a.zip', arcGreZip: 'AA==', hashZip: '0'.repeat(64) } });
    const validate = schemaAt(['paths', SEND, 'post', 'requestBody', 'content', 'application/json', 'schema']);
    expect(validate({ archivo: { nomArchivo: 'a.zip' } })).toBe(false);
  });
});
