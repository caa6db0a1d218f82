import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  caseTable,
  expectNoSecret,
  failureOf,
  type HostileServer,
  openssl,
  scratchDir,
  startHostileServer,
  surfacesOf,
  testTls,
} from '@internal/testkit';
import { exportPrivateKeyPem, privateKeyFromRaw } from 'gost2012';
import { gostSigner } from 'jws-base64url';
import { rawGostSigner } from 'sber-digest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSberAgent,
  createSberAuth,
  createSberClient,
  memorySberTokenStore,
  type SberAuthOptions,
  type SberClientOptions,
  SberError,
  type SberHooks,
  type SberTokenStore,
  type SberTokens,
} from '../src/index.js';
import { createAgent } from '../src/tls.js';

// Fixed, recognisable secrets: the client secret (and the one it is changed to), the three tokens of the
// rotation, an id token, the tokens the bank issues during a test, the .p12 passphrase and a GOST key.
const CLIENT_SECRET = 'sber-cs-Rm3Kq8Vz1Xw6Tb4Ny9Lp2Hj';
const NEW_SECRET = 'sber-new-Fd7Gh2Jk5Lq8Wm1Zx4Cv9';
const ACCESS = 'sber-at-Pq2Wo9Ei4Ru7Ty1Yt6Ua3Sd';
const REFRESH = 'sber-rt-Mn5Bv8Cx1Za4Sd7Fg2Hj9Kl';
const RESERVE = 'sber-rsv-Qa8Zw3Sx6Ed1Cr4Fv9Tg2';
const ID_TOKEN = 'sber-id-Yh5Nu8Jm1Ik4Ol7Pq2Aw6';
const ISSUED_ACCESS = 'sber-at2-Lk9Jh6Gf3Ds1Aq8Wz5Xc';
const ISSUED_REFRESH = 'sber-rt2-Vb4Nm7Qw1Er8Ty5Ui2Op';
const PASSPHRASE = 'p12-Ws4Ed7Rf1Tg9Yh3Uj6Ik8Ol';
const SCALAR = Buffer.from('2d4f6a8c0e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a3c5e7b9d1f3a5c7e9b1d03', 'hex');
const GOST_KEY = privateKeyFromRaw('cryptopro-a', SCALAR);
const SECRETS = {
  CLIENT_SECRET,
  NEW_SECRET,
  ACCESS,
  REFRESH,
  RESERVE,
  ID_TOKEN,
  ISSUED_ACCESS,
  ISSUED_REFRESH,
  PASSPHRASE,
  scalar: SCALAR,
  gostPem: exportPrivateKeyPem(GOST_KEY)
    .replace(/-----[A-Z ]+-----|\s/g, '')
    .slice(-44, -1),
};

const ID = '7beb4b73-ba9d-49e9-9b6d-d9a169ad2638';
const KID = '3f0b9d6e-8c61-4c1e-a3a5-0d2b6f7e9a10';
const REGISTRY = { externalId: ID, date: '2024-01-01', orgName: 'ООО Ромашка', orgTaxNumber: '7707083893' };
const tls = testTls();
const P12 = (() => {
  const dir = scratchDir('sber-secrets-');
  try {
    dir.write('c.pem', tls.client.cert);
    dir.write('k.pem', tls.client.key);
    openssl([
      'pkcs12',
      '-export',
      '-inkey',
      dir.path('k.pem'),
      '-in',
      dir.path('c.pem'),
      '-passout',
      `pass:${PASSPHRASE}`,
      '-out',
      dir.path('c.p12'),
    ]);
    return new Uint8Array(dir.read('c.p12'));
  } finally {
    dir.cleanup();
  }
})();

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;
let server: HostileServer;
let closedUrl = '';
let tokenEndpoint: Handler;
let api: Handler;
const hookEvents: unknown[] = [];
const hooks: SberHooks = {
  onRequest: (e) => hookEvents.push(e),
  onResponse: (e) => hookEvents.push(e),
  onRetry: (e) => hookEvents.push(e),
};

const respond =
  (status: number, contentType: string, body: (req: IncomingMessage, form: string) => string): Handler =>
  (req, form, res) =>
    void res.writeHead(status, { 'content-type': contentType }).end(body(req, form));
