// Reading SUNAT's token answers: the token and its lifetime from a 200, the error fields of a refusal.

/** The access_token of a 200 body, when there is a string one (to redact it from a refused answer). */
export function tokenIn(raw: string): string | undefined {
  try {
    const token = (JSON.parse(raw) as Record<string, unknown>)?.['access_token'];
    return typeof token === 'string' ? token : undefined;
  } catch {
    return undefined;
  }
}

/** The token and its `expires_in` (seconds; default 3600) of a 200 body, when both are usable. */
export function parseToken(raw: string): { token: string; expiresIn: number } | undefined {
  try {
    const body = JSON.parse(raw) as Record<string, unknown>;
    const token = body['access_token'];
    const expiresIn = Number(body['expires_in'] ?? 3600);
    if (typeof token !== 'string' || token === '' || !Number.isFinite(expiresIn) || expiresIn <= 0) return undefined;
    return { token, expiresIn };
  } catch {
    return undefined;
  }
}

/** The JWT's `exp` in ms, when the token is a JWT (SUNAT's are); never trusted beyond expires_in. */
export function jwtExpiry(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const exp = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown }).exp;
    return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** The first non-empty string (or number, as text) of SUNAT's candidate error fields. */
export function firstString(...values: unknown[]): string | undefined {
  for (const v of values) {
    if (typeof v === 'string' && v !== '') return v;
    if (typeof v === 'number') return String(v);
  }
  return undefined;
}
