import { OAuthFault } from '../errors.js';
import { LostResponse, type Reply, type Route } from '../http.js';
import type { Sso } from '../sso.js';

export interface SsoRouteDeps {
  sso: Sso;
  stats: { tokenRequests: number };
  clientSecretExpirationDays: number;
  /** True once: the next refresh is applied and its answer is lost (the socket is cut). */
  takeDropNextRefresh(): boolean;
}

/** SberBusiness ID: token (code and refresh grants), the browser's authorize, change-client-secret. */
export function ssoRoutes(d: SsoRouteDeps): Route[] {
  return [
    {
      method: 'POST',
      pattern: /^\/ic\/sso\/api\/v2\/oauth\/token$/,
      target: 'token',
      handle: (ctx) => {
        d.stats.tokenRequests++;
        const form = new URLSearchParams(ctx.body.toString('utf8'));
        const reply: Reply = {
          status: 200,
          body: d.sso.token(form, ctx.certCn),
          headers: { 'cache-control': 'no-store', pragma: 'no-cache' },
        };
        if (form.get('grant_type') === 'refresh_token' && d.takeDropNextRefresh()) throw new LostResponse();
        return reply;
      },
    },
    {
      method: 'GET',
      pattern: /^\/ic\/sso\/api\/v2\/oauth\/authorize$/,
      target: 'token',
      login: true,
      handle: (ctx) => {
        const q = ctx.url.searchParams;
        if (q.get('response_type') !== 'code') throw new OAuthFault(400, 'unsupported_response_type', 'response_type must be code');
        const redirectUri = q.get('redirect_uri') ?? '';
        const code = d.sso.authorize({
          clientId: q.get('client_id') ?? '',
          scope: q.get('scope') ?? '',
          redirectUri,
          nonce: q.get('nonce') ?? undefined,
        });
        const target = new URL(redirectUri);
        target.searchParams.set('code', code);
        if (q.get('state') !== null) target.searchParams.set('state', q.get('state')!);
        return { status: 302, body: undefined, headers: { location: target.toString() } };
      },
    },
    {
      method: 'POST',
      pattern: /^\/ic\/sso\/api\/v1\/change-client-secret$/,
      target: 'token',
      handle: (ctx) => ({ status: 200, body: d.sso.changeClientSecret(ctx.url.searchParams, ctx.certCn, d.clientSecretExpirationDays) }),
    },
  ];
}
