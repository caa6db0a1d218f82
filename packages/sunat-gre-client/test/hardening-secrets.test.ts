import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { caseTable, despatchAdviceXml, expectNoSecret, failureOf, surfacesOf } from '@internal/testkit';
import forge from 'node-forge';
import { createSunatAuth, SunatAuthError } from 'oauth-sunat';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDespatchAdvice, type SigningOptions, signXml } from '../src/gre/index.js';
import { createGreClient, type GreClientOptions, GreError, type GreHookEvent } from '../src/index.js';
import { makeTestKey, senderGuide } from './gre-fixtures.js';

// Fixed, recognisable secrets: the OAuth credentials, the two tokens the server hands out, the .pfx passphrase
// (and a mistyped one: still a secret), and the RSA signing key (its private parts, and the end of its PEM).
const CLIENT_SECRET = 'gre-cs-Hn4Bq8Wz1Xk6Rv3Mt9Lp2Yj7';
const SOL_PASSWORD = 'gre-sol-Dv5Fk2Nq8Zr1Ws6Tb4Ym9';
const TOKENS = ['gre-tok-Qa1Ws2Ed3Rf4Tg5Yh6Uj7Ik8', 'gre-tok-Zx9Cv8Bn7Mm6Lk5Jh4Gf3Dd2'];
const PASSPHRASE = 'pfx-Kw8Jq3Zn6Xb1Vm4Lr7Tp2';
const WRONG_PASSPHRASE = 'pfx-Kw8Jq3Zn6Xb1Vm4Lr7Tq9';
const KEY = await makeTestKey();
const JWK = createPrivateKey(KEY.privateKeyPem).export({ format: 'jwk' });
const PFX = Buffer.from(
  forge.asn1
    .toDer(
      forge.pkcs12.toPkcs12Asn1(
        forge.pki.privateKeyFromPem(KEY.privateKeyPem),
        [forge.pki.certificateFromPem(KEY.certificatePem)],
        PASSPHRASE,
        { algorithm: '3des' },
      ),
    )
    .getBytes(),
  'binary',
);
const SECRETS = {
  CLIENT_SECRET,
  SOL_PASSWORD,
  token1: TOKENS[0]!,
  token2: TOKENS[1]!,
  PASSPHRASE,
  WRONG_PASSPHRASE,
  rsaD: Buffer.from(JWK.d!, 'base64url'),
  rsaP: Buffer.from(JWK.p!, 'base64url'),
  rsaQ: Buffer.from(JWK.q!, 'base64url'),
  pemTail: KEY.privateKeyPem.replace(/-----[A-Z ]+-----|\s/g, '').slice(-300, -4),
};
const OTHER = await makeTestKey('OTHER');
const EC_PEM = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
const RUC = '20000000001';
const TICKET = '8f0c1a8e-1f5a-4c1b-9a0e-2b3c4d5e6f70';
const unsigned = (n: number) => ({
  ruc: RUC,
  type: '09' as const,
  series: 'T001',
  number: n,
  xml: despatchAdviceXml({ ruc: RUC, type: '09', series: 'T001', number: n }),
});
const pfxSigning: SigningOptions = { pfx: PFX, passphrase: PASSPHRASE };

// One loopback server: SUNAT's token endpoint (it hands out the two tokens in turn) and the GRE API.
type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;
let api: Handler = (_req, _body, res) => void res.writeHead(500).end();
let token: Handler;
let issued = 0;
const issueTokens: Handler = (_req, _body, res) =>
  void res
    .writeHead(200, { 'content-type': 'application/json' })
    .end(JSON.stringify({ access_token: TOKENS[issued++ % 2], expires_in: 600 }));
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString('latin1')));
  req.on('end', () => (req.url!.includes('/oauth2/token') ? token : api)(req, body, res));
});
let base = '';
let closedBase = '';
const hookEvents: GreHookEvent[] = [];
const hooks = {
  onRequest: (e: GreHookEvent) => hookEvents.push(e),
  onResponse: (e: GreHookEvent) => hookEvents.push(e),
  onRetry: (e: GreHookEvent) => hookEvents.push(e),
};

