import { createSecureContext } from 'node:tls';
import { Agent, buildConnector } from 'undici';
import { SberValidationError } from './errors.js';

/** The client certificate Sber issued for the client_id: the `.p12` as is, or PEM certificate + key. */
export type SberTlsOptions =
  | {
      /** The bytes of the `.p12` file. */
      pfx: Uint8Array;
      /** Its password. */
      passphrase: string;
    }
  | {
      /** The client certificate, PEM or DER. */
      cert: string | Uint8Array;
      /** Its private key, PEM or bytes. */
      key: string | Uint8Array;
      /** The key's password, when it is encrypted. */
      passphrase?: string;
    };

/** PEM CA bundle(s) that issued Sber's server certificate (not in public trust stores). Node's own roots when omitted. */
export type SberCaOption = string | Uint8Array | Array<string | Uint8Array>;

const isBytes = (v: unknown): v is Uint8Array => v instanceof Uint8Array;
const isPemOrBytes = (v: unknown): boolean => (typeof v === 'string' && v.length > 0) || (isBytes(v) && v.length > 0);

/** Validates the TLS options (throws SberValidationError naming the field) and returns Node's connect options. */
export function tlsConnectOptions(tls: unknown, ca: unknown, field = 'tls'): Record<string, unknown> {
  if (typeof tls !== 'object' || tls === null) throw new SberValidationError(field, 'must be { pfx, passphrase } or { cert, key }');
  const t = tls as Record<string, unknown>;
  if ('rejectUnauthorized' in t)
    throw new SberValidationError(`${field}.rejectUnauthorized`, 'is not an option: server verification is always on (give `ca` instead)');
  let connect: Record<string, unknown>;
  if (t.pfx !== undefined) {
    if (!isBytes(t.pfx) || t.pfx.length === 0)
      throw new SberValidationError(`${field}.pfx`, 'must be the non-empty bytes of the .p12 file');
    if (typeof t.passphrase !== 'string') throw new SberValidationError(`${field}.passphrase`, 'must be a string (the .p12 password)');
    if (t.cert !== undefined || t.key !== undefined) throw new SberValidationError(field, 'give either pfx or cert + key, not both');
    connect = { pfx: t.pfx, passphrase: t.passphrase };
  } else if (t.cert !== undefined || t.key !== undefined) {
    if (!isPemOrBytes(t.cert)) throw new SberValidationError(`${field}.cert`, 'must be a PEM string or DER bytes');
    if (!isPemOrBytes(t.key)) throw new SberValidationError(`${field}.key`, 'must be a PEM string or bytes');
    if (t.passphrase !== undefined && typeof t.passphrase !== 'string')
      throw new SberValidationError(`${field}.passphrase`, 'must be a string');
    connect = { cert: t.cert, key: t.key, ...(t.passphrase !== undefined ? { passphrase: t.passphrase } : {}) };
  } else {
    throw new SberValidationError(field, 'must be { pfx, passphrase } or { cert, key }');
  }
  if (ca !== undefined) {
    const list = Array.isArray(ca) ? ca : [ca];
    if (list.length === 0 || !list.every(isPemOrBytes))
      throw new SberValidationError('ca', 'must be a PEM string, bytes, or a non-empty list of them');
    connect.ca = list;
  }
  try {
    // Fails now (wrong passphrase, broken key, key/cert mismatch) rather than at the first handshake.
    createSecureContext(connect);
  } catch (e) {
    const what = connect.pfx ? `${field}.pfx` : `${field}.key`;
    throw new SberValidationError(
      what,
      `must be readable with the given passphrase and match its certificate (${(e as { code?: string }).code ?? 'unreadable'})`,
    );
  }
  return { ...connect, rejectUnauthorized: true };
}

/**
 * TLS 1.3 servers judge the client certificate after the client's side of the handshake is done: a refusal
 * arrives as an alert or a bare close, which undici would report as "other side closed" after the request
 * was written (ambiguous). So on a new TLS 1.3 connection the connector waits for the server's first session
 * ticket (sent once the certificate is accepted) before handing the socket over, at most `TICKET_WAIT_MS`;
 * a close before that is a TLS refusal and no request is ever written.
 */
const TICKET_WAIT_MS = 250;

class ClientCertificateRefused extends Error {
  readonly code = 'ERR_TLS_CLIENT_CERTIFICATE_REFUSED';
  constructor(detail: string | undefined) {
    super(`the server closed the connection after the handshake: client certificate refused${detail ? ` (${detail})` : ''}`);
  }
}

type Socket = import('node:tls').TLSSocket;

function awaitAcceptance(socket: Socket, done: (err: Error | null) => void): void {
  let settled = false;
  let alert: string | undefined;
  const finish = (err: Error | null): void => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    socket.off('session', onSession);
    socket.off('close', onClose);
    socket.off('error', onError);
    socket.off('end', onClose);
    if (err) socket.destroy();
    // not from inside the TLS read callback that emitted 'session': the request is written by `done`
    setImmediate(done, err);
  };
  const onSession = (): void => finish(null);
  const onError = (e: { code?: string }): void => {
    alert = e?.code;
  };
  const onClose = (): void => finish(new ClientCertificateRefused(alert));
  const timer = setTimeout(() => finish(null), TICKET_WAIT_MS);
  socket.on('session', onSession);
  socket.on('error', onError);
  socket.on('end', onClose);
  socket.on('close', onClose);
}

export function createAgent(connect: Record<string, unknown>, options: { connections?: number; keepAliveTimeout?: number } = {}): Agent {
  const base = buildConnector(connect as buildConnector.BuildOptions);
  return new Agent({
    ...options,
    connect: (opts, callback) =>
      base(opts, (err, socket) => {
        const cb = callback as (e: Error | null, s: typeof socket | null) => void;
        const tlsSocket = socket as unknown as Socket | null;
        if (err || !tlsSocket || typeof tlsSocket.getProtocol !== 'function' || tlsSocket.getProtocol() !== 'TLSv1.3')
          return cb(err, socket);
        awaitAcceptance(tlsSocket, (refused) => (refused ? cb(refused, null) : cb(null, socket)));
      }),
  });
}

/**
 * One undici Agent for one client certificate: mutual TLS, server verification always on. Share it between
 * `createSberAuth` and `createSberClient` through their `dispatcher` option, and close it when done.
 */
export function createSberAgent(o: { tls: SberTlsOptions; ca?: SberCaOption; connections?: number; keepAliveTimeoutMs?: number }): Agent {
  const connect = tlsConnectOptions(o?.tls, o?.ca);
  return createAgent(connect, { connections: o.connections ?? 16, keepAliveTimeout: o.keepAliveTimeoutMs ?? 10_000 });
}
