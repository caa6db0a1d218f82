import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { generateKeyPair } from 'jose';
import { generalError } from './codes.js';
import { SunatSandboxError } from './errors.js';
import { type FaultRule, faultBook as makeFaultBook } from './faults.js';
import { greService, type SignaturePolicy } from './gre.js';
import { acceptsJson, formatHost, listen, makeServer, pathOf, safeDecode, write } from './http.js';
import { fromState, type SunatSandboxState } from './state.js';
import { makeTlsMaterial } from './tls.js';
import { type Answer, type SandboxClient, tokenIssuer } from './token.js';

/** Options of {@link startSunatSandbox}; only `clients` is required. */
export interface SunatSandboxOptions {
  /** Interface both hosts listen on; default '127.0.0.1'. */
  host?: string;
  /** Port of the token host; default 0 (a free one). The GRE host always takes a free port. */
  port?: number;
  /** The registered clients: who may get a token, with which SOL user and for which RUC. */
  clients: SandboxClient[];
  /** Polls answered 98 before the final state; default 1. */
  pendingPolls?: number;
  /** Lifetime of an access token (`expires_in` and the JWT's `exp`), in seconds; default 3600. */
  tokenTtlSeconds?: number;
  /** Default true: HTTPS with a self-made CA (`sandbox.ca`). */
  tls?: boolean;
  /** XMLDSig policy; default 'ignore'. 'required' turns an unsigned guide into 99/1059. */
  signature?: SignaturePolicy;
  /** Fault rules active from the start (more with `sandbox.faults.inject`); default none. */
  faults?: FaultRule[];
  /** Seed of the generator behind probability faults; default 1. */
  seed?: number;
  /**
   * Shape of 422 bodies: 'rest' `{cod: 422, errors: [{cod, msg}]}` (SUNAT's REST spec), 'manual' `{cod: '422',
   * exc: null, errors: [{codError, desError}]}` (the manual), or 'alternate' (default: first 'rest', then 'manual').
   */
  errorShape?: 'rest' | 'manual' | 'alternate';
  /**
   * Body of the token host's own refusals (bad credentials, grant, scope). 'oauth' (default): `{error,
   * error_description}` as seen from the real host (Odoo's production code); 'sunat': the manual's `{cod, msg, exc}`,
   * which it calls common to every service (`msg` carries the reason). General errors (404, 405, 406, 415, 5xx) are
   * `{cod, msg, exc}` either way.
   */
  tokenErrorStyle?: 'oauth' | 'sunat';
  /**
   * Stored guides from an earlier `snapshot()`: their tickets answer as before (start with the same
   * `pendingPolls`). Tokens are not kept: clients authenticate again.
   */
  state?: SunatSandboxState;
}

/** Counters of a running sandbox (`sandbox.stats`), updated live. */
export interface SunatSandboxStats {
  /** Token requests that reached the token endpoint (any verdict, faults excluded). */
  tokenRequests: number;
  /** Documents stored (a ticket was issued). */
  sends: number;
  /** Status requests answered for a known ticket (faults excluded). */
  polls: number;
  /** Times each file name (`nomArchivo`) was stored. */
  received: Map<string, number>;
  /** Requests answered by an injected fault (added to the contract). */
  faults: number;
}

/** A running sandbox: SUNAT's token host (api-seguridad) and GRE host (api-cpe) on loopback. */
export interface SunatSandbox {
  /** Token host, e.g. https://127.0.0.1:PORT1/v1 (path /clientessol/{id}/oauth2/token/). */
  authUrl: string;
  /** Send + status host, e.g. https://127.0.0.1:PORT2/v1. */
  cpeUrl: string;
  /** PEM of the CA that issued both hosts' certificates, for the client to trust; undefined with `tls: false`. */
  ca: string | undefined;
  /** Faults on demand, while the sandbox runs. */
  faults: {
    /** Adds a rule after the existing ones (the first rule that fires wins). */
    inject(rule: FaultRule): void;
    /** Drops every rule. */
    clear(): void;
    /** Every token issued so far is answered 401 from now on (early expiry). */
    expireTokens(): void;
  };
  /** Live counters; see {@link SunatSandboxStats}. */
  stats: SunatSandboxStats;
  /** Every stored guide, its ticket and poll count, and the duplicate keys: plain JSON, no token or key. */
  snapshot(): SunatSandboxState;
  /** Stops both hosts and closes their open connections. */
  close(): Promise<void>;
}

