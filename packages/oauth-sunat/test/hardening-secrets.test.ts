import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { caseTable, expectNoSecret, failureOf, surfacesOf } from '@internal/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSunatAuth, SunatAuthError, type SunatAuthErrorKind, type SunatAuthOptions, type TokenStore } from '../src/index.js';

// Fixed, recognisable secrets. TOKEN is what the server issues; JWT is a token shaped as SUNAT's are.
const CLIENT_SECRET = 'cs-Qm4Vx8Zr2Lp6Wn0Ty3Hk7Jd5Fb9Gc1';
const SOL_PASSWORD = 'sol-Pw7Rt2Yx9Kq4Mv6Nb1Zc8Lh3Dg5';
const TOKEN = 'tok-Ae3Sd8Fg2Hj7Kl1Qw6Er9Ty4Ui0Op5Zx';
const JWT = `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify({ sub: 'x', exp: Math.floor(Date.now() / 1000) + 3600 })).toString('base64url')}.c2lnLVZiN05tMkxrOEpoM0dmNUQ`;
const SECRETS = { CLIENT_SECRET, SOL_PASSWORD, TOKEN, JWT };
const RUC = '20100066603';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;
let handler: Handler = (_req, _body, res) => void res.writeHead(500).end();
let baseUrl = '';
let closedUrl = '';
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString('utf8')));
  req.on('end', () => handler(req, body, res));
});

const json =
  (status: number, value: unknown, headers: Record<string, string> = {}): Handler =>
  (_req, _body, res) =>
    void res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(value));
/** Echoes the request back, as a careless gateway or a debug page would. */
const echo =
  (status: number, contentType: string, wrap: (body: string) => string): Handler =>
  (_req, body, res) =>
    void res.writeHead(status, { 'content-type': contentType }).end(wrap(body));
const issue = (token: string, extra: Record<string, unknown> = {}): Handler =>
  json(200, { access_token: token, token_type: 'Bearer', expires_in: 600, ...extra });

const options = (o: Partial<SunatAuthOptions> = {}): SunatAuthOptions => ({
  clientId: 'client-1',
  clientSecret: CLIENT_SECRET,
  ruc: RUC,
  solUser: 'MODDATOS',
  solPassword: SOL_PASSWORD,
  baseUrl,
  maxRetries: 0,
  timeoutMs: 2000,
  ...o,
});
const failingStore = (where: 'get' | 'set'): TokenStore => ({
  // A store client that quotes what it was given, as some Redis clients do in their errors.
  get: async (key) => {
    if (where === 'get') throw Object.assign(new Error(`GET ${key} failed: connection lost`), { command: { name: 'get', args: [key] } });
    return undefined;
  },
  set: async (key, value) => {
    throw Object.assign(new Error(`SET ${key} ${JSON.stringify(value)} failed: READONLY`), {
      command: { name: 'set', args: [key, value.token] },
    });
  },
  delete: async () => undefined,
});

