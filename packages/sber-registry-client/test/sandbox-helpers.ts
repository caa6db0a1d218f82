import { randomUUID } from 'node:crypto';
import { createCertificate, generateKeyPair } from 'gost2012';
import { gostSigner } from 'jws-base64url';
import { DEFAULT_CLIENT, type SberSandbox, startSberSandbox } from 'sber-api-sandbox';
import { rawGostSigner } from 'sber-digest';
import { Agent, request } from 'undici';
import {
  createSberAuth,
  createSberClient,
  type DebtRegistry,
  memorySberTokenStore,
  type SberAuth,
  type SberClientOptions,
  type SberTokenStore,
} from '../src/index.js';

export const SCOPE = 'openid DEBT_REGISTRY FILES GET_CRYPTO_INFO';

/** A GOST signing identity registered with the sandbox (what /v1/crypto lists). */
export function gostIdentity() {
  const { privateKey, publicKey } = generateKeyPair('cryptopro-a');
  const certificate = createCertificate({ publicKey, signingKey: privateKey, subject: { commonName: 'Signer' } });
  const uuid = randomUUID();
  return {
    privateKey,
    certificate,
    uuid,
    digestSigner: rawGostSigner({ privateKey, certificateUuid: uuid }),
    transportSigner: gostSigner({ privateKey }),
  };
}

let n = 0;
export function registry(patch: Partial<DebtRegistry> = {}): DebtRegistry {
  n++;
  return {
    externalId: randomUUID(),
    date: '2024-02-20',
    recordNum: String(n),
    orgName: 'ООО Ромашка',
    orgTaxNumber: '7707083893',
    number: String(n),
    ...patch,
  };
}

/** The browser part of the login: follow authorizationUrl on the login host, return the code from the redirect. */
export async function login(sandbox: SberSandbox, auth: SberAuth, scope = SCOPE): Promise<string> {
  const state = randomUUID();
  const url = auth.authorizationUrl({ scope, state, nonce: randomUUID(), redirectUri: DEFAULT_CLIENT.redirectUri });
  const browser = new Agent({ connect: { ca: sandbox.ca } });
  try {
    const res = await request(url, { dispatcher: browser });
    await res.body.dump();
    if (res.statusCode !== 302) throw new Error(`authorize answered ${res.statusCode}`);
    const location = new URL(String(res.headers.location));
    if (location.searchParams.get('state') !== state) throw new Error('state mismatch');
    return location.searchParams.get('code')!;
  } finally {
    await browser.close();
  }
}

export async function connect(
  sandbox: SberSandbox,
  o: { store?: SberTokenStore; client?: Partial<SberClientOptions>; now?: () => number } = {},
) {
  const store = o.store ?? memorySberTokenStore();
  const tls = { pfx: sandbox.clientTls.pfx, passphrase: sandbox.clientTls.passphrase };
  const auth = createSberAuth({
    environment: { baseUrl: sandbox.url },
    loginBaseUrl: sandbox.loginUrl,
    clientId: DEFAULT_CLIENT.clientId,
    clientSecret: DEFAULT_CLIENT.clientSecret,
    tls,
    ca: sandbox.ca,
    store,
    retryDelay: { baseMs: 5, maxMs: 50 },
    now: o.now,
  });
  await auth.exchangeCode(await login(sandbox, auth), DEFAULT_CLIENT.redirectUri);
  const client = createSberClient({
    environment: { baseUrl: sandbox.url },
    tls,
    ca: sandbox.ca,
    auth,
    retryDelay: { baseMs: 5, maxMs: 50 },
    pollDelay: { initialMs: 2, maxMs: 20 },
    ...o.client,
  });
  return { auth, client, store, close: async () => Promise.all([client.close(), auth.close()]) };
}

export { DEFAULT_CLIENT, startSberSandbox };
