import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { createPrivateKey, randomUUID, sign as rsaSign } from 'node:crypto';
import { inspect } from 'node:util';
import { FintechFault, OAuthFault, SBER_MESSAGES, SberSandboxError } from './errors';
import { Faults, seededRandom, type SberFaultRule, type SberFaultTarget } from './faults';
import { createCa, issue, issueClientSync, toPfx } from './pki';
import { Registries, isUuid } from './registries';
import { certificateText, readState, type SberSandboxState } from './state';
import { DEFAULT_TIMINGS, Sso, type SandboxClientConfig, type SsoTimings } from './sso';
import type { SignatureLayout, Verification } from './verification';

export interface SberSandboxOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (a free port). */
  port?: number;
  /** Port of the login host (authorize without a client certificate); default 0. */
  loginPort?: number;
  /** A default demo client ({@link DEFAULT_CLIENT}) when omitted. `clientTls` is issued for the first one. */
  clients?: SandboxClientConfig[];
  /** Registered signing certificates (GOST 2012 X.509, PEM or DER), listed by `/v1/crypto`. */
  certificates?: { uuid: string; certificate: string | Uint8Array }[];
  /** 415 JWS_EXCEPTED for `application/json` creates. */
  requireJws?: boolean;
  /** Polls answered per status before the next one (CREATED→SIGNED→DELIVERED→IMPLEMENTED). Default 1. */
  pollsPerStatus?: number;
  /** A bankComment ⇒ the (validly signed) registry ends in REFUSEDBYBANK with that comment. */
  refuseRule?: (registry: Record<string, unknown>) => string | undefined;
  /** Access token lifetime (default 3600). */
  accessTokenTtlSeconds?: number;
  /** Authorization code lifetime (default 120). */
  codeTtlSeconds?: number;
  /** Refresh token lifetime (default 180 days). */
  refreshTokenTtlSeconds?: number;
  /** How long a used refresh token stays valid as a reserve (default 7200). */
  refreshReserveSeconds?: number;
  /** The sandbox clock in ms (default Date.now): tests move it to cross the token windows. */
  now?: () => number;
  /** HTTP status of a successful create: 201 (default) or 200. */
  createStatus?: 200 | 201;
  /** Also refuse a registry whose `number` repeats within the same year and INN (default false). */
  duplicateNumberCheck?: boolean;
  /** Byte layout of GOST signatures in JWS and raw digest signatures (default 'sr-be'). */
  signatureLayout?: SignatureLayout;
  /** How `bfAttachments` file ids enter the digest (sber-digest's option; default 'lines'). */
  digestAttachments?: 'lines' | 'table';
  /** `clientSecretExpiration` answered by change-client-secret (default 40). */
  clientSecretExpirationDays?: number;
  faults?: SberFaultRule[];
  /** Seed of the generator behind probabilistic faults (default 1). */
  seed?: number;
  /**
   * Registries, certificates and files from an earlier `snapshot()`. Tokens, codes and the TLS material are new
   * at each start: clients take the new `ca`/`clientTls` and log in again.
   */
  state?: SberSandboxState;
}

export interface SberSandboxStats {
  tokenRequests: number;
  creates: number;
  /** externalId → times stored. */
  registries: Map<string, number>;
  polls: number;
  fileUploads: number;
  /** Refresh grants answered with a new pair (a dropped answer included). */
  refreshes: number;
  /** Of those, the ones made with a refresh token used before: the reserve covering a lost answer. */
  reserveRefreshes: number;
  /** Refresh grants refused (`invalid_grant`: unknown, expired or rotated away). */
  refusedRefreshes: number;
}

