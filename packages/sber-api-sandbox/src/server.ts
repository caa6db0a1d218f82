import { createPrivateKey, randomUUID, sign as rsaSign } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { inspect } from 'node:util';
import { FintechFault, OAuthFault, SBER_MESSAGES, SberSandboxError } from './errors.js';
import { sberFaults } from './faults.js';
import { base64url, errorReply, LostResponse, peerCn, type Reply, type Route, readBody, send } from './http.js';
import { isUuid, SIGN_ROLES, type SignRole } from './model.js';
import { DEFAULT_CLIENT, type SberSandbox, type SberSandboxOptions, type SberSandboxStats } from './options.js';
import { createCa, issue, issueClientSync, toPfx } from './pki.js';
import { Registries } from './registries.js';
import type { RegisteredCertificate } from './routes/fintech-routes.js';
import { fintechRoutes, type StoredFile } from './routes/fintech-routes.js';
import { ssoRoutes } from './routes/sso-routes.js';
import { DEFAULT_TIMINGS, Sso, type SsoTimings } from './sso.js';
import { certificateText, readState } from './state.js';
import type { DigestOptions, Verification } from './verification.js';

export { DEFAULT_CLIENT, type SberSandbox, type SberSandboxOptions, type SberSandboxStats } from './options.js';

function positiveNumber(value: number | undefined, fallback: number, field: string): number {
  if (value === undefined) return fallback;
  if (!(typeof value === 'number' && Number.isFinite(value) && value > 0))
    throw new SberSandboxError('BAD_OPTION', `${field} must be a positive number`, field);
  return value;
}