const json = (status: number, value: (req: IncomingMessage, form: string) => unknown): Handler =>
  respond(status, 'application/json', (req, form) => JSON.stringify(value(req, form)));
const issue: Handler = json(200, () => ({
  access_token: ISSUED_ACCESS,
  refresh_token: ISSUED_REFRESH,
  id_token: ID_TOKEN,
  expires_in: 3600,
  scope: 'openid',
}));
/** Everything a careless server can quote: the Authorization header, the query string and the form it got. */
const everything = (req: IncomingMessage, form: string) => `${req.headers.authorization ?? ''} ${req.url} ${form}`;

function tokens(o: Partial<SberTokens> = {}): SberTokens {
  return {
    accessToken: ACCESS,
    accessTokenExpiresAt: Date.now() + 3_600_000,
    refreshToken: REFRESH,
    reserveRefreshToken: RESERVE,
    reserveUsableUntil: Date.now() + 3_600_000,
    idToken: ID_TOKEN,
    ...o,
  };
}
function rig(
  o: {
    tokens?: Partial<SberTokens>;
    store?: SberTokenStore;
    auth?: Partial<SberAuthOptions>;
    client?: Partial<SberClientOptions>;
    url?: string;
  } = {},
) {
  const url = o.url ?? server.url;
  const dispatcher = createSberAgent({ tls: { pfx: P12, passphrase: PASSPHRASE }, ca: tls.ca });
  // 10 s: these cases are about secrets, not deadlines; two mTLS exchanges took over 1 s on a loaded machine and
  // turned LOGIN_REQUIRED into TIMEOUT. The TIMEOUT cases set their own short deadline on a server that never answers.
  const common = { dispatcher, maxRetries: 0, timeoutMs: 10_000, retryDelay: { baseMs: 1, maxMs: 2 }, hooks };
  const auth = createSberAuth({
    environment: { baseUrl: url },
    clientId: 'client-1',
    clientSecret: CLIENT_SECRET,
    store: o.store ?? memorySberTokenStore(tokens(o.tokens)),
    ...common,
    ...o.auth,
  });
  const client = createSberClient({
    environment: { baseUrl: url },
    auth,
    transportSignature: { signer: gostSigner({ privateKey: GOST_KEY }), kid: KID },
    pollDelay: { initialMs: 5, maxMs: 10 },
    ...common,
    ...o.client,
  });
  return { auth, client };
}
const expired = { tokens: { accessTokenExpiresAt: 0 } };
const quotingStore = (fail: 'load' | 'save'): SberTokenStore => {
  const current: SberTokens | undefined = tokens({ accessTokenExpiresAt: 0 });
  return {
    // a store client that quotes its command, as Redis clients do in their errors
    load: async () => {
      if (fail === 'load')
        throw Object.assign(new Error(`GET sber:tokens failed (cached ${JSON.stringify(current)})`), { command: { args: [current] } });
      return current;
    },
    save: async (t) => {
      throw Object.assign(new Error(`SET sber:tokens ${JSON.stringify(t)} failed: READONLY`), { command: { args: [t] } });
    },
  };
};
const on = (h: { token?: Handler; api?: Handler }, run: () => unknown) => () => {
  if (h.token) tokenEndpoint = h.token;
  if (h.api) api = h.api;
  return run();
};

/** A Sber error body whose 64 KiB mark (the part an error keeps) falls 20 characters into `secret`. */
function cutAt64KiB(secret: string): string {
  const head = '{"cause":"UNAVAILABLE_RESOURCE_EXCEPTION","message":"maintenance","trace":"';
  return `${head}${'x'.repeat(64 * 1024 - head.length - 20)}${secret}"}`;
}

