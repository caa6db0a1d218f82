import { existsSync } from 'node:fs';

/** Every variable live mode reads. `secret` ones are never printed, not even in the "missing" message's values. */
export const LIVE_VARIABLES = {
  sunat: [
    {
      name: 'SUNAT_ENV',
      secret: false,
      about: "'production' (api-seguridad / api-cpe.sunat.gob.pe) or 'nubefact' (gre-test.nubefact.com)",
    },
    { name: 'SUNAT_CLIENT_ID', secret: false, about: 'client_id of the API credentials made in SOL for "GRE Emisión de Comprobantes"' },
    { name: 'SUNAT_CLIENT_SECRET', secret: true, about: 'client_secret of those credentials' },
    { name: 'SUNAT_RUC', secret: false, about: "the issuer's RUC (11 digits)" },
    { name: 'SUNAT_SOL_USER', secret: false, about: 'the SOL user (without the RUC)' },
    { name: 'SUNAT_SOL_PASSWORD', secret: true, about: "the SOL user's password" },
    { name: 'SUNAT_SIGNING_PFX', secret: false, about: 'path of the .pfx/.p12 with the certificate that signs the guide' },
    { name: 'SUNAT_SIGNING_PASSPHRASE', secret: true, about: 'passphrase of that .pfx' },
    { name: 'SUNAT_GUIDE_JSON', secret: false, about: 'path of a JSON file with the guide to send (the sunat-gre-client/gre Guide type)' },
  ],
  sber: [
    { name: 'SBER_CLIENT_ID', secret: false, about: 'client_id registered with SberBusiness API' },
    { name: 'SBER_CLIENT_SECRET', secret: true, about: 'its client_secret' },
    { name: 'SBER_TLS_P12', secret: false, about: 'path of the client TLS certificate (.p12) Sber issued for the client_id' },
    { name: 'SBER_TLS_PASSPHRASE', secret: true, about: 'passphrase of that .p12' },
    { name: 'SBER_CA_BUNDLE', secret: false, about: "path of a PEM bundle with Sber's server CA chain" },
    {
      name: 'SBER_REFRESH_TOKEN',
      secret: true,
      about: 'a refresh token from a SberBusiness ID login (rotated tokens are kept in SBER_TOKEN_FILE)',
    },
    { name: 'SBER_TOKEN_FILE', secret: false, about: 'where rotated tokens are stored (created if absent; keep it private)' },
    { name: 'SBER_GOST_KEY', secret: false, about: 'path of the GOST R 34.10-2012 private key (PKCS#8 PEM) that signs digests and JWS' },
    { name: 'SBER_CERT_UUID', secret: false, about: 'the certificateUuid of that key, from /v1/crypto' },
    { name: 'SBER_ORG_NAME', secret: false, about: "the organisation's short name" },
    { name: 'SBER_ORG_INN', secret: false, about: "the organisation's INN" },
  ],
} as const;

export type Flow = keyof typeof LIVE_VARIABLES;
export type LiveEnv = Record<string, string>;

/** Reads `.env` (if present) without overriding the real environment, then checks the flows' variables. */
export function readLiveConfig(flows: Flow[], envFile = '.env'): { env: LiveEnv; missing: string[] } {
  if (existsSync(envFile)) {
    // process.loadEnvFile keeps variables that are already set, so the environment wins over the file.
    process.loadEnvFile(envFile);
  }
  const env: LiveEnv = {};
  const missing: string[] = [];
  for (const flow of flows) {
    for (const v of LIVE_VARIABLES[flow]) {
      const value = process.env[v.name];
      if (value === undefined || value.trim() === '') missing.push(`${v.name} — ${v.about}`);
      else env[v.name] = value;
    }
  }
  return { env, missing };
}

/** Every secret value in play, so output can be checked (and scrubbed) for them. */
export function secretValues(env: LiveEnv): string[] {
  const names = new Set<string>(Object.values(LIVE_VARIABLES).flatMap((vs) => vs.filter((v) => v.secret).map((v) => v.name)));
  return Object.entries(env)
    .filter(([k, v]) => names.has(k) && v.length >= 4)
    .map(([, v]) => v);
}
