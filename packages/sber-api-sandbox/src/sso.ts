import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { OAuthFault } from './errors.js';

/** A client registered with the sandbox's SberBusiness ID, as Sber registers a fintech partner. */
export interface SandboxClientConfig {
  /** `client_id`; also the CN its client certificate must carry. */
  clientId: string;
  /** `client_secret` (changeable through change-client-secret). */
  clientSecret: string;
  /** The registered `redirect_uri`; authorize and the code grant must name exactly this one. */
  redirectUri: string;
  /** Scopes the client's offer allows; requested scopes outside it are dropped. Default: every scope. */
  scopes?: string[];
}

/** Lifetimes of the SberBusiness ID tokens, in seconds (the documented values by default). */
export interface SsoTimings {
  codeTtlSeconds: number;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /** How long a used refresh token stays valid as a reserve. */
  refreshReserveSeconds: number;
}

export const DEFAULT_TIMINGS: SsoTimings = {
  codeTtlSeconds: 120,
  accessTokenTtlSeconds: 3600,
  refreshTokenTtlSeconds: 180 * 86_400,
  refreshReserveSeconds: 7200,
};

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  scope: string;
  id_token: string;
}

export interface AccessGrant {
  clientId: string;
  scopes: Set<string>;
}

interface CodeRecord {
  clientId: string;
  scope: string;
  redirectUri: string;
  nonce?: string;
  expiresAt: number;
  used: boolean;
}
interface AccessRecord {
  clientId: string;
  scope: string;
  expiresAt: number;
}
interface RefreshRecord {
  clientId: string;
  scope: string;
  nonce?: string;
  expiresAt: number;
  usedAt?: number;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** 38 alphanumerics: one of the two token shapes Sber's docs show (the other is UUID-like, used for access tokens). */
function alnum38(): string {
  return [...randomBytes(38)].map((b) => ALNUM[b % ALNUM.length]).join('');
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** SberBusiness ID: one-time codes, access tokens, refresh tokens with rotation and a reserve window. */
export class Sso {
  private readonly codes = new Map<string, CodeRecord>();
  private readonly access = new Map<string, AccessRecord>();
  private readonly refresh = new Map<string, RefreshRecord>();
  /** Refresh grants: answered, answered with a token already used once (a reserve), and refused. */
  readonly refreshCounts = { refreshes: 0, reserveRefreshes: 0, refusedRefreshes: 0 };

  constructor(
    private readonly clients: Map<string, SandboxClientConfig>,
    private readonly timings: SsoTimings,
    private readonly now: () => number,
    private readonly signIdToken: (claims: Record<string, unknown>) => string,
    private readonly issuer: () => string,
  ) {}

  /** Auto-approves as a logged-in user: returns a one-time code. */
  authorize(o: { clientId: string; scope: string; redirectUri: string; nonce?: string }): string {
    const client = this.clients.get(o.clientId);
    if (!client) throw new OAuthFault(400, 'invalid_client', `Unknown client_id ${o.clientId}`);
    if (o.redirectUri !== client.redirectUri)
      throw new OAuthFault(400, 'invalid_request', 'redirect_uri does not match the registered one');
    const requested = o.scope.split(/\s+/).filter(Boolean);
    if (requested.length === 0) throw new OAuthFault(400, 'invalid_scope', 'scope is required');
    const allowed = client.scopes ? requested.filter((s) => client.scopes!.includes(s)) : requested;
    const code = randomUUID();
    this.codes.set(code, {
      clientId: o.clientId,
      scope: allowed.join(' '),
      redirectUri: o.redirectUri,
      nonce: o.nonce,
      expiresAt: this.now() + this.timings.codeTtlSeconds * 1000,
      used: false,
    });
    return code;
  }

  /** `POST /ic/sso/api/v2/oauth/token`. `certCn` is the CN of the TLS client certificate. */
  token(form: URLSearchParams, certCn: string | undefined): TokenResponse {
    const client = this.authenticate(form.get('client_id'), form.get('client_secret'), certCn);
    switch (form.get('grant_type')) {
      case 'authorization_code':
        return this.exchangeCode(client, form.get('code'), form.get('redirect_uri'));
      case 'refresh_token':
        return this.rotate(client, form.get('refresh_token'));
      case null:
      case '':
        throw new OAuthFault(400, 'invalid_request', 'grant_type is required');
      default:
        throw new OAuthFault(400, 'unsupported_grant_type', 'grant_type must be authorization_code or refresh_token');
    }
  }

  /** `POST /ic/sso/api/v1/change-client-secret`, parameters in the query string. */
  changeClientSecret(query: URLSearchParams, certCn: string | undefined, expirationDays: number): { clientSecretExpiration: number } {
    const client = this.authenticate(query.get('client_id'), query.get('client_secret'), certCn);
    const token = query.get('access_token');
    const grant = token ? this.checkAccess(token) : undefined;
    if (!grant || grant.clientId !== client.clientId) throw new OAuthFault(400, 'invalid_grant', 'access_token is invalid or expired');
    const next = query.get('new_client_secret');
    if (!next) throw new OAuthFault(400, 'invalid_request', 'new_client_secret is required');
    if (next === client.clientSecret) throw new OAuthFault(400, 'invalid_request', 'new_client_secret must differ from the current one');
    client.clientSecret = next;
    return { clientSecretExpiration: expirationDays };
  }

  /** The grant behind a Bearer token, or undefined when unknown or expired. */
  checkAccess(token: string): AccessGrant | undefined {
    const record = this.access.get(token);
    if (!record || this.now() >= record.expiresAt) return undefined;
    return { clientId: record.clientId, scopes: new Set(record.scope.split(' ')) };
  }

  /** Every access token issued so far stops working (refresh tokens keep working). */
  expireAccessTokens(): void {
    for (const record of this.access.values()) record.expiresAt = 0;
  }

  private authenticate(clientId: string | null, secret: string | null, certCn: string | undefined): SandboxClientConfig {
    if (!clientId || !secret) throw new OAuthFault(400, 'invalid_request', 'client_id and client_secret are required');
    const client = this.clients.get(clientId);
    if (!client || !sameSecret(client.clientSecret, secret)) throw new OAuthFault(400, 'invalid_client', 'Client authentication failed');
    if (certCn !== clientId) throw new OAuthFault(401, 'invalid_client', 'The TLS client certificate was not issued for this client_id');
    return client;
  }

  private exchangeCode(client: SandboxClientConfig, code: string | null, redirectUri: string | null): TokenResponse {
    if (!code) throw new OAuthFault(400, 'invalid_request', 'code is required');
    const record = this.codes.get(code);
    if (!record || record.clientId !== client.clientId) throw new OAuthFault(400, 'invalid_grant', 'Invalid authorization code');
    if (record.used) throw new OAuthFault(400, 'invalid_grant', 'Authorization code has already been used');
    if (this.now() >= record.expiresAt) throw new OAuthFault(400, 'invalid_grant', 'Authorization code has expired');
    if (redirectUri !== record.redirectUri)
      throw new OAuthFault(400, 'invalid_grant', 'redirect_uri does not match the one of the authorization request');
    record.used = true;
    return this.issuePair(client.clientId, record.scope, record.nonce);
  }

  private rotate(client: SandboxClientConfig, token: string | null): TokenResponse {
    if (!token) throw new OAuthFault(400, 'invalid_request', 'refresh_token is required');
    const record = this.refresh.get(token);
    const now = this.now();
    const refuse = (why: string): OAuthFault => {
      this.refreshCounts.refusedRefreshes++;
      return new OAuthFault(400, 'invalid_grant', why);
    };
    if (!record || record.clientId !== client.clientId) throw refuse('Invalid refresh token');
    if (now >= record.expiresAt) throw refuse('Refresh token has expired');
    if (record.usedAt !== undefined && now >= record.usedAt + this.timings.refreshReserveSeconds * 1000) {
      throw refuse('Refresh token has already been used');
    }
    this.refreshCounts.refreshes++;
    if (record.usedAt !== undefined) this.refreshCounts.reserveRefreshes++;
    record.usedAt ??= now; // the reserve window runs from the first use
    return this.issuePair(client.clientId, record.scope, record.nonce);
  }

  private issuePair(clientId: string, scope: string, nonce: string | undefined): TokenResponse {
    const now = this.now();
    const accessToken = `${randomUUID()}-1`;
    const refreshToken = alnum38();
    this.access.set(accessToken, { clientId, scope, expiresAt: now + this.timings.accessTokenTtlSeconds * 1000 });
    this.refresh.set(refreshToken, { clientId, scope, nonce, expiresAt: now + this.timings.refreshTokenTtlSeconds * 1000 });
    const iat = Math.floor(now / 1000);
    return {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: this.timings.accessTokenTtlSeconds,
      refresh_token: refreshToken,
      scope,
      id_token: this.signIdToken({
        iss: this.issuer(),
        sub: `user-${clientId}`,
        aud: clientId,
        iat,
        exp: iat + this.timings.accessTokenTtlSeconds,
        ...(nonce ? { nonce } : {}),
      }),
    };
  }
}