export interface SberSandbox {
  /** https://127.0.0.1:PORT — resources under /fintech/api/v1, SSO under /ic/sso/api/… (mutual TLS). */
  url: string;
  /** https://127.0.0.1:PORT2 — the browser login host: authorize only, no client certificate. */
  loginUrl: string;
  /** PEM of the sandbox CA (it signs the server and client certificates). */
  ca: string;
  /** Issued for the first client. `pfx` is a Buffer (a Uint8Array that node:tls and undici accept as is). */
  clientTls: { cert: string; key: string; pfx: Buffer; passphrase: string };
  /** A client certificate for `cn` signed by the sandbox CA (for a second client, or a CN/client_id mismatch). */
  issueClientCertificate(cn: string): { cert: string; key: string };
  foreignClientTls: { cert: string; key: string };
  authorize(o: { clientId: string; scope: string; redirectUri: string; state?: string; nonce?: string }): Promise<string>;
  registerCertificate(uuid: string, certificate: string | Uint8Array): void;
  /** Stored registries (with their polls), registered certificates and file records: plain JSON, no token or key. */
  snapshot(): SberSandboxState;
  faults: { inject(rule: SberFaultRule): void; clear(): void; expireAccessTokens(): void; dropNextRefreshResponse(): void };
  stats: SberSandboxStats;
  close(): Promise<void>;
}

/** The demo client used when `clients` is omitted. */
export const DEFAULT_CLIENT: Readonly<Required<SandboxClientConfig>> = Object.freeze({
  clientId: '7710000001',
  clientSecret: 'sandbox-client-secret',
  redirectUri: 'https://127.0.0.1/callback',
  scopes: ['openid', 'DEBT_REGISTRY', 'FILES', 'GET_CRYPTO_INFO'],
});

const BODY_LIMIT = 10 * 1024 * 1024;
const PREFIX = '/fintech/api/v1';

interface Reply { status: number; body: unknown; headers?: Record<string, string> }
interface Context { req: IncomingMessage; url: URL; body: Buffer; certCn: string | undefined; params: string[] }
interface Route { method: string; pattern: RegExp; target: Exclude<SberFaultTarget, 'any'>; login?: boolean; handle(ctx: Context): Reply | Promise<Reply> }

function positiveNumber(value: number | undefined, fallback: number, field: string): number {
  if (value === undefined) return fallback;
  if (!(typeof value === 'number' && Number.isFinite(value) && value > 0)) throw new SberSandboxError('BAD_OPTION', `${field} must be a positive number`, field);
  return value;
}

function fintechBody(fault: FintechFault): Record<string, unknown> {
  const body: Record<string, unknown> = { cause: fault.sberCause, referenceId: randomUUID(), message: fault.message };
  if (fault.checks) {
    body.checks = fault.checks;
    body.fieldNames = [...new Set(fault.checks.flatMap((c) => c.fields))];
  }
  return body;
}

function base64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Parses a JSON object body; anything else is Sber's DESERIALIZATION_FAULT. */
function parseObject(bytes: Uint8Array): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(STRICT_UTF8.decode(bytes));
  } catch {
    throw new FintechFault(400, 'DESERIALIZATION_FAULT', SBER_MESSAGES.deserialization);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new FintechFault(400, 'DESERIALIZATION_FAULT', SBER_MESSAGES.deserialization);
  return value as Record<string, unknown>;
}

