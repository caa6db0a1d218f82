import { randomUUID } from 'node:crypto';
import { type CryptoKey, jwtVerify, type KeyObject, SignJWT } from 'jose';

/** A client registered with the sandbox's token host, as SUNAT registers an API client for a taxpayer. */
export interface SandboxClient {
  /** `client_id` (also the `{id}` of the token path `/clientessol/{id}/oauth2/token/`). */
  clientId: string;
  /** `client_secret`. */
  clientSecret: string;
  /** The taxpayer's RUC (11 digits); the password grant's `username` is this RUC followed by `solUser`. */
  ruc: string;
  /** The SOL user (e.g. MODDATOS), second half of the password grant's `username`. */
  solUser: string;
  /** The SOL password (the password grant's `password`). */
  solPassword: string;
  /** Default true; false = credentials registered for another SUNAT API (the token lacks `/v1/contribuyente/gem`). */
  greEnabled?: boolean;
}

export const GRE_SCOPE = 'https://api-cpe.sunat.gob.pe';
export const GRE_RESOURCE = '/v1/contribuyente/gem';
/** Scopes of other SUNAT APIs on the same token host (accepted, grant no GRE). */
const OTHER_SCOPES = ['https://api.sunat.gob.pe/v1/contribuyente/contribuyentes', 'https://api.sunat.gob.pe'];

export interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface TokenClaims {
  ruc: string;
  clientId: string;
  gre: boolean;
}

export interface TokenIssuer {
  issue(form: URLSearchParams, pathClientId: string): Promise<Answer>;
  verify(token: string): Promise<TokenClaims | undefined>;
  /** Every token issued so far stops working. */
  expireAll(): void;
}

const oauthError = (status: number, error: string, description: string): Answer => ({
  status,
  body: { error, error_description: description },
});

export function tokenIssuer(o: {
  clients: SandboxClient[];
  ttlSeconds: number;
  privateKey: CryptoKey | KeyObject;
  publicKey: CryptoKey | KeyObject;
  issuerUrl: () => string;
}): TokenIssuer {
  const byId = new Map(o.clients.map((c) => [c.clientId, c]));
  let generation = 0;

  return {
    async issue(form, pathClientId) {
      const grant = form.get('grant_type');
      if (!grant) return oauthError(400, 'invalid_request', 'grant_type es requerido');
      if (grant !== 'password' && grant !== 'client_credentials')
        return oauthError(400, 'unsupported_grant_type', `grant_type no soportado: ${grant.slice(0, 40)}`);
      for (const field of ['client_id', 'client_secret'] as const)
        if (!form.get(field)) return oauthError(400, 'invalid_request', `${field} es requerido`);
      if (grant === 'password')
        for (const field of ['username', 'password'] as const)
          if (!form.get(field)) return oauthError(400, 'invalid_request', `${field} es requerido`);
      if (form.get('client_id') !== pathClientId)
        return oauthError(400, 'invalid_request', 'El client_id del path no coincide con el del body');
      const client = byId.get(pathClientId);
      if (!client || client.clientSecret !== form.get('client_secret')) return oauthError(401, 'invalid_client', 'cliente no autorizado');
      // The manual's own Postman request has no scope: it is then the GRE's (inferred from that example).
      const scope = form.get('scope') || GRE_SCOPE;
      if (scope !== GRE_SCOPE && !OTHER_SCOPES.includes(scope)) return oauthError(400, 'invalid_scope', 'scope no valido');
      // The manual: "El parámetro grant_type tiene valor fijo" (password) for the GRE. The answer SUNAT gives is not
      // documented: an OAuth unsupported_grant_type is inferred.
      if (grant === 'client_credentials' && scope === GRE_SCOPE)
        return oauthError(400, 'unsupported_grant_type', `grant_type tiene valor fijo (password) para el scope ${GRE_SCOPE}`);
      if (grant === 'password') {
        const username = form.get('username')!;
        if (!/^\d{11}/.test(username) || username.slice(0, 11) !== client.ruc)
          return oauthError(400, 'invalid_grant', 'El usuario debe ser el RUC (11 digitos) seguido del usuario SOL');
        if (username.slice(11).toUpperCase() !== client.solUser.toUpperCase() || form.get('password') !== client.solPassword)
          return oauthError(400, 'invalid_grant', 'Usuario o contraseña incorrectos');
      }
      const gre = scope === GRE_SCOPE && client.greEnabled !== false;
      const now = Math.floor(Date.now() / 1000);
      // As in SUNAT's real tokens, `aud` is a JSON text listing each API and its granted resources.
      const aud = JSON.stringify([
        { api: scope, recursos: [{ id: gre ? GRE_RESOURCE : '/v1/contribuyente/migeigv', indicador: '1', gt: '100000' }] },
      ]);
      const token = await new SignJWT({
        aud,
        userdata: { numRUC: client.ruc, usuarioSOL: grant === 'password' ? client.solUser : undefined, id: randomUUID() },
        gen: generation,
        cid: client.clientId,
      })
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: 'sandbox' })
        .setSubject(client.clientId)
        .setIssuer(o.issuerUrl())
        .setIssuedAt(now)
        .setNotBefore(now - 5)
        .setExpirationTime(now + o.ttlSeconds)
        .setJti(randomUUID())
        .sign(o.privateKey);
      return { status: 200, body: { access_token: token, token_type: 'JWT', expires_in: o.ttlSeconds } };
    },

    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, o.publicKey, { algorithms: ['RS256'], issuer: o.issuerUrl() });
        if (typeof payload['gen'] !== 'number' || payload['gen'] < generation) return undefined;
        const userdata = payload['userdata'] as { numRUC?: unknown } | undefined;
        const audText = typeof payload.aud === 'string' ? payload.aud : '';
        return {
          ruc: String(userdata?.numRUC ?? ''),
          clientId: String(payload['cid'] ?? ''),
          gre: audText.includes(`"${GRE_RESOURCE}"`),
        };
      } catch {
        return undefined;
      }
    },

    expireAll() {
      generation++;
    },
  };
}
