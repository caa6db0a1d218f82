/**
 * What a failed undici/Node request means, from the error codes on it and its `cause` chain:
 * - `tls_certificate`: the server's certificate was not accepted (unknown CA, self-signed, wrong host name,
 *   expired): a configuration problem (`ca`, `dispatcher`), never an outage, never worth a retry;
 * - `tls`: another TLS handshake failure (protocol, client certificate refused);
 * - `dns`: the host name does not resolve; `refused`: nothing listens / no route / connect timeout;
 * - `reset`: the connection broke after it was made (the request may have reached the server);
 * - `timeout`: undici's headers/body timeout; `invalid`: a request undici refuses to make (bad URL, argument);
 * - `other`: anything else.
 */
export type NetworkKind = 'tls_certificate' | 'tls' | 'dns' | 'refused' | 'reset' | 'timeout' | 'invalid' | 'other';

export interface NetworkFailure {
  kind: NetworkKind;
  /** The most telling code found (e.g. UNABLE_TO_VERIFY_LEAF_SIGNATURE, ECONNREFUSED), or 'UNKNOWN'. */
  code: string;
  /** The request surely never reached the server: safe to repeat, even a document submission. */
  notSent: boolean;
  /** Repeating may help (false for TLS and invalid requests: the same attempt fails the same way). */
  retryable: boolean;
}

const CERTIFICATE =
  /^(CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|HOSTNAME_MISMATCH$|ERR_TLS_CERT_ALTNAME_INVALID$)/;
const TLS = /^(ERR_SSL_|ERR_TLS_)/;
const DNS = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL']);
const REFUSED = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'UND_ERR_CONNECT_TIMEOUT']);
const RESET = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ETIMEDOUT', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);
const TIMEOUT = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
const INVALID = new Set(['ERR_INVALID_URL', 'UND_ERR_INVALID_ARG', 'ERR_INVALID_ARG_TYPE', 'ERR_INVALID_ARG_VALUE']);
/** Codes that only say "something below failed": a more precise one on a cause wins. */
const GENERIC = new Set(['UND_ERR_SOCKET', 'UND_ERR', 'UNKNOWN']);

function kindOf(code: string): NetworkKind {
  if (CERTIFICATE.test(code)) return 'tls_certificate';
  if (TLS.test(code)) return 'tls';
  if (DNS.has(code)) return 'dns';
  if (REFUSED.has(code)) return 'refused';
  if (RESET.has(code)) return 'reset';
  if (TIMEOUT.has(code)) return 'timeout';
  if (INVALID.has(code)) return 'invalid';
  return 'other';
}

export function classifyNetworkError(error: unknown): NetworkFailure {
  const codes: string[] = [];
  let tlsMessage = false;
  for (let e: unknown = error, i = 0; e && typeof e === 'object' && i < 6; e = (e as { cause?: unknown }).cause, i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    const message = (e as { message?: unknown }).message;
    // a handshake refused by the peer sometimes arrives with no code, only the alert's text
    if (typeof message === 'string' && /certificate|handshake|alert/i.test(message)) tlsMessage = true;
  }
  const precise = codes.filter((c) => !GENERIC.has(c));
  // a TLS code anywhere in the chain explains the rest (undici wraps it in UND_ERR_SOCKET or "other side closed")
  const code = precise.find((c) => CERTIFICATE.test(c)) ?? precise.find((c) => TLS.test(c)) ?? precise[0] ?? codes[0] ?? 'UNKNOWN';
  let kind = kindOf(code);
  if (kind === 'other' && tlsMessage) kind = 'tls';
  const notSent = kind === 'tls_certificate' || kind === 'tls' || kind === 'dns' || kind === 'refused' || kind === 'invalid';
  return { kind, code, notSent, retryable: kind !== 'tls_certificate' && kind !== 'tls' && kind !== 'invalid' };
}

/** The one sentence every client adds to a refused server certificate. */
export function tlsCertificateAdvice(code: string): string {
  return (
    `the server's TLS certificate was not accepted (${code}). This is a configuration problem, not an outage: ` +
    'check the `ca` option (the CA that issued the server certificate) or the `dispatcher` you passed'
  );
}