const TOKEN_PATH = /^\/v1\/clientessol\/([^/]+)\/oauth2\/token\/$/;
const SEND_PATH = /^\/v1\/contribuyente\/gem\/comprobantes\/([^/]+)$/;
const STATUS_PATH = /^\/v1\/contribuyente\/gem\/comprobantes\/envios\/([^/]*)$/;
const MAX_TOKEN_BODY = 64 * 1024;
const MAX_SEND_BODY = 10 * 1024 * 1024;

/** Starts the token host and the cpe host, like SUNAT's api-seguridad and api-cpe. */
export async function startSunatSandbox(options: SunatSandboxOptions): Promise<SunatSandbox> {
  // Checked first: a bad state fails before any key is made or socket opened.
  const restored = options.state === undefined ? undefined : fromState(options.state);
  const host = options.host ?? '127.0.0.1';
  const useTls = options.tls ?? true;
  const tls = useTls ? await makeTlsMaterial() : undefined;
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const faultBook = makeFaultBook(options.seed ?? 1, options.faults);
  let authUrl = '';
  const tokens = tokenIssuer({
    clients: options.clients,
    ttlSeconds: options.tokenTtlSeconds ?? 3600,
    privateKey,
    publicKey,
    issuerUrl: () => authUrl,
  });
  const gre = greService(
    { pendingPolls: options.pendingPolls ?? 1, signature: options.signature ?? 'ignore', errorShape: options.errorShape ?? 'alternate' },
    restored,
  );
  const counters = { tokenRequests: 0, faults: 0 };
  const tokenErrorStyle = options.tokenErrorStyle ?? 'oauth';
  if (tokenErrorStyle !== 'oauth' && tokenErrorStyle !== 'sunat')
    throw new SunatSandboxError('BAD_OPTION', "tokenErrorStyle must be 'oauth' or 'sunat'", 'tokenErrorStyle');
  const sockets = new Set<Socket>();

  async function handleToken(req: IncomingMessage, body: Buffer): Promise<Answer> {
    const m = TOKEN_PATH.exec(pathOf(req));
    if (!m) return { status: 404, body: generalError(404) };
    if (req.method !== 'POST') return { status: 405, body: generalError(405) };
    counters.tokenRequests++;
    // The manual's request sends `Content-Type: Application/json` over an x-www-form-urlencoded body (its
    // Postman example too): both headers are read as a form.
    if (!/^application\/(x-www-form-urlencoded|json)\b/i.test(req.headers['content-type'] ?? ''))
      return { status: 415, body: generalError(415) };
    const answer = await tokens.issue(new URLSearchParams(body.toString('utf8')), safeDecode(m[1]!));
    if (answer.status < 400 || tokenErrorStyle === 'oauth') return answer;
    const { error_description } = answer.body as { error_description: string };
    return { ...answer, body: { cod: String(answer.status), msg: error_description, exc: null } };
  }

  async function handleCpe(
    req: IncomingMessage,
    body: Buffer,
    route: 'send' | 'status',
    param: string,
  ): Promise<Answer & { stored?: boolean }> {
    const auth = req.headers.authorization ?? '';
    const claims = /^Bearer [^\s]+$/i.test(auth) ? await tokens.verify(auth.slice(7)) : undefined;
    if (!claims) return { status: 401, body: generalError(401), headers: { 'www-authenticate': 'Bearer' } };
    if (!claims.gre) return { status: 403, body: generalError(403) };
    return route === 'send' ? gre.send(claims, param, body, req.headers['content-type']) : gre.status(claims, param);
  }

  function route(req: IncomingMessage): { target: 'send' | 'status'; param: string } | { answer: Answer } {
    const p = pathOf(req);
    const status = STATUS_PATH.exec(p);
    if (status)
      return req.method === 'GET'
        ? { target: 'status', param: safeDecode(status[1]!) }
        : { answer: { status: 405, body: generalError(405) } };
    const send = SEND_PATH.exec(p);
    if (send)
      return req.method === 'POST' ? { target: 'send', param: safeDecode(send[1]!) } : { answer: { status: 405, body: generalError(405) } };
    return { answer: { status: 404, body: generalError(404) } };
  }

  const authServer = makeServer(tls, sockets, MAX_TOKEN_BODY, async (req, body, res) => {
    if (!acceptsJson(req)) return write(res, { status: 406, body: generalError(406) });
    await serve(req, res, 'token', () => handleToken(req, body));
  });
  const cpeServer = makeServer(tls, sockets, MAX_SEND_BODY, async (req, body, res) => {
    if (!acceptsJson(req)) return write(res, { status: 406, body: generalError(406) });
    const r = route(req);
    if ('answer' in r) return write(res, r.answer);
    await serve(req, res, r.target, () => handleCpe(req, body, r.target, r.param));
  });

  /** Applies the fault drawn for this request around the real handler. */
  async function serve(
    req: IncomingMessage,
    res: ServerResponse,
    target: 'token' | 'send' | 'status',
    handle: () => Promise<Answer>,
  ): Promise<void> {
    const fault = faultBook.draw(target);
    if (fault) counters.faults++;
    switch (fault?.kind) {
      case 'reset':
        return void req.socket.destroy();
      case 'status503':
        return write(res, { status: 503, body: generalError(503), headers: { 'retry-after': String(fault.retryAfterSeconds ?? 1) } });
      case 'status500':
        return write(res, { status: 500, body: generalError(500, 'java.lang.NullPointerException at pe.gob.sunat.sandbox') });
      case 'html': {
        const status = fault.status ?? 502;
        const title = status === 504 ? '504 Gateway Time-out' : '502 Bad Gateway';
        res.writeHead(status, { 'content-type': 'text/html' });
        return void res.end(
          `<html><head><title>${title}</title></head><body><center><h1>${title}</h1></center><hr><center>nginx</center></body></html>`,
        );
      }
      case 'slow':
        await new Promise((r) => setTimeout(r, fault.delayMs ?? 2000));
        break;
    }
    const answer = await handle();
    if (fault?.kind === 'resetAfterStore') return void req.socket.destroy();
    write(res, answer);
  }

  await Promise.all([listen(authServer, host, options.port ?? 0), listen(cpeServer, host, 0)]);
  const scheme = useTls ? 'https' : 'http';
  const urlOf = (s: Server): string => `${scheme}://${formatHost(host)}:${(s.address() as AddressInfo).port}/v1`;
  authUrl = urlOf(authServer);

  return {
    authUrl,
    cpeUrl: urlOf(cpeServer),
    ca: tls?.ca,
    faults: {
      inject: (rule) => faultBook.inject(rule),
      clear: () => faultBook.clear(),
      expireTokens: () => tokens.expireAll(),
    },
    stats: {
      get tokenRequests() {
        return counters.tokenRequests;
      },
      get sends() {
        return gre.stats.sends;
      },
      get polls() {
        return gre.stats.polls;
      },
      get received() {
        return gre.stats.received;
      },
      get faults() {
        return counters.faults;
      },
    },
    snapshot: () => gre.snapshot(),
    async close() {
      for (const s of sockets) s.destroy();
      await Promise.all([authServer, cpeServer].map((s) => new Promise<void>((r) => s.close(() => r()))));
    },
  };
}