export async function startSandboxWith(verification: Verification, options: SberSandboxOptions = {}): Promise<SberSandbox> {
  const now = options.now ?? Date.now;
  const timings: SsoTimings = {
    codeTtlSeconds: positiveNumber(options.codeTtlSeconds, DEFAULT_TIMINGS.codeTtlSeconds, 'codeTtlSeconds'),
    accessTokenTtlSeconds: positiveNumber(options.accessTokenTtlSeconds, DEFAULT_TIMINGS.accessTokenTtlSeconds, 'accessTokenTtlSeconds'),
    refreshTokenTtlSeconds: positiveNumber(
      options.refreshTokenTtlSeconds,
      DEFAULT_TIMINGS.refreshTokenTtlSeconds,
      'refreshTokenTtlSeconds',
    ),
    refreshReserveSeconds: positiveNumber(options.refreshReserveSeconds, DEFAULT_TIMINGS.refreshReserveSeconds, 'refreshReserveSeconds'),
  };
  const pollsPerStatus = positiveNumber(options.pollsPerStatus, 1, 'pollsPerStatus');
  if (!Number.isInteger(pollsPerStatus))
    throw new SberSandboxError('BAD_OPTION', 'pollsPerStatus must be a positive integer', 'pollsPerStatus');
  if (options.createStatus !== undefined && options.createStatus !== 200 && options.createStatus !== 201) {
    throw new SberSandboxError('BAD_OPTION', 'createStatus must be 200 or 201', 'createStatus');
  }
  const clientList = (options.clients ?? [{ ...DEFAULT_CLIENT, scopes: [...DEFAULT_CLIENT.scopes] }]).map((c, i) => {
    for (const field of ['clientId', 'clientSecret', 'redirectUri'] as const) {
      if (typeof c?.[field] !== 'string' || c[field] === '')
        throw new SberSandboxError('BAD_OPTION', `clients[${i}].${field} must be a non-empty string`, `clients[${i}].${field}`);
    }
    if (!URL.canParse(c.redirectUri))
      throw new SberSandboxError('BAD_OPTION', `clients[${i}].redirectUri must be an absolute URL`, `clients[${i}].redirectUri`);
    return { ...c, scopes: c.scopes ? [...c.scopes] : undefined };
  });
  if (options.refuseRule !== undefined && typeof options.refuseRule !== 'function')
    throw new SberSandboxError('BAD_OPTION', 'refuseRule must be a function', 'refuseRule');
  if (clientList.length === 0) throw new SberSandboxError('BAD_OPTION', 'clients must not be empty', 'clients');
  const clients = new Map(clientList.map((c) => [c.clientId, c]));

  // Everything the caller gave is checked before any key is generated.
  const certificates = new Map<string, RegisteredCertificate>();
  function registerCertificate(uuid: string, certificate: string | Uint8Array, signRole: SignRole = 'SINGLE'): void {
    if (!SIGN_ROLES.includes(signRole))
      throw new SberSandboxError('BAD_OPTION', `signRole must be one of ${SIGN_ROLES.join(', ')}`, 'signRole');
    if (!isUuid(uuid)) throw new SberSandboxError('BAD_OPTION', 'certificate uuid must be a UUID', 'uuid');
    try {
      verification.assertCertificate(certificate);
    } catch {
      throw new SberSandboxError(
        'BAD_CERTIFICATE',
        'certificate must be a GOST R 34.10-2012 X.509 certificate (PEM or DER)',
        'certificate',
      );
    }
    certificates.set(uuid.toLowerCase(), { certificate, role: signRole });
  }
  for (const [i, c] of (options.certificates ?? []).entries()) {
    if (!c || typeof c !== 'object')
      throw new SberSandboxError('BAD_OPTION', `certificates[${i}] must be { uuid, certificate }`, `certificates[${i}]`);
    registerCertificate(c.uuid, c.certificate, c.signRole);
  }
  const restored = options.state === undefined ? undefined : readState(options.state, verification);
  for (const c of restored?.certificates ?? [])
    certificates.set(c.uuid.toLowerCase(), { certificate: c.certificate, role: c.signRole ?? 'SINGLE' });
  const choice = <T extends string>(field: keyof SberSandboxOptions, allowed: readonly T[]): T => {
    const value = options[field] ?? allowed[0];
    if (!allowed.includes(value as T)) throw new SberSandboxError('BAD_OPTION', `${field} must be one of ${allowed.join(', ')}`, field);
    return value as T;
  };
  const digest: DigestOptions = {
    layout: choice('signatureLayout', ['sr-be', 'rs-be', 'rs-le'] as const),
    attachments: choice('digestAttachments', ['lines', 'table'] as const),
    emptyFields: choice('digestEmptyFields', ['omit', 'keep'] as const),
    encoding: choice('digestEncoding', ['utf-8', 'windows-1251'] as const),
    format: choice('digestSignatureFormat', ['auto', 'raw', 'cms'] as const),
  };
  const duplicateRule = choice('duplicateRule', ['number', 'external-id', 'both'] as const);
  const unknownRegistry = choice('unknownRegistry', ['RESOURCE_NOT_FOUND', 'VALIDATION_FAULT'] as const);
  const stateVisibleAfter = options.stateVisibleAfter ?? 0;
  if (!Number.isSafeInteger(stateVisibleAfter) || stateVisibleAfter < 0)
    throw new SberSandboxError('BAD_OPTION', 'stateVisibleAfter must be a non-negative integer', 'stateVisibleAfter');
  if (options.statusPath !== undefined && typeof options.statusPath !== 'function')
    throw new SberSandboxError('BAD_OPTION', 'statusPath must be a function', 'statusPath');
  if (options.accountUnavailable !== undefined && (typeof options.accountUnavailable !== 'string' || options.accountUnavailable === '')) {
    throw new SberSandboxError(
      'BAD_OPTION',
      'accountUnavailable must be a non-empty string (the account number to name)',
      'accountUnavailable',
    );
  }

  const faults = sberFaults(options.seed ?? 1, options.faults);

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

  const files = new Map<string, StoredFile>();
  for (const { fileId, ...record } of restored?.files ?? []) files.set(fileId, record);
  const registries = new Registries(
    {
      pollsPerStatus,
      refuseRule: options.refuseRule,
      statusPath: options.statusPath,
      duplicateRule,
      accountUnavailable: options.accountUnavailable,
      stateVisibleAfter,
      unknownRegistry,
      digest,
    },
    verification,
    certificates,
    (fileId) => (files.has(fileId) ? `${files.get(fileId)!.type}_${fileId}.txt` : undefined),
    now,
  );
  if (restored) registries.restore(restored.registries);
  const stats = { tokenRequests: 0, creates: 0, registries: registries.timesStored, polls: 0, fileUploads: 0 } as SberSandboxStats;
  for (const name of ['refreshes', 'reserveRefreshes', 'refusedRefreshes'] as const)
    Object.defineProperty(stats, name, { enumerable: true, get: () => sso.refreshCounts[name] });

  const routes: Route[] = [
    ...ssoRoutes({
      sso,
      stats,
      clientSecretExpirationDays: options.clientSecretExpirationDays ?? 40,
      takeDropNextRefresh: () => {
        const drop = dropNextRefresh;
        dropNextRefresh = false;
        return drop;
      },
    }),
    ...fintechRoutes({
      sso,
      verification,
      registries,
      files,
      certificates,
      certBank: Buffer.from(ca.x509.rawData).toString('base64'),
      stats,
      requireJws: options.requireJws ?? false,
      createStatus: options.createStatus ?? 201,
      signatureLayout: digest.layout,
      pollsPerStatus,
      now,
    }),
  ];

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
    res.setHeader(
      'X-Request-Id',
      typeof req.headers['x-request-id'] === 'string' ? req.headers['x-request-id'].slice(0, 200) : randomUUID(),
    );
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
    const fault = loginHost ? undefined : faults.draw(route.target);
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
      if (fault.retryAfterSeconds !== undefined && fault.kind !== 'status500')
        reply.headers = { 'retry-after': String(fault.retryAfterSeconds) };
      return send(res, reply);
    }
    if (body === undefined)
      return send(res, {
        ...errorReply(new FintechFault(413, 'DESERIALIZATION_FAULT', SBER_MESSAGES.deserialization)),
        headers: { connection: 'close' },
      });
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

  const server = createServer(
    { key: serverCert.key, cert: serverCert.cert, ca: [ca.cert], requestCert: true, rejectUnauthorized: true },
    onRequest(false),
  );
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
        if (error instanceof OAuthFault)
          throw new SberSandboxError(
            'UNKNOWN_CLIENT',
            `authorize refused: ${error.error}: ${error.description}`,
            error.error === 'invalid_scope' ? 'scope' : 'clientId',
            { cause: error },
          );
        throw error;
      }
    },
    registerCertificate,
    deleteRegistry: (externalId) => registries.delete(externalId),
    snapshot: () => ({
      version: 1,
      registries: registries.list(),
      certificates: [...certificates].map(([uuid, { certificate, role }]) => ({
        uuid,
        certificate: certificateText(certificate),
        ...(role === 'SINGLE' ? {} : { signRole: role }),
      })),
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