type Case = [name: string, kind: SunatAuthErrorKind, run: () => Promise<unknown> | unknown];
const get = (o?: Partial<SunatAuthOptions>, h?: Handler, call: Parameters<ReturnType<typeof createSunatAuth>['getToken']>[0] = {}) => {
  if (h) handler = h;
  return createSunatAuth(options(o)).getToken(call);
};
const CASES: Case[] = [
  // options, refused before any request, with every secret given
  ['ruc with a wrong check digit', 'validation', () => createSunatAuth(options({ ruc: '20100066604' }))],
  ['solUser with the RUC in front', 'validation', () => createSunatAuth(options({ solUser: `${RUC}MODDATOS` }))],
  ['solUser with a space', 'validation', () => createSunatAuth(options({ solUser: 'MOD DATOS' }))],
  ['solPassword missing', 'validation', () => createSunatAuth(options({ solPassword: undefined }))],
  ['clientSecret with a line break', 'validation', () => createSunatAuth(options({ clientSecret: `${CLIENT_SECRET}\n` }))],
  ['solPassword with a tab', 'validation', () => createSunatAuth(options({ solPassword: `${SOL_PASSWORD}\t` }))],
  ['baseUrl with credentials', 'validation', () => createSunatAuth(options({ baseUrl: `http://client-1:${CLIENT_SECRET}@127.0.0.1/v1` }))],
  ['baseUrl not a URL', 'validation', () => createSunatAuth(options({ baseUrl: `${CLIENT_SECRET}/v1` }))],
  ['unknown grant', 'validation', () => createSunatAuth(options({ grant: 'refresh_token' as never }))],
  ['getToken timeoutMs 0', 'validation', () => get({}, issue(TOKEN), { timeoutMs: 0 })],
  // SUNAT's answers, echoing what was sent
  [
    '401 invalid_client quoting the secret',
    'http',
    () => get({}, json(401, { error: 'invalid_client', error_description: `cliente no autorizado: client_secret=${CLIENT_SECRET}` })),
  ],
  ['400 whose error code is the password', 'http', () => get({}, json(400, { error: SOL_PASSWORD, error_description: 'invalid_grant' }))],
  [
    '400 cod/msg quoting the form',
    'http',
    () =>
      get(
        {},
        echo(400, 'application/json', (b) => JSON.stringify({ cod: '400', msg: `bad request: ${b}` })),
      ),
  ],
  [
    '400 text/plain echoing the form',
    'http',
    () =>
      get(
        {},
        echo(400, 'text/plain', (b) => `rejected ${b}`),
      ),
  ],
  [
    '403 quoting the password JSON-escaped',
    'http',
    () =>
      get(
        {},
        echo(403, 'application/json', () =>
          JSON.stringify({ error: 'access_denied', error_description: `sin perfil para ${JSON.stringify({ password: SOL_PASSWORD })}` }),
        ),
      ),
  ],
  [
    '500 HTML page echoing the form',
    'gateway',
    () =>
      get(
        {},
        echo(500, 'text/html', (b) => `<html><body><h1>500</h1><pre>${b}</pre></body></html>`),
      ),
  ],
  [
    '429 echoing the form, retried to the deadline',
    'timeout',
    () =>
      get(
        { maxRetries: 5, timeoutMs: 400 },
        echo(429, 'application/json', (b) => JSON.stringify({ error: 'slow_down', error_description: b })),
      ),
  ],
  [
    '200 without access_token, echoing the form',
    'bad_response',
    () =>
      get(
        {},
        echo(200, 'application/json', (b) => JSON.stringify({ received: b })),
      ),
  ],
  ['200 with a token but a bad expires_in', 'bad_response', () => get({}, issue(TOKEN, { expires_in: 'soon' }))],
  ['200 with a JWT but a bad expires_in', 'bad_response', () => get({}, issue(JWT, { expires_in: -1 }))],
  [
    '200 body over 256 KiB holding the token',
    'bad_response',
    () => get({}, json(200, { access_token: TOKEN, pad: 'x'.repeat(300 * 1024) })),
  ],
  [
    '401 after a token was issued, quoting it',
    'http',
    async () => {
      const auth = createSunatAuth(options());
      handler = issue(TOKEN);
      await auth.getToken();
      handler = json(401, { error: 'invalid_token', error_description: `token ${TOKEN} revoked` });
      return auth.getToken({ forceRefresh: true });
    },
  ],
  // the connection
  ['connection refused', 'network', () => get({ baseUrl: closedUrl })],
  ['connection reset', 'network', () => get({}, (req) => req.socket.destroy())],
  ['no answer within timeoutMs', 'timeout', () => get({ timeoutMs: 200 }, () => undefined)],
  [
    'signal already aborted',
    'aborted',
    () => get({}, issue(TOKEN), { signal: AbortSignal.abort(new Error(`cancelled by ${SOL_PASSWORD.slice(0, 3)}`)) }),
  ],
  ['signal aborted while waiting', 'aborted', () => get({}, () => undefined, { signal: AbortSignal.timeout(100) })],
  [
    'after close()',
    'closed',
    async () => {
      const auth = createSunatAuth(options());
      await auth.close();
      return auth.getToken();
    },
  ],
  // the token store
  ['store.get fails', 'store', () => get({ store: failingStore('get') }, issue(TOKEN))],
  ['store.set fails quoting the token', 'store', () => get({ store: failingStore('set') }, issue(TOKEN))],
];

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  const spare = createServer();
  await new Promise<void>((resolve) => spare.listen(0, '127.0.0.1', resolve));
  closedUrl = `http://127.0.0.1:${(spare.address() as AddressInfo).port}/v1`;
  await new Promise<void>((resolve) => spare.close(() => resolve()));
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('no error of oauth-sunat shows the client secret, the SOL password or a token', () => {
  const table = caseTable(CASES, async ([name, kind, run]) => {
    const error = await failureOf(run);
    expect(SunatAuthError.isInstance(error), String(error)).toBe(true);
    expect((error as SunatAuthError).kind, (error as Error).message).toBe(kind);
    expectNoSecret(surfacesOf(error), SECRETS, name);
    return name;
  });
  for (const c of CASES) it(c[0], async () => void (await table.outcome(c)));

  it('ran every case of the table', async () => {
    expect(await table.all()).toEqual(CASES.map(([name]) => name));
  });
});
