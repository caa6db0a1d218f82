import { request as httpsRequest } from 'node:https';
import { createSecureContext } from 'node:tls';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SberSandbox, SberSandboxError, startSberSandbox } from '../src/index.js';
import { agentFor, call, DEFAULT_CLIENT, form, login, SCOPE } from './helpers.js';

const TOKEN_PATH = '/ic/sso/api/v2/oauth/token';

describe('mutual TLS', () => {
  let sandbox: SberSandbox;
  beforeAll(async () => {
    sandbox = await startSberSandbox();
  });
  afterAll(() => sandbox.close());

  it('serves a client that presents the certificate issued for it', async () => {
    const agent = agentFor(sandbox);
    const r = await call(agent, `${sandbox.url}/fintech/api/v1/crypto`);
    expect(r.status).toBe(401);
    expect(r.json.cause).toBe('UNAUTHORIZED');
    expect(r.headers['x-request-id']).toBeTruthy();
    await agent.close();
  });

  it('refuses the handshake without a client certificate', async () => {
    const agent = new Agent({ connect: { ca: sandbox.ca } });
    await expect(request(`${sandbox.url}/fintech/api/v1/crypto`, { dispatcher: agent }).then((r) => r.body.text())).rejects.toThrow();
    await agent.close();
  });

  it('refuses the handshake with a certificate from another CA', async () => {
    const agent = agentFor(sandbox, sandbox.foreignClientTls);
    await expect(request(`${sandbox.url}/fintech/api/v1/crypto`, { dispatcher: agent }).then((r) => r.body.text())).rejects.toThrow();
    await agent.close();
  });

  it('is reachable with node:https and the PKCS#12 file', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpsRequest(
        `${sandbox.url}/fintech/api/v1/crypto`,
        { ca: sandbox.ca, pfx: Buffer.from(sandbox.clientTls.pfx), passphrase: sandbox.clientTls.passphrase },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(401);
    expect(() => createSecureContext({ pfx: Buffer.from(sandbox.clientTls.pfx), passphrase: 'wrong' })).toThrow();
  });

  it('refuses a token request whose certificate was issued for another client_id', async () => {
    const other = sandbox.issueClientCertificate('someone-else');
    const agent = agentFor(sandbox, other);
    const code = await sandbox.authorize({ clientId: DEFAULT_CLIENT.clientId, scope: SCOPE, redirectUri: DEFAULT_CLIENT.redirectUri });
    const r = await call(agent, `${sandbox.url}${TOKEN_PATH}`, {
      method: 'POST',
      ...form({
        grant_type: 'authorization_code',
        code,
        redirect_uri: DEFAULT_CLIENT.redirectUri,
        client_id: DEFAULT_CLIENT.clientId,
        client_secret: DEFAULT_CLIENT.clientSecret,
      }),
    });
    expect(r.status).toBe(401);
    expect(r.json).toEqual({ error: 'invalid_client', error_description: expect.any(String) });
    await agent.close();
  });

  it('refuses a resource call whose certificate does not match the token client', async () => {
    const own = agentFor(sandbox);
    const { access_token } = await login(sandbox, own);
    const agent = agentFor(sandbox, sandbox.issueClientCertificate('someone-else'));
    const r = await call(agent, `${sandbox.url}/fintech/api/v1/crypto`, { headers: { authorization: `Bearer ${access_token}` } });
    expect(r.status).toBe(403);
    expect(r.json.cause).toBe('ACTION_ACCESS_EXCEPTION');
    expect(r.json.message).toBe('Операция не может быть выполнена: доступ к ресурсу запрещен');
    await Promise.all([own.close(), agent.close()]);
  });
});

