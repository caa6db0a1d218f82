import { type Signer, signCompact } from 'jws-base64url';
import type { SberAuth } from './auth.js';
import { parseErrorBody, SberApiError } from './errors.js';
import { type CallOptions, exchangeIdempotent, exchangeOnce, type Reply, type Transport } from './http.js';

export const API = '/fintech/api/v1';

export interface EncodedBody {
  body: string;
  contentType: string;
}

/** The authenticated calls every resource of the fintech API is made of. */
export interface Calls {
  /** An idempotent GET with the bearer token; one refresh on 401. Returns the JSON object or throws the typed error. */
  get(operation: string, path: string, o: CallOptions): Promise<Record<string, unknown>>;
  /** A POST sent once (plus once more after a 401, which the bank answers before storing anything). */
  postOnce(operation: string, path: string, body: EncodedBody, o: CallOptions, attempt: number): Promise<Reply>;
  /** JSON, or JWS compact (`application/jose`) when a transport signature is configured. */
  encodeBody(doc: object): Promise<EncodedBody>;
  /** A success answer's JSON object; an unreadable one, or Sber's error body inside it, throws. */
  parseJsonObject(reply: Reply, operation: string): Record<string, unknown>;
  /** The typed error of a failed answer, its body redacted with the client's secrets before it is cut. */
  apiError(reply: Reply): SberApiError;
}

export function createCalls(t: Transport, auth: SberAuth, ts: { signer: Signer; kid: string } | undefined): Calls {
  const bearer = (token: string): string => `Bearer ${token}`;
  const apiError = (reply: Reply): SberApiError => parseErrorBody(reply.status, t.redactor.redact(reply.text), reply.requestId);

  async function token(o: CallOptions): Promise<string> {
    const value = await auth.getToken(o);
    t.redactor.addToken(value);
    return value;
  }

  return {
    apiError,

    async get(operation, path, o) {
      for (let refreshed = false; ; refreshed = true) {
        const bearerToken = await token(o);
        const reply = await exchangeIdempotent(
          t,
          { operation, method: 'GET', path, headers: { authorization: bearer(bearerToken), accept: 'application/json' } },
          o,
        );
        if (reply.status === 401 && !refreshed) {
          await auth.invalidate(bearerToken);
          continue;
        }
        if (reply.status !== 200) throw apiError(reply);
        return this.parseJsonObject(reply, operation);
      }
    },

    async postOnce(operation, path, body, o, attempt) {
      for (let refreshed = false; ; refreshed = true) {
        const bearerToken = await token(o);
        const reply = await exchangeOnce(
          t,
          {
            operation,
            method: 'POST',
            path,
            headers: { authorization: bearer(bearerToken), 'content-type': body.contentType, accept: 'application/json' },
            body: body.body,
          },
          o,
          attempt,
        );
        if (reply.status === 401 && !refreshed) {
          await auth.invalidate(bearerToken);
          continue;
        }
        return reply;
      }
    },

    async encodeBody(doc) {
      const json = JSON.stringify(doc);
      if (!ts) return { body: json, contentType: 'application/json' };
      const jws = await signCompact(json, { protectedHeader: { alg: ts.signer.alg, kid: ts.kid }, signer: ts.signer });
      return { body: jws, contentType: 'application/jose' };
    },

    parseJsonObject(reply, operation) {
      let v: unknown;
      try {
        v = JSON.parse(reply.text);
      } catch {
        v = undefined;
      }
      if (typeof v !== 'object' || v === null || Array.isArray(v))
        throw new SberApiError(
          {
            status: reply.status,
            message: `${operation}: the answer is not a JSON object`,
            requestId: reply.requestId,
            body: t.redactor.redact(reply.text),
          },
          'INVALID_RESPONSE',
        );
      // A success status around Sber's error body ({cause, message, referenceId}): no document has a `cause`, so it is the error.
      if (typeof (v as Record<string, unknown>).cause === 'string') throw apiError(reply);
      return v as Record<string, unknown>;
    },
  };
}
