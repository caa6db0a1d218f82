import { MockAgent } from 'undici';

export const ORIGIN = 'https://fintech.test:9443';

/** A scripted SberBusiness ID behind undici's MockAgent (unit tests only; the sandbox covers the real wire). */
export function fakeSso(o: { clientSecret?: string } = {}) {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const pool = agent.get(ORIGIN);
  const state = {
    secret: o.clientSecret ?? 'client-secret-123',
    issued: 0,
    refreshRequests: [] as string[],
    valid: new Set<string>(),
    /** Next token answers to lose (the rotation applies, the socket dies). */
    lose: 0,
    /** Refresh tokens to refuse with invalid_grant. */
    refuse: new Set<string>(),
    changeQueries: [] as URLSearchParams[],
  };
  const pair = () => {
    state.issued++;
    const refresh = `refresh-token-${state.issued}-abcdefgh`;
    state.valid.add(refresh);
    return {
      access_token: `access-token-${state.issued}-abcdefgh`,
      token_type: 'Bearer',
      expires_in: 3600,
      refresh_token: refresh,
      scope: 'openid DEBT_REGISTRY',
    };
  };
  pool
    .intercept({ path: '/ic/sso/api/v2/oauth/token', method: 'POST' })
    .reply<object>((req) => {
      const form = new URLSearchParams(String(req.body));
      if (form.get('client_secret') !== state.secret)
        return { statusCode: 400, data: { error: 'invalid_client', error_description: `bad secret ${form.get('client_secret')}` } };
      if (form.get('grant_type') === 'refresh_token') {
        const rt = form.get('refresh_token') ?? '';
        state.refreshRequests.push(rt);
        if (!state.valid.has(rt) || state.refuse.has(rt))
          return { statusCode: 400, data: { error: 'invalid_grant', error_description: 'Invalid refresh token' } };
      } else if (form.get('code') !== 'good-code') {
        return { statusCode: 400, data: { error: 'invalid_grant', error_description: 'Invalid authorization code' } };
      }
      const data = pair();
      if (state.lose > 0) {
        state.lose--;
        throw Object.assign(new Error('socket hang up'), { code: 'UND_ERR_SOCKET' });
      }
      return { statusCode: 200, data };
    })
    .persist();
  pool
    .intercept({ path: (p) => p.startsWith('/ic/sso/api/v1/change-client-secret?'), method: 'POST' })
    .reply<object>((req) => {
      const q = new URLSearchParams(String(req.path).split('?')[1]);
      state.changeQueries.push(q);
      state.secret = q.get('new_client_secret') ?? state.secret;
      return { statusCode: 200, data: { clientSecretExpiration: 40 } };
    })
    .persist();
  return { agent, pool, state };
}