export async function startSandboxWith(verification: Verification, options: SberSandboxOptions = {}): Promise<SberSandbox> {
  const now = options.now ?? Date.now;
  const timings: SsoTimings = {
    codeTtlSeconds: positiveNumber(options.codeTtlSeconds, DEFAULT_TIMINGS.codeTtlSeconds, 'codeTtlSeconds'),
    accessTokenTtlSeconds: positiveNumber(options.accessTokenTtlSeconds, DEFAULT_TIMINGS.accessTokenTtlSeconds, 'accessTokenTtlSeconds'),
    refreshTokenTtlSeconds: positiveNumber(options.refreshTokenTtlSeconds, DEFAULT_TIMINGS.refreshTokenTtlSeconds, 'refreshTokenTtlSeconds'),
    refreshReserveSeconds: positiveNumber(options.refreshReserveSeconds, DEFAULT_TIMINGS.refreshReserveSeconds, 'refreshReserveSeconds'),
  };
  const pollsPerStatus = positiveNumber(options.pollsPerStatus, 1, 'pollsPerStatus');
  if (!Number.isInteger(pollsPerStatus)) throw new SberSandboxError('BAD_OPTION', 'pollsPerStatus must be a positive integer', 'pollsPerStatus');
  if (options.createStatus !== undefined && options.createStatus !== 200 && options.createStatus !== 201) {
    throw new SberSandboxError('BAD_OPTION', 'createStatus must be 200 or 201', 'createStatus');
  }
  const clientList = (options.clients ?? [{ ...DEFAULT_CLIENT, scopes: [...DEFAULT_CLIENT.scopes] }]).map((c, i) => {
    for (const field of ['clientId', 'clientSecret', 'redirectUri'] as const) {
      if (typeof c?.[field] !== 'string' || c[field] === '') throw new SberSandboxError('BAD_OPTION', `clients[${i}].${field} must be a non-empty string`, `clients[${i}].${field}`);
    }
    if (!URL.canParse(c.redirectUri)) throw new SberSandboxError('BAD_OPTION', `clients[${i}].redirectUri must be an absolute URL`, `clients[${i}].redirectUri`);
    return { ...c, scopes: c.scopes ? [...c.scopes] : undefined };
  });
  if (options.refuseRule !== undefined && typeof options.refuseRule !== 'function') throw new SberSandboxError('BAD_OPTION', 'refuseRule must be a function', 'refuseRule');
  if (clientList.length === 0) throw new SberSandboxError('BAD_OPTION', 'clients must not be empty', 'clients');
  const clients = new Map(clientList.map((c) => [c.clientId, c]));

  // Everything the caller gave is checked before any key is generated.
  const certificates = new Map<string, string | Uint8Array>();
  function registerCertificate(uuid: string, certificate: string | Uint8Array): void {
    if (!isUuid(uuid)) throw new SberSandboxError('BAD_OPTION', 'certificate uuid must be a UUID', 'uuid');
    try {
      verification.assertCertificate(certificate);
    } catch {
      throw new SberSandboxError('BAD_CERTIFICATE', 'certificate must be a GOST R 34.10-2012 X.509 certificate (PEM or DER)', 'certificate');
    }
    certificates.set(uuid.toLowerCase(), certificate);
  }
  for (const [i, c] of (options.certificates ?? []).entries()) {
    if (!c || typeof c !== 'object') throw new SberSandboxError('BAD_OPTION', `certificates[${i}] must be { uuid, certificate }`, `certificates[${i}]`);
    registerCertificate(c.uuid, c.certificate);
  }
  const restored = options.state === undefined ? undefined : readState(options.state, verification);
  for (const c of restored?.certificates ?? []) certificates.set(c.uuid.toLowerCase(), c.certificate);

  const faults = new Faults(seededRandom(options.seed ?? 1));
  for (const rule of options.faults ?? []) faults.inject(rule);

  const host = options.host ?? '127.0.0.1';
  const [ca, foreignCa] = await Promise.all([createCa('sber-api-sandbox CA'), createCa('foreign CA')]);
  const hosts = [...new Set([host, '127.0.0.1', 'localhost'])];
  const [serverCert, clientCert, foreignCert] = await Promise.all([
    issue(ca, 'fintech.sandbox', 'server', hosts),
    issue(ca, clientList[0]!.clientId, 'client'),
    issue(foreignCa, clientList[0]!.clientId, 'client'),
  ]);
  const passphrase = base64url(randomUUID()).slice(0, 16);
  const pfx = await toPfx(clientCert, passphrase);
  const idTokenKey = createPrivateKey(serverCert.key);

  let dropNextRefresh = false;

  let url = '';
  const sso = new Sso(
    clients,
    timings,
    now,
    (claims) => {
      const input = `${base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }))}.${base64url(JSON.stringify(claims))}`;
      return `${input}.${rsaSign('sha256', Buffer.from(input), idTokenKey).toString('base64url')}`;
    },
    () => url,
  );

  const files = new Map<string, { clientId: string; type: string; subType: string; polls: number }>();
  for (const { fileId, ...record } of restored?.files ?? []) files.set(fileId, record);
  const registries = new Registries(
    {
      pollsPerStatus,
      refuseRule: options.refuseRule,
      duplicateNumberCheck: options.duplicateNumberCheck ?? false,
      digestLayout: options.signatureLayout ?? 'sr-be',
      digestAttachments: options.digestAttachments ?? 'lines',
    },
    verification,
    certificates,
    (fileId) => (files.has(fileId) ? `${files.get(fileId)!.type}_${fileId}.txt` : undefined),
    now,
  );
  if (restored) registries.restore(restored.registries);
  const stats = { tokenRequests: 0, creates: 0, registries: registries.timesStored, polls: 0, fileUploads: 0 } as SberSandboxStats;
  for (const name of ['refreshes', 'reserveRefreshes', 'refusedRefreshes'] as const) Object.defineProperty(stats, name, { enumerable: true, get: () => sso.refreshCounts[name] });

  /** Bearer token → client, with the scope and the TLS certificate checked. */
  function authorizeResource(ctx: Context, scope: string): string {
    const header = ctx.req.headers.authorization ?? '';
    const token = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim() ?? '';
    const grant = token ? sso.checkAccess(token) : undefined;
    if (!grant) throw new FintechFault(401, 'UNAUTHORIZED', SBER_MESSAGES.unauthorized(token));
    if (!grant.scopes.has(scope) || ctx.certCn !== grant.clientId) throw new FintechFault(403, 'ACTION_ACCESS_EXCEPTION', SBER_MESSAGES.accessDenied);
    return grant.clientId;
  }

  function mediaType(req: IncomingMessage): string {
    return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  }

  /** Checks a JWS compact serialization the way Sber describes it; returns the payload. */
  async function openJws(text: string): Promise<Uint8Array> {
    let jws: ReturnType<Verification['parseJws']>;
    try {
      jws = verification.parseJws(text.trim());
    } catch {
      throw new FintechFault(400, 'DESERIALIZATION_FAULT', SBER_MESSAGES.deserialization);
    }
    const { kid, alg } = jws.header;
    if (kid === undefined || kid === null || kid === '') throw new FintechFault(400, 'WORKFLOW_FAULT', SBER_MESSAGES.kidMissing);
    if (!isUuid(kid)) throw new FintechFault(400, 'WORKFLOW_FAULT', SBER_MESSAGES.kidFormat);
    const certificate = certificates.get(kid.toLowerCase());
    const usable = alg === 'gost34.10-2012' && certificate !== undefined && verification.isActive(certificate, new Date(now()));
    const valid = usable && (await verification.verifyJws(jws.signingInput, jws.signature, certificate, options.signatureLayout ?? 'sr-be').catch(() => false));
    if (!valid) throw new FintechFault(400, 'SIGN_CHECK_EXCEPTION', SBER_MESSAGES.signCheck);
    return jws.payload;
  }

  const routes: Route[] = [
    {
      method: 'POST',
      pattern: /^\/ic\/sso\/api\/v2\/oauth\/token$/,
      target: 'token',
      handle: (ctx) => {
        stats.tokenRequests++;
        const form = new URLSearchParams(ctx.body.toString('utf8'));
        const reply: Reply = { status: 200, body: sso.token(form, ctx.certCn), headers: { 'cache-control': 'no-store', pragma: 'no-cache' } };
        if (form.get('grant_type') === 'refresh_token' && dropNextRefresh) {
          dropNextRefresh = false;
          throw new LostResponse();
        }
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
        const code = sso.authorize({ clientId: q.get('client_id') ?? '', scope: q.get('scope') ?? '', redirectUri, nonce: q.get('nonce') ?? undefined });
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
      handle: (ctx) => ({ status: 200, body: sso.changeClientSecret(ctx.url.searchParams, ctx.certCn, options.clientSecretExpirationDays ?? 40) }),
    },
    {
      method: 'POST',
      pattern: new RegExp(`^${PREFIX}/debt-registries$`),
      target: 'create',
      handle: async (ctx) => {
        stats.creates++;
        const clientId = authorizeResource(ctx, 'DEBT_REGISTRY');
        const type = mediaType(ctx.req);
        let payload: Uint8Array;
        if (type === 'application/jose') payload = await openJws(ctx.body.toString('latin1'));
        else if (type === 'application/json' || type === '') {
          if (options.requireJws) throw new FintechFault(415, 'JWS_EXCEPTED', SBER_MESSAGES.jwsRequired(clientId));
          payload = ctx.body;
        } else throw new FintechFault(400, 'DESERIALIZATION_FAULT', SBER_MESSAGES.deserialization);
        const document = registries.create(clientId, parseObject(payload));
        return { status: options.createStatus ?? 201, body: document };
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^${PREFIX}/debt-registries/([^/]+)/state$`),
      target: 'state',
      handle: (ctx) => {
        stats.polls++;
        const clientId = authorizeResource(ctx, 'DEBT_REGISTRY');
        return { status: 200, body: registries.state(clientId, decodeURIComponent(ctx.params[0]!)) };
      },
    },
    {
      method: 'POST',
      pattern: new RegExp(`^${PREFIX}/files/upload$`),
      target: 'files',
      handle: (ctx) => {
        const clientId = authorizeResource(ctx, 'FILES');
        const body = parseObject(ctx.body);
        for (const field of ['type', 'subType'] as const) {
          if (typeof body[field] !== 'string' || body[field] === '') {
            throw new FintechFault(400, 'VALIDATION_FAULT', SBER_MESSAGES.validation, [{ level: 'ERROR', message: `${field}: is required`, fields: [field] }]);
          }
        }
        if (body.digestSignatures !== undefined && body.digestSignatures !== null && !Array.isArray(body.digestSignatures)) {
          throw new FintechFault(400, 'VALIDATION_FAULT', SBER_MESSAGES.validation, [{ level: 'ERROR', message: 'digestSignatures: must be an array', fields: ['digestSignatures'] }]);
        }
        const fileId = randomUUID();
        files.set(fileId, { clientId, type: body.type as string, subType: body.subType as string, polls: 0 });
        stats.fileUploads++;
        return { status: 201, body: { fileId, type: body.type, subType: body.subType, status: 'CREATED', bankComment: null } };
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^${PREFIX}/files/upload/([^/]+)/state$`),
      target: 'files',
      handle: (ctx) => {
        const clientId = authorizeResource(ctx, 'FILES');
        const fileId = decodeURIComponent(ctx.params[0]!);
        const file = files.get(fileId);
        if (!file || file.clientId !== clientId) throw new FintechFault(404, 'RESOURCE_NOT_FOUND', SBER_MESSAGES.notFound);
        const status = file.polls++ < pollsPerStatus ? 'CREATED' : 'IMPLEMENTED';
        return { status: 200, body: { bankComment: null, fileId, status, type: file.type, subType: file.subType } };
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^${PREFIX}/crypto$`),
      target: 'crypto',
      handle: (ctx) => {
        authorizeResource(ctx, 'GET_CRYPTO_INFO');
        const certificateInfos = [...certificates].map(([uuid, certificate]) => {
          let details = {};
          try {
            details = verification.describeCertificate(certificate);
          } catch {
            // listed by uuid only
          }
          return { uuid, active: true, ...details };
        });
        return {
          status: 200,
          body: { certBank: Buffer.from(ca.x509.rawData).toString('base64'), cryptoProfileInfos: [{ signType: 'SINGLE', certificateInfos }] },
        };
      },
    },
  ];

  function send(res: ServerResponse, reply: Reply): void {
    if (res.destroyed) return;
    const headers: Record<string, string> = { ...reply.headers };
    if (reply.body === undefined) {
      res.writeHead(reply.status, headers).end();
      return;
    }
    const text = JSON.stringify(reply.body);
    headers['content-type'] = 'application/json;charset=UTF-8';
    headers['content-length'] = String(Buffer.byteLength(text));
    res.writeHead(reply.status, headers).end(text);
  }

  function errorReply(error: unknown): Reply {
    if (error instanceof OAuthFault) return { status: error.status, body: { error: error.error, error_description: error.description } };
    if (error instanceof FintechFault) return { status: error.status, body: fintechBody(error), headers: error.headers };
    return { status: 500, body: fintechBody(new FintechFault(500, 'UNKNOWN_EXCEPTION', SBER_MESSAGES.unknown)) };
  }

  function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= BODY_LIMIT) chunks.push(chunk);
      });
      req.on('end', () => resolve(size <= BODY_LIMIT ? Buffer.concat(chunks) : undefined));
      req.on('error', reject);
    });
  }

  const timers = new Set<NodeJS.Timeout>();
  function delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse, loginHost: boolean): Promise<void> {
    res.setHeader('X-Request-Id', typeof req.headers['x-request-id'] === 'string' ? req.headers['x-request-id'].slice(0, 200) : randomUUID());
    let parsed: URL;
    try {
      parsed = new URL(`https://sandbox.invalid${(req.url ?? '/').startsWith('/') ? req.url : '/'}`);
    } catch {
      parsed = new URL('https://sandbox.invalid/');
    }
    let route: Route | undefined;
    let params: string[] = [];
    for (const r of routes) {
      const m = r.method === req.method && (!loginHost || r.login) ? r.pattern.exec(parsed.pathname) : null;
      if (m) {
        route = r;
        params = m.slice(1);
        break;
      }
    }
    const body = await readBody(req);
    if (!route) return send(res, errorReply(new FintechFault(404, 'RESOURCE_NOT_FOUND', SBER_MESSAGES.notFound)));
    const fault = loginHost ? undefined : faults.take(route.target);
    if (fault?.kind === 'slow') await delay(fault.delayMs ?? 2000);
    if (fault?.kind === 'reset') return void req.socket.destroy();
    if (fault?.kind === 'status503' || fault?.kind === 'status500' || fault?.kind === 'status429') {
      const error =
        fault.kind === 'status503'
          ? new FintechFault(503, 'UNAVAILABLE_RESOURCE_EXCEPTION', SBER_MESSAGES.unavailable)
          : fault.kind === 'status429'
            ? new FintechFault(429, 'TOO_MANY_REQUESTS', SBER_MESSAGES.tooManyRequests)
            : new FintechFault(500, 'UNKNOWN_EXCEPTION', SBER_MESSAGES.unknown);
      const reply = errorReply(error);
      if (fault.retryAfterSeconds !== undefined && fault.kind !== 'status500') reply.headers = { 'retry-after': String(fault.retryAfterSeconds) };
      return send(res, reply);
    }
    if (body === undefined) return send(res, { ...errorReply(new FintechFault(413, 'DESERIALIZATION_FAULT', SBER_MESSAGES.deserialization)), headers: { connection: 'close' } });
    const certCn = loginHost ? undefined : peerCn(req.socket as TLSSocket);
    let reply: Reply;
    try {
      reply = await route.handle({ req, url: parsed, body, certCn, params });
    } catch (error) {
      if (error instanceof LostResponse) return void req.socket.destroy();
      reply = errorReply(error);
    }
    if (fault?.kind === 'resetAfterStore') return void req.socket.destroy();
    send(res, reply);
  }

  const sockets = new Set<Socket>();
  function track(server: Server): void {
    server.on('connection', (s: Socket) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    server.on('secureConnection', (s: TLSSocket) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    // A refused handshake is the expected outcome for foreign certificates: nothing to report.
    server.on('tlsClientError', () => undefined);
  }
  function onRequest(loginHost: boolean) {
    return (req: IncomingMessage, res: ServerResponse) => {
      handle(req, res, loginHost).catch(() => {
        if (!res.headersSent) send(res, errorReply(undefined));
        else res.destroy();
      });
    };
  }

  const server = createServer({ key: serverCert.key, cert: serverCert.cert, ca: [ca.cert], requestCert: true, rejectUnauthorized: true }, onRequest(false));
  const login = createServer({ key: serverCert.key, cert: serverCert.cert }, onRequest(true));
  track(server);
  track(login);
  const listen = (s: Server, port: number) =>
    new Promise<number>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, host, () => resolve((s.address() as AddressInfo).port));
    });
  const urlHost = host.includes(':') ? `[${host}]` : host;
  url = `https://${urlHost}:${await listen(server, options.port ?? 0)}`;
  const loginUrl = `https://${urlHost}:${await listen(login, options.loginPort ?? 0)}`;

  let closed = false;
  const describe = () => ({ url, loginUrl });
  const sandbox: SberSandbox = {
    url,
    loginUrl,
    ca: ca.cert,
    clientTls: { cert: clientCert.cert, key: clientCert.key, pfx: Buffer.from(pfx), passphrase },
    issueClientCertificate(cn: string) {
      if (typeof cn !== 'string' || cn === '') throw new SberSandboxError('BAD_OPTION', 'cn must be a non-empty string', 'cn');
      return issueClientSync(ca, cn);
    },
    foreignClientTls: { cert: foreignCert.cert, key: foreignCert.key },
    async authorize(o) {
      try {
        return sso.authorize({ clientId: o.clientId, scope: o.scope, redirectUri: o.redirectUri, nonce: o.nonce });
      } catch (error) {
        if (error instanceof OAuthFault) throw new SberSandboxError('UNKNOWN_CLIENT', `authorize refused: ${error.error}: ${error.description}`, error.error === 'invalid_scope' ? 'scope' : 'clientId');
        throw error;
      }
    },
    registerCertificate,
    snapshot: () => ({
      version: 1,
      registries: registries.list(),
      certificates: [...certificates].map(([uuid, certificate]) => ({ uuid, certificate: certificateText(certificate) })),
      files: [...files].map(([fileId, f]) => ({ fileId, ...f })),
    }),
    faults: {
      inject: (rule) => faults.inject(rule),
      clear: () => {
        faults.clear();
        dropNextRefresh = false;
      },
      expireAccessTokens: () => sso.expireAccessTokens(),
      dropNextRefreshResponse: () => {
        dropNextRefresh = true;
      },
    },
    stats,
    async close() {
      if (closed) return;
      closed = true;
      for (const t of timers) clearTimeout(t);
      for (const s of sockets) s.destroy();
      await Promise.all([server, login].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    },
  };
  // Keys and the PKCS#12 passphrase stay out of logs: inspect/JSON show the addresses only.
  Object.defineProperties(sandbox, {
    [inspect.custom]: { value: () => `SberSandbox ${inspect(describe())}` },
    toJSON: { value: describe },
  });
  return sandbox;
}

/** The response was computed (the rotation applied) but must never reach the client. */
class LostResponse extends Error {}

function peerCn(socket: TLSSocket): string | undefined {
  const cn = socket.getPeerCertificate?.()?.subject?.CN;
  return Array.isArray(cn) ? cn[0] : cn;
}
