import { randomUUID } from 'node:crypto';
import { Agent, request } from 'undici';
import { DEFAULT_CLIENT, type SberSandbox, type SberSandboxOptions, startSberSandbox } from '../src/index.js';

export { DEFAULT_CLIENT };
export const SCOPE = 'openid DEBT_REGISTRY FILES GET_CRYPTO_INFO';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}

/** One mTLS agent per certificate, as a real client would hold. */
export function agentFor(sandbox: SberSandbox, tls: { cert: string; key: string } = sandbox.clientTls): Agent {
  return new Agent({ connect: { ca: sandbox.ca, cert: tls.cert, key: tls.key } });
}

export async function call(
  agent: Agent,
  url: string,
  init: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string | Uint8Array } = {},
): Promise<Reply> {
  const res = await request(url, { dispatcher: agent, method: init.method ?? 'GET', headers: init.headers, body: init.body });
  const text = await res.body.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.statusCode, headers: res.headers, text, json };
}

export function form(fields: Record<string, string>): { headers: Record<string, string>; body: string } {
  return { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() };
}

/** Authorization code → tokens for the default client. */
export async function login(sandbox: SberSandbox, agent: Agent, scope = SCOPE): Promise<{ access_token: string; refresh_token: string }> {
  const code = await sandbox.authorize({
    clientId: DEFAULT_CLIENT.clientId,
    scope,
    redirectUri: DEFAULT_CLIENT.redirectUri,
    state: 's',
    nonce: 'n',
  });
  const r = await call(agent, `${sandbox.url}/ic/sso/api/v2/oauth/token`, {
    method: 'POST',
    ...form({
      grant_type: 'authorization_code',
      code,
      redirect_uri: DEFAULT_CLIENT.redirectUri,
      client_id: DEFAULT_CLIENT.clientId,
      client_secret: DEFAULT_CLIENT.clientSecret,
    }),
  });
  if (r.status !== 200) throw new Error(`login failed: ${r.status} ${r.text}`);
  return r.json;
}

let number = 0;
/** A valid registry; each call gets its own `number`, since the bank refuses a number repeated within a year. */
export function registry(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    externalId: randomUUID(),
    date: '2026-11-20',
    number: String(++number),
    orgName: 'ООО "Клиент"',
    orgTaxNumber: '7707083893',
    recordNum: '100',
    ...overrides,
  };
}

export function createJson(sandbox: SberSandbox, agent: Agent, token: string, body: unknown): Promise<Reply> {
  return call(agent, `${sandbox.url}/fintech/api/v1/debt-registries`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export function getState(sandbox: SberSandbox, agent: Agent, token: string, externalId: string): Promise<Reply> {
  return call(agent, `${sandbox.url}/fintech/api/v1/debt-registries/${encodeURIComponent(externalId)}/state`, {
    headers: { authorization: `Bearer ${token}` },
  });
}

export async function withSandbox(options: SberSandboxOptions, fn: (sandbox: SberSandbox, agent: Agent) => Promise<void>): Promise<void> {
  const sandbox = await startSberSandbox(options);
  const agent = agentFor(sandbox);
  try {
    await fn(sandbox, agent);
  } finally {
    await agent.close();
    await sandbox.close();
  }
}
