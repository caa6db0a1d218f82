// Reading the token endpoint's answers: the pair (and its lifetimes) of a 200, the typed error of a refusal.
import type { Redactor } from '@internal/http-core';
import { parseErrorBody, type SberApiError, SberAuthError } from './errors.js';
import type { Reply } from './http.js';
import type { SberTokens } from './store.js';

/** Documented: a used refresh token stays a reserve for 2 h; retry with it within 1 h. */
const RESERVE_USABLE_MS = 3_600_000;

/** The parts of the token answer this package keeps; throws INVALID_TOKEN_RESPONSE (without echoing the body) otherwise. */
export function tokensFrom(reply: Reply, now: number, redactor: Redactor, reserve?: string): SberTokens {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(reply.text) as Record<string, unknown>;
  } catch {
    throw new SberAuthError('INVALID_TOKEN_RESPONSE', 'The token endpoint answered with a body that is not JSON', {
      status: reply.status,
      requestId: reply.requestId,
    });
  }
  const access = json?.access_token;
  const refresh = json?.refresh_token;
  redactor.addToken(typeof access === 'string' ? access : undefined);
  redactor.addToken(typeof refresh === 'string' ? refresh : undefined);
  redactor.addToken(typeof json?.id_token === 'string' ? json.id_token : undefined);
  if (typeof access !== 'string' || !access || typeof refresh !== 'string' || !refresh) {
    throw new SberAuthError('INVALID_TOKEN_RESPONSE', 'The token answer lacks access_token or refresh_token', {
      status: reply.status,
      requestId: reply.requestId,
    });
  }
  const expiresIn = typeof json.expires_in === 'number' && json.expires_in > 0 ? json.expires_in : 3600;
  return {
    accessToken: access,
    accessTokenExpiresAt: now + expiresIn * 1000,
    refreshToken: refresh,
    refreshTokenExpiresAt: now + 180 * 86_400_000,
    ...(reserve ? { reserveRefreshToken: reserve, reserveUsableUntil: now + RESERVE_USABLE_MS } : {}),
    ...(typeof json.scope === 'string' ? { scope: json.scope } : {}),
    ...(typeof json.id_token === 'string' ? { idToken: json.id_token } : {}),
  };
}

/** Token endpoint errors: OAuth `{error, error_description}` (400/401/406) or the fintech body (429/5xx). */
export function tokenError(reply: Reply, redactor: Redactor): SberAuthError | SberApiError {
  // this client's secrets go before anything is read or cut: the server may quote the form it was sent
  const text = redactor.redact(reply.text);
  try {
    const json = JSON.parse(text) as Record<string, unknown>;
    if (typeof json?.error === 'string') {
      const desc = typeof json.error_description === 'string' ? json.error_description : undefined;
      return new SberAuthError('OAUTH_ERROR', `SberBusiness ID refused: ${json.error}${desc ? ` (${desc})` : ''}`, {
        status: reply.status,
        error: json.error,
        errorDescription: desc,
        requestId: reply.requestId,
      });
    }
  } catch {
    // not JSON: the generic reader below keeps the raw body
  }
  return parseErrorBody(reply.status, text, reply.requestId);
}