type Case = [name: string, code: string, run: () => unknown];
const CASES: Case[] = [
  // options and input, refused before any request, with every secret wired in
  ['p12 with a wrong passphrase', 'VALIDATION', () => createSberAgent({ tls: { pfx: P12, passphrase: `${PASSPHRASE}x` }, ca: tls.ca })],
  ['p12 and PEM both', 'VALIDATION', () => createSberAgent({ tls: { pfx: P12, passphrase: PASSPHRASE, key: tls.client.key } as never })],
  ['p12 passphrase not a string', 'VALIDATION', () => createSberAgent({ tls: { pfx: P12, passphrase: Buffer.from(PASSPHRASE) as never } })],
  [
    'rejectUnauthorized given',
    'VALIDATION',
    () => createSberAgent({ tls: { pfx: P12, passphrase: PASSPHRASE, rejectUnauthorized: false } as never }),
  ],
  [
    'the p12 given as the PEM key',
    'VALIDATION',
    () => createSberAgent({ tls: { cert: tls.client.cert, key: P12, passphrase: PASSPHRASE } }),
  ],
  [
    'auth: no store',
    'VALIDATION',
    () =>
      createSberAuth({
        environment: { baseUrl: 'https://127.0.0.1' },
        clientId: 'c',
        clientSecret: CLIENT_SECRET,
        tls: { pfx: P12, passphrase: PASSPHRASE },
        store: { tokens: tokens() } as never,
      }),
  ],
  [
    'auth: clientSecret not a string',
    'VALIDATION',
    () =>
      createSberAuth({
        environment: { baseUrl: 'https://127.0.0.1' },
        clientId: 'c',
        clientSecret: { value: CLIENT_SECRET } as never,
        store: memorySberTokenStore(),
      }),
  ],
  [
    'store: tokens without accessTokenExpiresAt',
    'VALIDATION',
    () => memorySberTokenStore({ ...tokens(), accessTokenExpiresAt: `${ACCESS}` as never }),
  ],
  ['store: reserve token not a string', 'VALIDATION', () => memorySberTokenStore({ ...tokens(), reserveRefreshToken: [RESERVE] as never })],
  [
    'client: transportSignature kid not a UUID',
    'VALIDATION',
    () => rig({ client: { transportSignature: { signer: gostSigner({ privateKey: GOST_KEY }), kid: 'kid-1' } } }),
  ],
  [
    'client: the GOST key as the signer',
    'VALIDATION',
    () => rig({ client: { transportSignature: { signer: GOST_KEY as never, kid: KID } } }),
  ],
  [
    'create: bad INN, with a digest signer',
    'VALIDATION',
    () =>
      rig().client.debtRegistries.create(
        { ...REGISTRY, orgTaxNumber: '7707083894' },
        { digestSigner: rawGostSigner({ privateKey: GOST_KEY, certificateUuid: KID }) },
      ),
  ],
  [
    'create: the key as the digest signer',
    'VALIDATION',
    () => rig().client.debtRegistries.create(REGISTRY, { digestSigner: { privateKey: GOST_KEY, certificateUuid: KID } as never }),
  ],
  ['changeClientSecret: the same secret', 'VALIDATION', () => rig().auth.changeClientSecret(CLIENT_SECRET)],
  [
    'authorizationUrl: bad redirectUri',
    'VALIDATION',
    () => rig().auth.authorizationUrl({ scope: 'openid', state: 's', nonce: 'n', redirectUri: `/cb?secret=${CLIENT_SECRET}` }),
  ],
  // SberBusiness ID, quoting what it got
  [
    'refresh: invalid_client quoting the form',
    'OAUTH_ERROR',
    on({ token: json(400, (req, f) => ({ error: 'invalid_client', error_description: `bad secret in ${everything(req, f)}` })) }, () =>
      rig(expired).auth.getToken(),
    ),
  ],
  [
    'refresh and reserve refused, quoting them',
    'LOGIN_REQUIRED',
    on({ token: json(400, (req, f) => ({ error: 'invalid_grant', error_description: `unknown ${everything(req, f)}` })) }, () =>
      rig(expired).auth.getToken(),
    ),
  ],
  [
    'refresh refused, no reserve',
    'LOGIN_REQUIRED',
    on({ token: json(400, () => ({ error: 'invalid_grant', error_description: `Invalid refresh token ${REFRESH}` })) }, () =>
      rig({ tokens: { accessTokenExpiresAt: 0, reserveRefreshToken: undefined } }).auth.getToken(),
    ),
  ],
  [
    'refresh: 200 not JSON, quoting the form',
    'INVALID_TOKEN_RESPONSE',
    on({ token: respond(200, 'text/plain', everything) }, () => rig(expired).auth.getToken()),
  ],
  [
    'refresh: 200 without refresh_token',
    'INVALID_TOKEN_RESPONSE',
    on({ token: json(200, () => ({ access_token: ISSUED_ACCESS, id_token: ID_TOKEN })) }, () => rig(expired).auth.getToken()),
  ],
  [
    'refresh: 500 HTML quoting the form',
    'HTTP_500',
    on({ token: respond(500, 'text/html', (req, f) => `<html><pre>${everything(req, f)}</pre></html>`) }, () =>
      rig(expired).auth.getToken(),
    ),
  ],
  [
    'refresh: 503 quoting the form',
    'UNAVAILABLE_RESOURCE_EXCEPTION',
    on({ token: json(503, (req, f) => ({ cause: 'UNAVAILABLE_RESOURCE_EXCEPTION', message: `maintenance ${everything(req, f)}` })) }, () =>
      rig(expired).auth.getToken(),
    ),
  ],
  [
    'refresh: 503 whose 64 KiB cap cuts the refresh token',
    'UNAVAILABLE_RESOURCE_EXCEPTION',
    on({ token: respond(503, 'application/json', () => cutAt64KiB(REFRESH)) }, () => rig(expired).auth.getToken()),
  ],
  [
    'exchangeCode: invalid_grant quoting the form',
    'OAUTH_ERROR',
    on({ token: json(400, (req, f) => ({ error: 'invalid_grant', error_description: everything(req, f) })) }, () =>
      rig().auth.exchangeCode('one-time-code', 'https://app.example/cb'),
    ),
  ],
  [
    'refresh: the store cannot save, quoting the tokens',
    'STORE_FAILED',
    on({ token: issue }, () => rig({ store: quotingStore('save') }).auth.getToken()),
  ],
  [
    'refresh: the store cannot load, quoting the tokens',
    'STORE_FAILED',
    on({ token: issue }, () => rig({ store: quotingStore('load') }).auth.getToken()),
  ],
  [
    'changeClientSecret: 400 quoting the query',
    'OAUTH_ERROR',
    on({ token: issue, api: json(400, (req, f) => ({ error: 'invalid_request', error_description: everything(req, f) })) }, () =>
      rig().auth.changeClientSecret(NEW_SECRET),
    ),
  ],
  [
    'changeClientSecret: 200 without the expiry, quoting the query',
    'INVALID_RESPONSE',
    on({ api: json(200, (req, f) => ({ echo: everything(req, f) })) }, () => rig().auth.changeClientSecret(NEW_SECRET)),
  ],
  // the fintech API, quoting the bearer token
  [
    '401 twice: "accessToken not found by value ="',
    'UNAUTHORIZED',
    on(
      {
        token: issue,
        api: json(401, (req) => ({
          cause: 'UNAUTHORIZED',
          referenceId: 'r1',
          message: `accessToken not found by value =${String(req.headers.authorization).slice(7)}`,
        })),
      },
      () => rig().client.debtRegistries.getState(ID),
    ),
  ],
  [
    '403 quoting the header',
    'ACTION_ACCESS_EXCEPTION',
    on(
      {
        api: json(403, (req) => ({
          cause: 'ACTION_ACCESS_EXCEPTION',
          message: `scope missing for ${req.headers.authorization}`,
          checks: [{ level: 'ERROR', message: String(req.headers.authorization) }],
        })),
      },
      () => rig().client.crypto.getInfo(),
    ),
  ],
  [
    '400 WORKFLOW_FAULT quoting the header (signed create)',
    'WORKFLOW_FAULT',
    on({ api: json(400, (req) => ({ cause: 'WORKFLOW_FAULT', message: `kid refused; header ${req.headers.authorization}` })) }, () =>
      rig().client.debtRegistries.create(REGISTRY),
    ),
  ],
  [
    '500 HTML quoting the header',
    'HTTP_500',
    on({ api: respond(500, 'text/html', (req) => `<html>${req.headers.authorization}</html>`) }, () => rig().client.files.getState(ID)),
  ],
  [
    '200 not JSON quoting the header',
    'INVALID_RESPONSE',
    on({ api: respond(200, 'text/plain', (req) => `ok ${req.headers.authorization}`) }, () => rig().client.crypto.getInfo()),
  ],
  [
    '200 state without bankStatus quoting the token',
    'INVALID_RESPONSE',
    on({ api: json(200, (req) => ({ note: String(req.headers.authorization).slice(7) })) }, () => rig().client.debtRegistries.getState(ID)),
  ],
  [
    'upload 400 quoting the header',
    'VALIDATION_FAULT',
    on(
      { api: json(400, (req) => ({ cause: 'VALIDATION_FAULT', message: `bad ${req.headers.authorization}`, fieldNames: ['type'] })) },
      () => rig().client.files.upload({ type: 'T', subType: 'S' }),
    ),
  ],
  [
    'create: 500 then the state unreadable',
    'AMBIGUOUS_CREATE',
    on(
      {
        api: (req, _f, res) =>
          void (req.method === 'POST'
            ? res
                .writeHead(500, { 'content-type': 'application/json' })
                .end(JSON.stringify({ cause: 'UNKNOWN_EXCEPTION', message: String(req.headers.authorization) }))
            : req.socket.destroy()),
      },
      () => rig().client.debtRegistries.create(REGISTRY),
    ),
  ],
  [
    'response over the cap',
    'RESPONSE_TOO_LARGE',
    on({ api: respond(200, 'application/json', (req) => `"${req.headers.authorization}${' '.repeat(4096)}"`) }, () =>
      rig({ client: { maxResponseBytes: 1024 } }).client.crypto.getInfo(),
    ),
  ],
  // the connection
  ['connection reset', 'NETWORK', on({ api: (req) => req.socket.destroy() }, () => rig().client.crypto.getInfo())],
  ['connection refused', 'NETWORK', () => rig({ url: closedUrl }).client.crypto.getInfo()],
  [
    'server certificate not trusted',
    'TLS',
    () => rig({ client: { dispatcher: createAgent({ ...tls.client, rejectUnauthorized: true }) } }).client.crypto.getInfo(),
  ],
  [
    'no answer within timeoutMs',
    'TIMEOUT',
    on({ api: () => undefined }, () => rig({ client: { timeoutMs: 150 } }).client.crypto.getInfo()),
  ],
  [
    'waitForFinalState: never final',
    'TIMEOUT',
    on({ api: json(200, (req) => ({ bankStatus: 'CREATED', bankComment: String(req.headers.authorization) })) }, () =>
      rig().client.debtRegistries.waitForFinalState(ID, { timeoutMs: 100 }),
    ),
  ],
  [
    'aborted while waiting',
    'ABORTED',
    on({ api: () => undefined }, () => rig().client.crypto.getInfo({ signal: AbortSignal.timeout(100) })),
  ],
  [
    'refresh aborted while waiting',
    'ABORTED',
    on({ token: () => undefined }, () => rig(expired).auth.getToken({ signal: AbortSignal.timeout(100) })),
  ],
];

