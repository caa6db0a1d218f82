import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { type SandboxClient, type SunatSandbox, startSunatSandbox } from 'sunat-gre-sandbox';
import { Agent } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createSunatAuth,
  memoryTokenStore,
  SUNAT_TOKEN_HOSTS,
  SunatAuthError,
  type SunatAuthOptions,
  SunatAuthValidationError,
  type TokenStore,
} from '../src/index.js';

const SECRET = 'Cl13nt-S3cret+/=&x';
const PASSWORD = 'S0l-P4ss&word=1';
const CLIENT: SandboxClient = {
  clientId: 'c1a2b3c4-0000-4000-8000-000000000001',
  clientSecret: SECRET,
  ruc: '20000000001',
  solUser: 'MODDATOS',
  solPassword: PASSWORD,
};
const NO_GRE: SandboxClient = { ...CLIENT, clientId: 'not-for-gre' };

let sandbox: SunatSandbox;
let agent: Agent;
beforeAll(async () => {
  sandbox = await startSunatSandbox({ clients: [CLIENT, { ...NO_GRE, greEnabled: false }] });
  agent = new Agent({ connect: { ca: sandbox.ca } });
});
afterAll(async () => {
  await agent.close();
  await sandbox.close();
});
afterEach(() => sandbox.faults.clear());

const options = (extra: Partial<SunatAuthOptions> = {}): SunatAuthOptions => ({
  clientId: CLIENT.clientId,
  clientSecret: SECRET,
  ruc: CLIENT.ruc,
  solUser: CLIENT.solUser,
  solPassword: PASSWORD,
  baseUrl: sandbox.authUrl,
  dispatcher: agent,
  ...extra,
});

const payloadOf = (jwt: string): Record<string, unknown> => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8'));

async function rejection(p: Promise<unknown>): Promise<SunatAuthError> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(SunatAuthError.isInstance(error)).toBe(true);
  return error as SunatAuthError;
}

function expectNoSecrets(error: SunatAuthError, token?: string): void {
  const shown = [
    error.message,
    error.stack,
    JSON.stringify(error),
    inspect(error, { depth: 10 }),
    String(error.rawBody),
    inspect(error.cause, { depth: 10 }),
  ].join('\n');
  for (const secret of [SECRET, PASSWORD, encodeURIComponent(SECRET), encodeURIComponent(PASSWORD), ...(token ? [token] : [])])
    expect(shown).not.toContain(secret);
}

