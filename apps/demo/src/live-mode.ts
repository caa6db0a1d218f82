import { readFileSync } from 'node:fs';
import { importPrivateKey } from 'gost2012';
import { createSberAgent, createSberAuth, fileSberTokenStore, type SberTokenStore } from 'sber-registry-client';
import { buildDespatchAdvice, type Guide, signXml } from 'sunat-gre-client/gre';
import { Agent } from 'undici';
import type { GostIdentity } from './keys.js';
import type { LiveEnv } from './live-config.js';
import { connectSber, demoRegistry } from './sber-flow.js';
import type { Services } from './services.js';
import { connectSunat } from './sunat-flow.js';

/** SUNAT's hosts: production, or Nubefact's public test host (SUNAT has no GRE test environment). */
const SUNAT_HOSTS = {
  production: { authUrl: 'https://api-seguridad.sunat.gob.pe/v1', cpeUrl: 'https://api-cpe.sunat.gob.pe/v1' },
  nubefact: { authUrl: 'https://gre-test.nubefact.com/v1', cpeUrl: 'https://gre-test.nubefact.com/v1' },
} as const;

/** Connects to the real services with the variables readLiveConfig checked. Nothing here prints a value. */
export async function openLiveServices(env: LiveEnv, o: { flows: ('sunat' | 'sber')[]; forRun: boolean }): Promise<Services> {
  const closers: (() => Promise<unknown>)[] = [];
  const services: Services = {
    mode: 'live',
    pollIntervalMs: 2000,
    close: async () => {
      for (const close of closers.reverse()) await close();
    },
  };
  try {
    if (o.flows.includes('sunat')) {
      const hosts = SUNAT_HOSTS[env.SUNAT_ENV as keyof typeof SUNAT_HOSTS];
      if (!hosts) throw new Error(`SUNAT_ENV must be 'production' or 'nubefact'`);
      const dispatcher = new Agent();
      closers.push(() => dispatcher.close());
      const conn = connectSunat({
        ...hosts,
        dispatcher,
        credentials: {
          clientId: env.SUNAT_CLIENT_ID!,
          clientSecret: env.SUNAT_CLIENT_SECRET!,
          ruc: env.SUNAT_RUC!,
          solUser: env.SUNAT_SOL_USER!,
          solPassword: env.SUNAT_SOL_PASSWORD!,
        },
        pollIntervalMs: services.pollIntervalMs,
      });
      const guide = o.forRun ? (JSON.parse(readFileSync(env.SUNAT_GUIDE_JSON!, 'utf8')) as Guide) : undefined;
      const signing = guide && { pfx: readFileSync(env.SUNAT_SIGNING_PFX!), passphrase: env.SUNAT_SIGNING_PASSPHRASE! };
      const guides =
        guide && signing
          ? [
              {
                label: 'your guide',
                expected: 'accepted' as const,
                guide,
                // validated and built when the flow reaches it: a guide SUNAT would refuse is that flow's named error
                signedXml: () => signXml(buildDespatchAdvice(guide), signing, { algorithm: 'rsa-sha256' }),
              },
            ]
          : [];
      services.sunat = { conn, guides };
    }
    if (o.flows.includes('sber')) {
      const agent = createSberAgent({
        tls: { pfx: readFileSync(env.SBER_TLS_P12!), passphrase: env.SBER_TLS_PASSPHRASE! },
        ca: readFileSync(env.SBER_CA_BUNDLE!, 'utf8'),
      });
      closers.push(() => agent.close());
      const store = await seededStore(env.SBER_TOKEN_FILE!, env.SBER_REFRESH_TOKEN!);
      const auth = createSberAuth({
        environment: 'test',
        clientId: env.SBER_CLIENT_ID!,
        clientSecret: env.SBER_CLIENT_SECRET!,
        store,
        dispatcher: agent,
      });
      const identity: GostIdentity = {
        privateKey: importPrivateKey(readFileSync(env.SBER_GOST_KEY!, 'utf8')),
        certificatePem: '',
        uuid: env.SBER_CERT_UUID!,
      };
      const conn = connectSber({ environment: 'test', auth, dispatcher: agent, identity, pollDelayMs: services.pollIntervalMs });
      closers.push(() => conn.close());
      services.sber = {
        conn,
        identity,
        registry: o.forRun ? demoRegistry({ name: env.SBER_ORG_NAME!, inn: env.SBER_ORG_INN! }) : undefined,
      };
    }
  } catch (e) {
    await services.close();
    throw e;
  }
  return services;
}

/**
 * The token file keeps Sber's rotated tokens between runs. The first time, it is seeded with the refresh token
 * from SBER_REFRESH_TOKEN and an access token that has already expired, so the first call refreshes.
 */
async function seededStore(path: string, refreshToken: string): Promise<SberTokenStore> {
  const store = fileSberTokenStore(path);
  if (!(await store.load())) await store.save({ accessToken: 'expired', accessTokenExpiresAt: 0, refreshToken });
  return store;
}
