import { createHash } from 'node:crypto';
import { despatchAdviceXml } from '@internal/testkit';
import { strToU8, zipSync } from 'fflate';
import { Agent, request } from 'undici';
import { type SandboxClient, type SunatSandbox, type SunatSandboxOptions, startSunatSandbox } from '../src/index.js';

export const CLIENT: SandboxClient = {
  clientId: '6d1d1a3e-5a2b-4c9e-9d3c-1e2f3a4b5c6d',
  clientSecret: 'S3cr3t-Client-Value+/=',
  ruc: '20000000001',
  solUser: 'MODDATOS',
  solPassword: 'P4ss-Sol-Value',
};
export const OTHER: SandboxClient = { ...CLIENT, clientId: 'other-client', ruc: '20100070970', solUser: 'OTRO' };
export const NO_GRE: SandboxClient = { ...CLIENT, clientId: 'no-gre-client', greEnabled: false };

export interface Harness {
  sandbox: SunatSandbox;
  agent: Agent;
  call(
    base: 'auth' | 'cpe',
    path: string,
    init?: { method?: string; headers?: Record<string, string>; body?: string | Buffer },
  ): Promise<{ status: number; headers: Record<string, unknown>; text: string; json: any }>;
  token(client?: SandboxClient): Promise<string>;
  send(
    token: string,
    doc: { ruc?: string; type?: '09' | '31'; series?: string; number?: number | string; xml?: string; zip?: Uint8Array; body?: unknown },
  ): ReturnType<Harness['call']>;
  status(token: string, ticket: string): ReturnType<Harness['call']>;
  close(): Promise<void>;
}

export async function startHarness(options: Partial<SunatSandboxOptions> = {}): Promise<Harness> {
  const sandbox = await startSunatSandbox({ clients: [CLIENT, OTHER, NO_GRE], ...options });
  const agent = new Agent({ connect: { ca: sandbox.ca } });
  const call: Harness['call'] = async (base, path, init = {}) => {
    const res = await request(`${base === 'auth' ? sandbox.authUrl : sandbox.cpeUrl}${path}`, {
      method: (init.method ?? 'GET') as 'GET',
      headers: init.headers,
      body: init.body,
      dispatcher: agent,
    });
    const text = await res.body.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.statusCode, headers: res.headers, text, json };
  };
  const token: Harness['token'] = async (client = CLIENT) => {
    const res = await call('auth', `/clientessol/${client.clientId}/oauth2/token/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'password',
        scope: 'https://api-cpe.sunat.gob.pe',
        client_id: client.clientId,
        client_secret: client.clientSecret,
        username: client.ruc + client.solUser,
        password: client.solPassword,
      }).toString(),
    });
    if (res.status !== 200) throw new Error(`token ${res.status} ${res.text}`);
    return res.json.access_token as string;
  };
  const send: Harness['send'] = (tok, d) => {
    const { ruc = CLIENT.ruc, type = '09', series = 'T001', number = 1 } = d;
    const base = `${ruc}-${type}-${series}-${number}`;
    const zip = d.zip ?? zipSync({ [`${base}.xml`]: strToU8(d.xml ?? despatchAdviceXml({ ruc, type, series, number })) });
    const body = d.body ?? {
      archivo: {
        nomArchivo: `${base}.zip`,
        arcGreZip: Buffer.from(zip).toString('base64'),
        hashZip: createHash('sha256').update(zip).digest('hex'),
      },
    };
    return call('cpe', `/contribuyente/gem/comprobantes/${base}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tok}`, 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  };
  const status: Harness['status'] = (tok, ticket) =>
    call('cpe', `/contribuyente/gem/comprobantes/envios/${ticket}`, { headers: { authorization: `Bearer ${tok}` } });
  return {
    sandbox,
    agent,
    call,
    token,
    send,
    status,
    async close() {
      await agent.close();
      await sandbox.close();
    },
  };
}

/** Zip bytes → `{name: text}`. */
export { strFromU8, unzipSync } from 'fflate';