describe('SberBusiness ID', () => {
  let t = Date.parse('2026-11-20T10:00:00Z');
  const now = () => t;
  let sandbox: SberSandbox;
  let agent: Agent;
  beforeAll(async () => {
    sandbox = await startSberSandbox({ now });
    agent = agentFor(sandbox);
  });
  afterAll(async () => {
    await agent.close();
    await sandbox.close();
  });
  const token = (fields: Record<string, string>) =>
    call(agent, `${sandbox.url}${TOKEN_PATH}`, {
      method: 'POST',
      ...form({ client_id: DEFAULT_CLIENT.clientId, client_secret: DEFAULT_CLIENT.clientSecret, ...fields }),
    });
  const codeExchange = (code: string) => token({ grant_type: 'authorization_code', code, redirect_uri: DEFAULT_CLIENT.redirectUri });
  const refresh = (refresh_token: string) => token({ grant_type: 'refresh_token', refresh_token });

  it('exchanges a code once', async () => {
    const code = await sandbox.authorize({
      clientId: DEFAULT_CLIENT.clientId,
      scope: SCOPE,
      redirectUri: DEFAULT_CLIENT.redirectUri,
      nonce: 'n-1',
    });
    const first = await codeExchange(code);
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: SCOPE });
    expect(first.json.access_token).not.toBe(first.json.refresh_token);
    const claims = JSON.parse(Buffer.from(first.json.id_token.split('.')[1], 'base64url').toString());
    expect(claims).toMatchObject({ aud: DEFAULT_CLIENT.clientId, nonce: 'n-1', iss: sandbox.url });
    const again = await codeExchange(code);
    expect(again.status).toBe(400);
    expect(again.json.error).toBe('invalid_grant');
  });

  it('refuses a code older than 2 minutes', async () => {
    const code = await sandbox.authorize({ clientId: DEFAULT_CLIENT.clientId, scope: SCOPE, redirectUri: DEFAULT_CLIENT.redirectUri });
    t += 121_000;
    const r = await codeExchange(code);
    expect(r.status).toBe(400);
    expect(r.json).toEqual({ error: 'invalid_grant', error_description: 'Authorization code has expired' });
  });

  it('refuses a wrong secret, a wrong redirect_uri and an unknown grant with OAuth bodies', async () => {
    const code = await sandbox.authorize({ clientId: DEFAULT_CLIENT.clientId, scope: SCOPE, redirectUri: DEFAULT_CLIENT.redirectUri });
    expect((await token({ grant_type: 'authorization_code', code, redirect_uri: 'https://evil.example/cb' })).json.error).toBe(
      'invalid_grant',
    );
    expect((await token({ grant_type: 'password' })).json.error).toBe('unsupported_grant_type');
    const bad = await call(agent, `${sandbox.url}${TOKEN_PATH}`, {
      method: 'POST',
      ...form({
        grant_type: 'authorization_code',
        code,
        redirect_uri: DEFAULT_CLIENT.redirectUri,
        client_id: DEFAULT_CLIENT.clientId,
        client_secret: 'nope',
      }),
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toBe('invalid_client');
  });

  it('rotates refresh tokens; a used one stays valid as a reserve for 2 h', async () => {
    const first = (
      await codeExchange(
        await sandbox.authorize({ clientId: DEFAULT_CLIENT.clientId, scope: SCOPE, redirectUri: DEFAULT_CLIENT.redirectUri }),
      )
    ).json;
    const counts = (): number[] => [sandbox.stats.refreshes, sandbox.stats.reserveRefreshes, sandbox.stats.refusedRefreshes];
    const [r0, v0, x0] = counts();
    const second = await refresh(first.refresh_token);
    expect(second.status).toBe(200);
    expect(counts()).toEqual([r0! + 1, v0, x0]);
    expect(second.json.refresh_token).not.toBe(first.refresh_token);
    expect(second.json.access_token).not.toBe(first.access_token);
    t += 60 * 60_000; // 1 h later the used token still works (reserve)
    const reserve = await refresh(first.refresh_token);
    expect(reserve.status).toBe(200);
    t += 60 * 60_000 + 1; // past 2 h after its first use it is gone
    const late = await refresh(first.refresh_token);
    expect(late.status).toBe(400);
    expect(late.json).toEqual({ error: 'invalid_grant', error_description: 'Refresh token has already been used' });
    // one refresh with a fresh token, one with the reserve, and the late one refused
    expect(counts()).toEqual([r0! + 2, v0! + 1, x0! + 1]);
    // the newest pair keeps working
    expect((await refresh(reserve.json.refresh_token)).status).toBe(200);
  });

  it('recovers a lost refresh response with the reserve token', async () => {
    const first = (
      await codeExchange(
        await sandbox.authorize({ clientId: DEFAULT_CLIENT.clientId, scope: SCOPE, redirectUri: DEFAULT_CLIENT.redirectUri }),
      )
    ).json;
    sandbox.faults.dropNextRefreshResponse();
    const before = sandbox.stats.tokenRequests;
    await expect(refresh(first.refresh_token)).rejects.toThrow();
    expect(sandbox.stats.tokenRequests).toBe(before + 1); // the rotation was applied
    const retry = await refresh(first.refresh_token);
    expect(retry.status).toBe(200);
    const r = await call(agent, `${sandbox.url}/fintech/api/v1/crypto`, {
      headers: { authorization: `Bearer ${retry.json.access_token}` },
    });
    expect(r.status).toBe(200);
  });

  it('expires access tokens on demand and after their lifetime', async () => {
    const { access_token } = await login(sandbox, agent);
    const ok = await call(agent, `${sandbox.url}/fintech/api/v1/crypto`, { headers: { authorization: `Bearer ${access_token}` } });
    expect(ok.status).toBe(200);
    sandbox.faults.expireAccessTokens();
    const r = await call(agent, `${sandbox.url}/fintech/api/v1/crypto`, { headers: { authorization: `Bearer ${access_token}` } });
    expect(r.status).toBe(401);
    expect(r.json).toMatchObject({
      cause: 'UNAUTHORIZED',
      message: `accessToken not found by value =${access_token}`,
      referenceId: expect.any(String),
    });
    const fresh = await login(sandbox, agent);
    t += 3600_000;
    const expired = await call(agent, `${sandbox.url}/fintech/api/v1/crypto`, {
      headers: { authorization: `Bearer ${fresh.access_token}` },
    });
    expect(expired.status).toBe(401);
  });

  it('authorize over HTTP redirects with code and state (login host, no client certificate)', async () => {
    const plain = new Agent({ connect: { ca: sandbox.ca } });
    const q = new URLSearchParams({
      scope: SCOPE,
      response_type: 'code',
      client_id: DEFAULT_CLIENT.clientId,
      redirect_uri: DEFAULT_CLIENT.redirectUri,
      state: 'st-1',
      nonce: 'no-1',
    });
    const r = await call(plain, `${sandbox.loginUrl}/ic/sso/api/v2/oauth/authorize?${q}`);
    expect(r.status).toBe(302);
    const location = new URL(String(r.headers.location));
    expect(location.origin + location.pathname).toBe(DEFAULT_CLIENT.redirectUri);
    expect(location.searchParams.get('state')).toBe('st-1');
    const exchanged = await codeExchange(location.searchParams.get('code')!);
    expect(exchanged.status).toBe(200);
    const bad = await call(
      plain,
      `${sandbox.loginUrl}/ic/sso/api/v2/oauth/authorize?${new URLSearchParams({ ...Object.fromEntries(q), redirect_uri: 'https://evil.example/' })}`,
    );
    expect(bad.status).toBe(400);
    expect(bad.json.error).toBe('invalid_request');
    // only authorize lives on the login host
    expect((await call(plain, `${sandbox.loginUrl}/fintech/api/v1/crypto`)).status).toBe(404);
    await plain.close();
    await expect(sandbox.authorize({ clientId: 'nobody', scope: SCOPE, redirectUri: DEFAULT_CLIENT.redirectUri })).rejects.toSatisfy(
      SberSandboxError.isInstance,
    );
  });

  it('changes the client secret with query-string parameters', async () => {
    const { access_token } = await login(sandbox, agent);
    const q = new URLSearchParams({
      access_token,
      client_id: DEFAULT_CLIENT.clientId,
      client_secret: DEFAULT_CLIENT.clientSecret,
      new_client_secret: 'brand-new-secret',
    });
    const r = await call(agent, `${sandbox.url}/ic/sso/api/v1/change-client-secret?${q}`, { method: 'POST' });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ clientSecretExpiration: 40 });
    const old = await login(sandbox, agent).catch((e: Error) => e.message);
    expect(old).toMatch(/invalid_client/);
    const back = new URLSearchParams({
      access_token,
      client_id: DEFAULT_CLIENT.clientId,
      client_secret: 'brand-new-secret',
      new_client_secret: DEFAULT_CLIENT.clientSecret,
    });
    expect((await call(agent, `${sandbox.url}/ic/sso/api/v1/change-client-secret?${back}`, { method: 'POST' })).status).toBe(200);
  });
});