function client(o: Partial<GreClientOptions> = {}) {
  const auth = createSunatAuth({
    clientId: 'client-1',
    clientSecret: CLIENT_SECRET,
    ruc: RUC,
    solUser: 'MODDATOS',
    solPassword: SOL_PASSWORD,
    baseUrl: `${base}/v1`,
    maxRetries: 0,
  });
  return createGreClient({
    auth,
    baseUrl: `${base}/v1`,
    maxRetries: 0,
    timeoutMs: 2000,
    pollIntervalMs: 5,
    maxPollIntervalMs: 10,
    retryBaseMs: 1,
    retryMaxMs: 2,
    hooks,
    ...o,
  });
}
/** What a careless server or gateway echoes: the Authorization header it received. */
const bearerOf = (req: IncomingMessage) => String(req.headers.authorization);
const answer =
  (status: number, contentType: string, body: (req: IncomingMessage) => string | Buffer): Handler =>
  (req, _b, res) =>
    void res.writeHead(status, { 'content-type': contentType }).end(body(req));
const jsonAnswer = (status: number, value: (req: IncomingMessage) => unknown): Handler =>
  answer(status, 'application/json', (req) => JSON.stringify(value(req)));
const with_ = (h: Handler, run: () => unknown) => () => {
  api = h;
  return run();
};