beforeAll(async () => {
  server = await startHostileServer({ tls: { ...tls.server, ca: tls.ca, requestCert: true } });
  server.behave((req, res) => {
    let form = '';
    req.on('data', (c: Buffer) => (form += c.toString('utf8')));
    // the hostile server has read the body already when it calls us: take the query as the form then
    const body = form || decodeURIComponent(req.url?.split('?')[1] ?? '');
    (req.url!.startsWith('/ic/sso/api/v2/oauth/token') ? tokenEndpoint : api)(req, body, res);
  });
  const spare = await startHostileServer();
  closedUrl = spare.url.replace('http:', 'https:');
  await spare.close();
});
afterAll(async () => {
  await server.close();
});

describe('no error or hook payload of sber-registry-client shows a secret, a token, the passphrase or the key', () => {
  const table = caseTable(CASES, async ([name, code, run]) => {
    tokenEndpoint = issue;
    api = json(200, () => ({ bankStatus: 'CREATED' }));
    const error = await failureOf(run);
    expect(SberError.isInstance(error), String(error)).toBe(true);
    expect((error as SberError).code, (error as Error).message).toBe(code);
    expectNoSecret(surfacesOf(error), SECRETS, name);
    return name;
  });
  for (const c of CASES) it(c[0], async () => void (await table.outcome(c)));

  it('ran every case of the table; the hooks saw the traffic and no secret', async () => {
    expect(await table.all()).toEqual(CASES.map(([name]) => name));
    expect(hookEvents.length).toBeGreaterThan(CASES.length);
    hookEvents.forEach((e, i) => expectNoSecret(surfacesOf(e), SECRETS, `hook event ${i}`));
  });
});
