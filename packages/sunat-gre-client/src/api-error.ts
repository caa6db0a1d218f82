import { SunatApiError, type SunatErrorItem } from './errors.js';
import { SUNAT_CODES } from './generated/sunat-codes.js';

/** SUNAT's text for a code from its catalogue (CodeErrors.xml); `151` and `0151` are the same code. */
export function describeSunatCode(code: string | number): string | undefined {
  const c = String(code).trim();
  if (!/^\d{1,4}$/.test(c)) return undefined; // codes are digits; also keeps '__proto__' & co. out of the lookup
  return Object.hasOwn(SUNAT_CODES, c) ? SUNAT_CODES[c] : SUNAT_CODES[c.padStart(4, '0')];
}

/** An HTTP error answer as {@link parseApiError} reads it. */
export interface ErrorContext {
  /** HTTP status. */
  status: number;
  /** The Content-Type header, when present. */
  contentType?: string;
  /** The gateway's request id, when any. */
  requestId?: string;
  /** The request URL. */
  url?: string;
  /** The raw body, already stripped of secrets. */
  rawBody: string;
  /** The server's Retry-After, in ms, when it sent one. */
  retryAfterMs?: number;
}

/**
 * Turns any error answer into a `SunatApiError`: the seed's `{cod,msg,exc,errors:[{codError,desError}]}`, the REST
 * spec's `{cod:422,msg,errors:[{cod,msg}]}`, OAuth-style bodies, gateway HTML pages and plain junk. Never throws.
 */
export function parseApiError(ctx: ErrorContext): SunatApiError {
  const { status, rawBody } = ctx;
  const base = { status, rawBody, requestId: ctx.requestId, url: ctx.url, hint: hintFor(status), retryAfterMs: ctx.retryAfterMs };
  const trimmed = rawBody.trimStart();
  if (/html/i.test(ctx.contentType ?? '') || trimmed.startsWith('<')) {
    const title =
      /<title[^>]*>([^<]{0,200})<\/title>/i.exec(rawBody)?.[1]?.trim() || /<h1[^>]*>([^<]{0,200})<\/h1>/i.exec(rawBody)?.[1]?.trim();
    return new SunatApiError(
      `HTTP ${status}: a gateway answered with an HTML page${title ? ` ("${title}")` : ''} instead of SUNAT's JSON; SUNAT is probably unavailable`,
      {
        ...base,
        code: 'GATEWAY_HTML',
        msg: title ?? '',
      },
    );
  }
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    return new SunatApiError(`HTTP ${status} with a body that is not JSON${rawBody ? '' : ' (empty)'}`, { ...base, code: 'BAD_RESPONSE' });
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return new SunatApiError(`HTTP ${status} with an unexpected JSON body`, { ...base, code: 'BAD_RESPONSE' });
  }
  const o = body as Record<string, unknown>;
  const cod = asText(o['cod']) ?? asText(o['error']) ?? asText(o['status']) ?? String(status);
  const msg = asText(o['msg']) ?? asText(o['error_description']) ?? asText(o['message']) ?? '';
  const exc = asText(o['exc']) ?? null;
  const errors = Array.isArray(o['errors']) ? o['errors'].map(toItem).filter((x): x is SunatErrorItem => x !== undefined) : [];
  const detail = errors.length ? errors.map((e) => `${e.code} ${e.message}`).join('; ') : msg || describeSunatCode(cod) || '';
  return new SunatApiError(
    `SUNAT answered HTTP ${status}${cod !== String(status) ? ` (cod ${cod})` : ''}${detail ? `: ${detail}` : ''}${base.hint ? `. ${base.hint}` : ''}`,
    {
      ...base,
      cod,
      msg,
      exc,
      errors,
    },
  );
}

/** Either documented item shape: `{cod, msg}` or `{codError, desError}`. */
function toItem(x: unknown): SunatErrorItem | undefined {
  if (typeof x !== 'object' || x === null) return undefined;
  const o = x as Record<string, unknown>;
  const code = asText(o['codError']) ?? asText(o['cod']) ?? asText(o['code']) ?? asText(o['numError']);
  const sent = asText(o['desError']) ?? asText(o['msg']) ?? asText(o['message']);
  if (code === undefined && sent === undefined) return undefined;
  const catalogue = code === undefined ? undefined : describeSunatCode(code);
  return { code: code ?? '', message: sent ?? catalogue ?? '', ...(catalogue === undefined ? {} : { catalogue }) };
}

function asText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/** Plain words for the failures users meet most (SUNAT-GRE.md: lycet #595/#605/#613, Odoo docs). */
function hintFor(status: number): string | undefined {
  if (status === 401)
    return 'The token was refused even after renewing it: the credentials may have been created for another SUNAT API (not "GRE Emision de Comprobantes"), or the SOL user has no GRE rights';
  if (status === 403)
    return 'The client is not authorised for GRE: register the application for "GRE Emision de Comprobantes" (/v1/contribuyente/gem) in SOL';
  if (status === 413) return 'The request is too large for SUNAT';
  return undefined;
}
