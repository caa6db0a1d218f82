import { inspect } from 'node:util';
import { type DespatchAdviceXmlOptions, despatchAdviceXml } from '@internal/testkit';
import { createSunatAuth, type SunatAuth } from 'oauth-sunat';
import { type SandboxClient, type SunatSandbox, type SunatSandboxOptions, startSunatSandbox } from 'sunat-gre-sandbox';
import { Agent } from 'undici';
import { createGreClient, type GreClient, type GreClientOptions } from '../src/index.js';

/** Known secret values: tests assert that none of them ever shows in an error or a hook payload. */
export const CLIENT: SandboxClient = {
  clientId: '3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f',
  clientSecret: 'Cl13nt-S3cr3t-K7q+/=',
  ruc: '20000000001',
  solUser: 'MODDATOS',
  solPassword: 'S0l-P4ssw0rd-Zx9',
};

export interface Rig {
  sandbox: SunatSandbox;
  agent: Agent;
  auth: SunatAuth;
  client: GreClient;
  /** A fresh client on the same sandbox, with other options. */
  make(options?: Partial<GreClientOptions>): GreClient;
  close(): Promise<void>;
}

export async function startRig(
  sandboxOptions: Partial<SunatSandboxOptions> = {},
  clientOptions: Partial<GreClientOptions> = {},
): Promise<Rig> {
  const sandbox = await startSunatSandbox({ clients: [CLIENT], ...sandboxOptions });
  const agent = new Agent({ connect: { ca: sandbox.ca } });
  const auth = createSunatAuth({
    clientId: CLIENT.clientId,
    clientSecret: CLIENT.clientSecret,
    ruc: CLIENT.ruc,
    solUser: CLIENT.solUser,
    solPassword: CLIENT.solPassword,
    baseUrl: sandbox.authUrl,
    dispatcher: agent,
  });
  const make = (options: Partial<GreClientOptions> = {}): GreClient =>
    createGreClient({
      auth,
      baseUrl: sandbox.cpeUrl,
      dispatcher: agent,
      pollIntervalMs: 5,
      maxPollIntervalMs: 20,
      retryBaseMs: 5,
      retryMaxMs: 20,
      ...clientOptions,
      ...options,
    });
  return {
    sandbox,
    agent,
    auth,
    client: make(),
    make,
    async close() {
      await agent.close();
      await sandbox.close();
    },
  };
}

let next = 1;
/** A guide of the sandbox client with a number no other test uses. */
export function guide(overrides: Partial<DespatchAdviceXmlOptions> = {}) {
  const o = { ruc: CLIENT.ruc, type: '09' as const, series: 'T001', number: next++, ...overrides };
  return { ruc: o.ruc, type: o.type, series: o.series, number: o.number, xml: despatchAdviceXml(o) };
}

/** Every string reachable from a value (own properties, causes, JSON, inspect), to look for secrets in it. */
export function everything(x: unknown): string {
  const parts: string[] = [];
  let e: unknown = x;
  for (let i = 0; e && i < 6; i++, e = (e as { cause?: unknown }).cause) {
    parts.push(String(e), inspect(e, { depth: 10, showHidden: true }), (e as Error).stack ?? '');
    try {
      parts.push(JSON.stringify(e));
    } catch {}
  }
  return parts.join('\n');
}

export const SECRETS = [CLIENT.clientSecret, CLIENT.solPassword];