type Case = [name: string, code: string, run: () => unknown];
let n = 1;
const CASES: Case[] = [
  // options and input, refused before any request
  ['baseUrl with the token as password', 'VALIDATION', () => client({ baseUrl: `http://x:${TOKENS[0]}@127.0.0.1/v1` })],
  [
    'auth not a SunatAuth (credentials object)',
    'VALIDATION',
    () => createGreClient({ auth: { clientSecret: CLIENT_SECRET, solPassword: SOL_PASSWORD } as never }),
  ],
  ['hooks not an object', 'VALIDATION', () => client({ hooks: TOKENS[0] as never })],
  ['send: bad RUC', 'VALIDATION', () => client().send({ ...unsigned(n++), ruc: '20000000002' })],
  ['getStatus: bad ticket', 'VALIDATION', () => client().getStatus(`x ${TOKENS[0]}`)],
  ['send: signal already aborted', 'ABORTED', () => client().send(unsigned(n++), { signal: AbortSignal.abort() })],
  // SUNAT's answers, echoing the bearer token
  [
    'token endpoint 401 quoting the form',
    'invalid_client',
    () => {
      token = (_req, body, res) =>
        void res
          .writeHead(401, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: 'invalid_client', error_description: body }));
      return client().getStatus(TICKET);
    },
  ],
  [
    '401, renewed, 401 again quoting each token',
    'SUNAT_API',
    with_(
      jsonAnswer(401, (req) => ({ cod: '401', msg: `token invalido: ${bearerOf(req)}` })),
      () => client().getStatus(TICKET),
    ),
  ],
  [
    '403 quoting the token',
    'SUNAT_API',
    with_(
      jsonAnswer(403, (req) => ({
        cod: '403',
        msg: 'sin permiso',
        exc: bearerOf(req),
        errors: [{ codError: '0', desError: bearerOf(req) }],
      })),
      () => client().getStatus(TICKET),
    ),
  ],
  [
    '500 HTML page quoting the token',
    'GATEWAY_HTML',
    with_(
      answer(500, 'text/html', (req) => `<html><title>Error ${bearerOf(req)}</title><body>${bearerOf(req)}</body></html>`),
      () => client().getStatus(TICKET),
    ),
  ],
  [
    '200 text quoting the token',
    'BAD_RESPONSE',
    with_(
      answer(200, 'text/plain', (req) => `ok ${bearerOf(req)}`),
      () => client().getStatus(TICKET),
    ),
  ],
  [
    '200 JSON error body quoting the token',
    'SUNAT_API',
    with_(
      jsonAnswer(200, (req) => ({ cod: '0127', msg: `token ${bearerOf(req)} expirado` })),
      () => client().getStatus(TICKET),
    ),
  ],
  [
    '200 JSON array quoting the token',
    'BAD_RESPONSE',
    with_(
      jsonAnswer(200, (req) => [bearerOf(req)]),
      () => client().getStatus(TICKET),
    ),
  ],
  [
    '200 body over maxResponseBytes quoting the token',
    'BAD_RESPONSE',
    with_(
      answer(200, 'application/json', (req) => `"${bearerOf(req)}${' '.repeat(4096)}"`),
      () => client({ maxResponseBytes: 1024 }).getStatus(TICKET),
    ),
  ],
  [
    '429 retried until the deadline, quoting the token',
    'SUNAT_API',
    with_(
      jsonAnswer(429, (req) => ({ cod: '429', msg: bearerOf(req) })),
      () => client({ maxRetries: 2 }).getStatus(TICKET),
    ),
  ],
  [
    'status without the promised CDR',
    'CDR_INVALID',
    with_(
      jsonAnswer(200, (req) => ({ codRespuesta: '0', indCdrGenerado: '1', note: bearerOf(req) })),
      () => client().getStatus(TICKET),
    ),
  ],
  [
    'status with a CDR that is not a zip',
    'CDR_INVALID',
    with_(
      jsonAnswer(200, (req) => ({ codRespuesta: '0', arcCdr: Buffer.from(bearerOf(req)).toString('base64') })),
      () => client().getStatus(TICKET),
    ),
  ],
  [
    'send 400 quoting the token',
    'SUNAT_API',
    with_(
      jsonAnswer(400, (req) => ({ cod: '400', msg: bearerOf(req) })),
      () => client().send(unsigned(n++)),
    ),
  ],
  [
    'send 500 quoting the token',
    'AMBIGUOUS_SEND',
    with_(
      jsonAnswer(500, (req) => ({ cod: '500', msg: bearerOf(req) })),
      () => client().send(unsigned(n++)),
    ),
  ],
  [
    'send 200 without numTicket quoting the token',
    'AMBIGUOUS_SEND',
    with_(
      jsonAnswer(200, (req) => ({ msg: bearerOf(req) })),
      () => client().send(unsigned(n++)),
    ),
  ],
  [
    'send 200 not JSON quoting the token',
    'AMBIGUOUS_SEND',
    with_(
      answer(200, 'application/json', (req) => `{${bearerOf(req)}`),
      () => client().send(unsigned(n++)),
    ),
  ],
  [
    'send: connection reset',
    'AMBIGUOUS_SEND',
    with_(
      (req) => req.socket.destroy(),
      () => client().send(unsigned(n++)),
    ),
  ],
  // the connection
  [
    'getStatus: connection reset',
    'NETWORK',
    with_(
      (req) => req.socket.destroy(),
      () => client().getStatus(TICKET),
    ),
  ],
  [
    'getStatus: connection refused',
    'NETWORK',
    () =>
      createGreClient({
        auth: { getToken: async () => TOKENS[0]!, invalidate: async () => undefined, close: async () => undefined },
        baseUrl: `${closedBase}/v1`,
        maxRetries: 0,
        hooks,
      }).getStatus(TICKET),
  ],
  [
    'getStatus: no answer in time',
    'TIMEOUT',
    with_(
      () => undefined,
      () => client({ timeoutMs: 200 }).getStatus(TICKET),
    ),
  ],
  [
    'waitForResult: pending until the deadline',
    'TIMEOUT',
    with_(
      jsonAnswer(200, (req) => ({ codRespuesta: '98', note: bearerOf(req) })),
      () => client().waitForResult(TICKET, { timeoutMs: 150 }),
    ),
  ],
  [
    'waitForResult: aborted',
    'ABORTED',
    with_(
      jsonAnswer(200, () => ({ codRespuesta: '98' })),
      () => client().waitForResult(TICKET, { signal: AbortSignal.timeout(100) }),
    ),
  ],
  // signing with the .pfx / PEM key
  [
    'signXml: wrong passphrase',
    'VALIDATION',
    () => signXml(buildDespatchAdvice(senderGuide()), { pfx: PFX, passphrase: WRONG_PASSPHRASE }),
  ],
  [
    'signXml: not a .pfx',
    'VALIDATION',
    () => signXml(buildDespatchAdvice(senderGuide()), { pfx: Buffer.from(KEY.privateKeyPem), passphrase: PASSPHRASE }),
  ],
  [
    'signXml: .pfx cut short',
    'VALIDATION',
    () => signXml(buildDespatchAdvice(senderGuide()), { pfx: PFX.subarray(0, PFX.length - 40), passphrase: PASSPHRASE }),
  ],
  [
    'signXml: PEM key cut short',
    'VALIDATION',
    () => signXml(buildDespatchAdvice(senderGuide()), { privateKey: KEY.privateKeyPem.slice(0, 900), certificate: KEY.certificatePem }),
  ],
  [
    'signXml: key and certificate swapped',
    'VALIDATION',
    () => signXml(buildDespatchAdvice(senderGuide()), { privateKey: KEY.certificatePem, certificate: KEY.privateKeyPem }),
  ],
  [
    'signXml: certificate of another key',
    'VALIDATION',
    () => signXml(buildDespatchAdvice(senderGuide()), { privateKey: KEY.privateKeyPem, certificate: OTHER.certificatePem }),
  ],
  [
    'signXml: an EC key',
    'VALIDATION',
    () => signXml(buildDespatchAdvice(senderGuide()), { privateKey: EC_PEM, certificate: KEY.certificatePem }),
  ],
  [
    'signXml: unknown algorithm',
    'VALIDATION',
    () => signXml(buildDespatchAdvice(senderGuide()), pfxSigning, { algorithm: 'rsa-md5' as never }),
  ],
  ['signXml: XML with a DTD', 'VALIDATION', () => signXml(`<!DOCTYPE x [<!ENTITY a "${PASSPHRASE}">]><x>&a;</x>`, pfxSigning)],
  [
    'signXml: no place for the signature',
    'VALIDATION',
    () => signXml('<x/>', { privateKey: KEY.privateKeyPem, certificate: KEY.certificatePem }),
  ],
  ['submitGuide: invalid guide', 'VALIDATION', () => client().submitGuide(senderGuide({ series: 'X001' }), { signing: pfxSigning })],
  [
    'submitGuide: wrong passphrase',
    'VALIDATION',
    () => client().submitGuide(senderGuide(), { signing: { pfx: PFX, passphrase: WRONG_PASSPHRASE } }),
  ],
  [
    'submitGuide: SUNAT 400 quoting the token',
    'SUNAT_API',
    with_(
      jsonAnswer(400, (req) => ({ cod: '400', msg: bearerOf(req) })),
      () => client().submitGuide(senderGuide(), { signing: pfxSigning }),
    ),
  ],
  [
    'submitGuide (PEM key): SUNAT 500 quoting the token',
    'AMBIGUOUS_SEND',
    with_(
      jsonAnswer(500, (req) => ({ cod: '500', msg: bearerOf(req) })),
      () => client().submitGuide(senderGuide(), { signing: { privateKey: KEY.privateKeyPem, certificate: KEY.certificatePem } }),
    ),
  ],
];

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const spare = createServer();
  await new Promise<void>((resolve) => spare.listen(0, '127.0.0.1', resolve));
  closedBase = `http://127.0.0.1:${(spare.address() as AddressInfo).port}`;
  await new Promise<void>((resolve) => spare.close(() => resolve()));
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('no error or hook payload of sunat-gre-client shows a token, the OAuth credentials or the signing key', () => {
  const table = caseTable(CASES, async ([name, code, run]) => {
    token = issueTokens;
    const error = await failureOf(run);
    const got = GreError.isInstance(error) ? error.code : SunatAuthError.isInstance(error) ? error.code : undefined;
    expect(got, String(error)).toBe(code);
    expectNoSecret(surfacesOf(error), SECRETS, name);
    return name;
  });
  for (const c of CASES) it(c[0], async () => void (await table.outcome(c)));

  it('ran every case of the table; the hooks saw the traffic and no secret', async () => {
    expect(await table.all()).toEqual(CASES.map(([name]) => name));
    expect(hookEvents.length).toBeGreaterThan(CASES.length);
    expect(hookEvents.some((e) => e.reason !== undefined)).toBe(true);
    hookEvents.forEach((e, i) => expectNoSecret(surfacesOf(e), SECRETS, `hook event ${i}`));
  });

  it('the server did echo the tokens (the cases can fail)', async () => {
    api = jsonAnswer(200, (req) => ({ codRespuesta: '98', echo: bearerOf(req) }));
    token = issueTokens;
    const status = await client().getStatus(TICKET);
    expect(() => expectNoSecret(surfacesOf(status.raw), SECRETS)).toThrow(/leaks/);
  });
});
