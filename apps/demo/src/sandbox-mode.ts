import { randomUUID } from 'node:crypto';
import { createSberAgent, createSberAuth, memorySberTokenStore, type SberAuth } from 'sber-registry-client';
import { Agent, request } from 'undici';
import { makeGostIdentity, makeGreSigningKey } from './keys.js';
import { type SandboxState, SBER_SANDBOX_CLIENT, SUNAT_SANDBOX_CLIENT, startSandboxes } from './sandboxes.js';
import { connectSber, demoRegistry } from './sber-flow.js';
import type { Services } from './services.js';
import { connectSunat, demoGuides } from './sunat-flow.js';

const POLL_MS = 250;
const SBER_SCOPE = 'openid DEBT_REGISTRY GET_CRYPTO_INFO';

/**
 * Starts both sandboxes in this process and connects the clients to them. For a new run it also makes the signing
 * material (an RSA key for the guides, a GOST key and certificate the bank is told about); for a resume it brings
 * the sandboxes back from the journaled state and only needs to log in again.
 */
export async function openSandboxServices(o: { state?: SandboxState; flows: ('sunat' | 'sber')[] }): Promise<Services> {
  const run = o.state === undefined;
  const identity = run && o.flows.includes('sber') ? makeGostIdentity('Demo signer') : undefined;
  const [greKey, sandboxes] = await Promise.all([
    run && o.flows.includes('sunat') ? makeGreSigningKey(`GRE DEMO ${SUNAT_SANDBOX_CLIENT.ruc}`) : undefined,
    startSandboxes({
      flows: o.flows,
      state: o.state,
      gostCertificates: identity ? [{ uuid: identity.uuid, certificate: identity.certificatePem }] : [],
    }),
  ]);
  const { sunat, sber } = sandboxes;
  const sunatDispatcher = sunat && new Agent({ connect: { ca: sunat.ca } });
  const sberAgent = sber && createSberAgent({ tls: { pfx: sber.clientTls.pfx, passphrase: sber.clientTls.passphrase }, ca: sber.ca });

  const services: Services = {
    mode: 'sandbox',
    sandboxState: () => sandboxes.snapshot(),
    pollIntervalMs: POLL_MS,
    close: async () => {
      await services.sber?.conn.close();
      await Promise.all([sunatDispatcher?.close(), sberAgent?.close()]);
      await sandboxes.close();
    },
  };
  try {
    if (sunat && sunatDispatcher) {
      const conn = connectSunat({
        authUrl: sunat.authUrl,
        cpeUrl: sunat.cpeUrl,
        dispatcher: sunatDispatcher,
        credentials: SUNAT_SANDBOX_CLIENT,
        pollIntervalMs: POLL_MS,
      });
      services.sunat = { conn, guides: greKey ? demoGuides(SUNAT_SANDBOX_CLIENT.ruc, greKey) : [] };
    }
    if (sber && sberAgent) {
      const auth = createSberAuth({
        environment: { baseUrl: sber.url },
        loginBaseUrl: sber.loginUrl,
        clientId: SBER_SANDBOX_CLIENT.clientId,
        clientSecret: SBER_SANDBOX_CLIENT.clientSecret,
        store: memorySberTokenStore(),
        dispatcher: sberAgent,
      });
      await auth.exchangeCode(await browserLogin(auth, sber.ca), SBER_SANDBOX_CLIENT.redirectUri);
      const conn = connectSber({ environment: { baseUrl: sber.url }, auth, dispatcher: sberAgent, identity, pollDelayMs: POLL_MS });
      services.sber = { conn, identity, registry: run ? demoRegistry({ name: 'ООО Ромашка', inn: '7707083893' }) : undefined };
    }
  } catch (e) {
    await services.close();
    throw e;
  }
  return services;
}

/**
 * The person's part of SberBusiness ID: open the login page, log in (the sandbox approves at once) and come back
 * to the redirect URI with a one-time code.
 */
async function browserLogin(auth: SberAuth, ca: string): Promise<string> {
  const state = randomUUID();
  const url = auth.authorizationUrl({ scope: SBER_SCOPE, state, nonce: randomUUID(), redirectUri: SBER_SANDBOX_CLIENT.redirectUri });
  const browser = new Agent({ connect: { ca } });
  try {
    const res = await request(url, { dispatcher: browser });
    await res.body.dump();
    const location = res.statusCode === 302 ? new URL(String(res.headers.location)) : undefined;
    const code = location?.searchParams.get('code');
    if (!code || location?.searchParams.get('state') !== state) throw new Error(`SberBusiness ID login failed (HTTP ${res.statusCode})`);
    return code;
  } finally {
    await browser.close();
  }
}