describe('getToken against the sandbox over HTTPS', () => {
  it('gets an RS256 JWT for the GRE and caches it', async () => {
    const auth = createSunatAuth(options());
    const before = sandbox.stats.tokenRequests;
    const token = await auth.getToken();
    expect(token.split('.')).toHaveLength(3);
    expect(String(payloadOf(token).aud)).toContain('/v1/contribuyente/gem');
    expect(await auth.getToken()).toBe(token);
    expect(sandbox.stats.tokenRequests - before).toBe(1);
    expect((await auth.getToken({ forceRefresh: true })) === token).toBe(false);
    expect(sandbox.stats.tokenRequests - before).toBe(2);
  });

  it('supports client_credentials for other SUNAT APIs', async () => {
    const auth = createSunatAuth(
      options({
        grant: 'client_credentials',
        scope: 'https://api.sunat.gob.pe',
        ruc: undefined,
        solUser: undefined,
        solPassword: undefined,
      }),
    );
    expect(payloadOf(await auth.getToken()).sub).toBe(CLIENT.clientId);
  });

  it('refuses client_credentials for the GRE scope before any request (the manual fixes grant_type to password)', () => {
    const before = sandbox.stats.tokenRequests;
    for (const scope of [undefined, 'https://api-cpe.sunat.gob.pe']) {
      let error: unknown;
      try {
        createSunatAuth(options({ grant: 'client_credentials', scope, ruc: undefined, solUser: undefined, solPassword: undefined }));
      } catch (e) {
        error = e;
      }
      expect(SunatAuthValidationError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ field: 'grant', rule: expect.stringMatching(/password.*GRE/) });
    }
    expect(sandbox.stats.tokenRequests).toBe(before);
  });

  it("parses the manual's {cod, msg, exc} refusals of the token host into the typed error", async () => {
    const sunat = await startSunatSandbox({ clients: [CLIENT], tokenErrorStyle: 'sunat' });
    const a = new Agent({ connect: { ca: sunat.ca } });
    try {
      const badPassword = await rejection(
        createSunatAuth(options({ baseUrl: sunat.authUrl, dispatcher: a, solPassword: 'wrong' })).getToken(),
      );
      expect(badPassword).toMatchObject({ kind: 'http', status: 400, code: '400', description: expect.stringMatching(/contraseña/) });
      expect(badPassword.hint).toMatch(/RUC/);
      const badSecret = await rejection(
        createSunatAuth(options({ baseUrl: sunat.authUrl, dispatcher: a, clientSecret: 'wrong-secret' })).getToken(),
      );
      expect(badSecret).toMatchObject({ status: 401, code: '401', description: 'cliente no autorizado' });
      expect(badSecret.hint).toMatch(/Credenciales de API SUNAT/);
      expectNoSecrets(badPassword);
    } finally {
      await a.close();
      await sunat.close();
    }
  });

  it("names SUNAT's test token host (the manual's example) as environment 'test'", () => {
    expect(SUNAT_TOKEN_HOSTS.test).toBe('https://api-seguridad-test.sunat.gob.pe:444/v1');
    const { baseUrl: _b, ...rest } = options();
    expect(JSON.parse(JSON.stringify(createSunatAuth({ ...rest, environment: 'test' }))).baseUrl).toBe(SUNAT_TOKEN_HOSTS.test);
    expect(JSON.parse(JSON.stringify(createSunatAuth(rest))).baseUrl).toBe(SUNAT_TOKEN_HOSTS.production);
    expect(() => createSunatAuth({ ...rest, environment: 'test', baseUrl: sandbox.authUrl })).toThrow(/environment or baseUrl/);
    expect(() => createSunatAuth({ ...rest, environment: 'staging' as never })).toThrow(/environment/);
  });

  it('renews before expires_in ends', async () => {
    const short = await startSunatSandbox({ clients: [CLIENT], tokenTtlSeconds: 2 });
    const a = new Agent({ connect: { ca: short.ca } });
    try {
      // renewBefore 300 s is capped at half the 2 s life: the token is reused for about 1 s, then renewed.
      const auth = createSunatAuth(options({ baseUrl: short.authUrl, dispatcher: a }));
      const first = await auth.getToken();
      expect(await auth.getToken()).toBe(first);
      await new Promise((r) => setTimeout(r, 1100));
      const second = await auth.getToken();
      expect(second).not.toBe(first);
      expect(short.stats.tokenRequests).toBe(2);
    } finally {
      await a.close();
      await short.close();
    }
  });

  it('keeps using a still-valid token when its early renewal fails', async () => {
    // A store whose token has 120 s left: inside the 300 s renew window, still usable.
    const inner = memoryTokenStore();
    const store: TokenStore = {
      get: async (k) => {
        const v = await inner.get(k);
        return v && { token: v.token, expiresAt: Date.now() + 120_000 };
      },
      set: (k, v) => inner.set(k, v),
      delete: (k) => inner.delete(k),
    };
    const auth = createSunatAuth(options({ store, maxRetries: 0 }));
    const first = await auth.getToken();
    sandbox.faults.inject({ on: 'token', kind: 'status503', count: 1 });
    const before = sandbox.stats.faults;
    expect(await auth.getToken()).toBe(first);
    expect(sandbox.stats.faults - before).toBe(1);
    expect(await auth.getToken()).not.toBe(first);
  });

  it('makes one request for N concurrent callers (single flight)', async () => {
    const auth = createSunatAuth(options());
    const before = sandbox.stats.tokenRequests;
    sandbox.faults.inject({ on: 'token', kind: 'slow', delayMs: 100 });
    const tokens = await Promise.all(Array.from({ length: 25 }, () => auth.getToken()));
    expect(new Set(tokens).size).toBe(1);
    expect(sandbox.stats.tokenRequests - before).toBe(1);
  });

  it('retries a 503 (honouring Retry-After) and a reset connection', async () => {
    const auth = createSunatAuth(options());
    const before = sandbox.stats.faults;
    sandbox.faults.inject({ on: 'token', kind: 'status503', retryAfterSeconds: 0 });
    sandbox.faults.inject({ on: 'token', kind: 'reset' });
    expect(await auth.getToken()).toMatch(/^eyJ/);
    expect(sandbox.stats.faults - before).toBe(2);
  });

  it('retries a refused connection, then reports a network error', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const auth = createSunatAuth(options({ baseUrl: `https://127.0.0.1:${port}/v1`, maxRetries: 1 }));
    const error = await rejection(auth.getToken());
    expect(error.kind).toBe('network');
    expect(error.code).toBe('NETWORK');
    expect(error.message).toMatch(/ECONNREFUSED/);
    expectNoSecrets(error);
  });

  it('turns a gateway HTML page into a typed error after its retries', async () => {
    const auth = createSunatAuth(options({ maxRetries: 1 }));
    sandbox.faults.inject({ on: 'token', kind: 'html', count: 2 });
    const error = await rejection(auth.getToken());
    expect(error.code).toBe('GATEWAY_HTML');
    expect(error.status).toBe(502);
    expect(error.rawBody).toContain('Bad Gateway');
  });

  it('does not retry a 401 and says the credentials may belong to another API', async () => {
    const before = sandbox.stats.tokenRequests;
    const auth = createSunatAuth(options({ clientSecret: 'wrong-secret-value' }));
    const error = await rejection(auth.getToken());
    expect(sandbox.stats.tokenRequests - before).toBe(1);
    expect(error.status).toBe(401);
    expect(error.code).toBe('invalid_client');
    expect(error.hint).toMatch(/another SUNAT API/);
  });

  it('hints at the username format on a bad SOL login, without showing the password', async () => {
    const auth = createSunatAuth(options({ solPassword: 'not-the-password-123' }));
    const error = await rejection(auth.getToken());
    expect(error.status).toBe(400);
    expect(error.code).toBe('invalid_grant');
    expect(error.hint).toMatch(/RUC \(11 digits\) immediately followed by the SOL user/);
    expect(JSON.stringify(error)).not.toContain('not-the-password-123');
  });

  it('a token issued to non-GRE credentials lacks the GRE resource', async () => {
    const auth = createSunatAuth(options({ clientId: NO_GRE.clientId }));
    expect(String(payloadOf(await auth.getToken()).aud)).not.toContain('/v1/contribuyente/gem');
  });

  it('invalidate() forgets the token, and invalidate(old) keeps a newer one', async () => {
    const auth = createSunatAuth(options());
    const t1 = await auth.getToken();
    await auth.invalidate();
    const t2 = await auth.getToken();
    expect(t2).not.toBe(t1);
    await auth.invalidate(t1);
    expect(await auth.getToken()).toBe(t2);
  });

  it('shares one token between two providers through a store', async () => {
    const store = memoryTokenStore();
    const before = sandbox.stats.tokenRequests;
    const a = createSunatAuth(options({ store }));
    const b = createSunatAuth(options({ store }));
    const token = await a.getToken();
    expect(await b.getToken()).toBe(token);
    expect(sandbox.stats.tokenRequests - before).toBe(1);
  });

  it('times out and aborts', async () => {
    sandbox.faults.inject({ on: 'token', kind: 'slow', delayMs: 1500 });
    const auth = createSunatAuth(options());
    expect((await rejection(auth.getToken({ timeoutMs: 200 }))).code).toBe('TIMEOUT');
    const controller = new AbortController();
    sandbox.faults.inject({ on: 'token', kind: 'slow', delayMs: 1500 });
    const p = auth.getToken({ signal: controller.signal });
    controller.abort();
    expect((await rejection(p)).code).toBe('ABORTED');
  });

  it('refuses after close()', async () => {
    const auth = createSunatAuth(options());
    await auth.close();
    expect((await rejection(auth.getToken())).code).toBe('CLOSED');
  });

  it('never shows the secrets, even when the server echoes them', async () => {
    // A server that echoes the form back, as a careless gateway might.
    const echo = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c));
      req.on('end', () => {
        const form = new URLSearchParams(body);
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            error: 'invalid_request',
            error_description: `bad ${form.get('client_secret')} ${form.get('password')}`,
            echo: body,
            token: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl',
          }),
        );
      });
    });
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    const echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}/v1`;
    try {
      const auth = createSunatAuth(options({ baseUrl: echoUrl, dispatcher: undefined }));
      const error = await rejection(auth.getToken());
      expectNoSecrets(error, 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl');
      expect(error.rawBody).toContain('[REDACTED]');
      expect(inspect(auth)).not.toContain(SECRET);
      expect(JSON.stringify(auth)).not.toContain(PASSWORD);
    } finally {
      await new Promise((r) => echo.close(r));
    }
  });

  it('never shows the token in errors after a successful fetch', async () => {
    const auth = createSunatAuth(options());
    const token = await auth.getToken();
    expect(inspect(auth, { depth: 10, showHidden: true })).not.toContain(token);
    sandbox.faults.inject({ on: 'token', kind: 'status500', count: 10 });
    const error = await rejection(auth.getToken({ forceRefresh: true }));
    expect(error.status).toBe(500);
    expectNoSecrets(error, token);
  });
});

describe('input is refused before the network', () => {
  const cases: [Partial<SunatAuthOptions>, string][] = [
    [{ ruc: '20000000002' }, 'ruc'],
    [{ ruc: '2000000000' }, 'ruc'],
    [{ clientId: '' }, 'clientId'],
    [{ clientSecret: undefined as unknown as string }, 'clientSecret'],
    [{ solUser: undefined }, 'solUser'],
    [{ solUser: '20000000001MODDATOS' }, 'solUser'],
    [{ solPassword: '' }, 'solPassword'],
    [{ baseUrl: 'ftp://x' }, 'baseUrl'],
    [{ renewBeforeSeconds: -1 }, 'renewBeforeSeconds'],
    [{ grant: 'implicit' as 'password' }, 'grant'],
  ];
  it.each(cases)('%o names %s', (extra, field) => {
    const before = sandbox.stats.tokenRequests;
    let error: unknown;
    try {
      createSunatAuth(options(extra));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SunatAuthValidationError);
    expect((error as SunatAuthValidationError).field).toBe(field);
    expect(String((error as Error).message)).not.toContain(PASSWORD);
    expect(sandbox.stats.tokenRequests).toBe(before);
  });
});
