import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { openssl, scratchDir } from '@internal/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSberAgent,
  createSberAuth,
  createSberClient,
  memorySberTokenStore,
  SberApiError,
  SberTimeoutError,
  SberTransportError,
} from '../src/index.js';

const ID = '7beb4b73-ba9d-49e9-9b6d-d9a169ad2638';

/** A TLS server on 127.0.0.1 that misbehaves on purpose (real sockets: trickling, hanging, lying about sizes). */
describe('hostile server over TLS', () => {
  const dir = scratchDir('sber-hostile-');
  let server: Server;
  let url: string;
  let cert: string;
  let key: string;
  let behave: (req: IncomingMessage, res: ServerResponse) => void = () => undefined;
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  beforeAll(async () => {
    openssl([
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      dir.path('k.pem'),
      '-out',
      dir.path('c.pem'),
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-days',
      '2',
    ]);
    cert = dir.read('c.pem').toString();
    key = dir.read('k.pem').toString();
    server = createServer({ cert, key }, (req, res) => {
      req.resume();
      req.on('end', () => behave(req, res));
    });
    server.on('secureConnection', (s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const t of timers) clearInterval(t);
    for (const s of sockets) s.destroy();
    await new Promise((r) => server.close(r));
    dir.cleanup();
  });

  function client(extra: Record<string, unknown> = {}) {
    const dispatcher = createSberAgent({ tls: { cert, key }, ca: cert });
    const store = memorySberTokenStore({
      accessToken: 'access-token-hostile-1',
      accessTokenExpiresAt: Date.now() + 3_600_000,
      refreshToken: 'refresh-token-hostile-1',
    });
    const auth = createSberAuth({ environment: { baseUrl: url }, clientId: 'c', clientSecret: 'client-secret-hostile', dispatcher, store });
    return createSberClient({ environment: { baseUrl: url }, auth, dispatcher, retryDelay: { baseMs: 1, maxMs: 2 }, ...extra });
  }

  it('a body that trickles forever ends in SberTimeoutError within timeoutMs', async () => {
    behave = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const t = setInterval(() => res.write(' '), 20);
      timers.add(t);
      res.on('close', () => clearInterval(t));
    };
    await expect(client({ timeoutMs: 300, maxRetries: 0 }).debtRegistries.getState(ID)).rejects.toSatisfy((e) =>
      SberTimeoutError.isInstance(e),
    );
  });

  it('a server that never answers ends in SberTimeoutError', async () => {
    behave = () => undefined;
    await expect(client({ timeoutMs: 200, maxRetries: 1 }).debtRegistries.getState(ID)).rejects.toSatisfy((e) =>
      SberTimeoutError.isInstance(e),
    );
  });

  it('a huge declared or real body is refused without reading it all', async () => {
    behave = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(2 * 1024 ** 3) });
      res.write('{"a":"');
    };
    await expect(client({ maxRetries: 0 }).debtRegistries.getState(ID)).rejects.toSatisfy(
      (e) => SberTransportError.isInstance(e) && e.code === 'RESPONSE_TOO_LARGE',
    );
    behave = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      for (let i = 0; i < 40; i++) res.write(chunk);
      res.end();
    };
    await expect(client({ maxRetries: 0 }).debtRegistries.getState(ID)).rejects.toSatisfy(
      (e) => SberTransportError.isInstance(e) && e.code === 'RESPONSE_TOO_LARGE',
    );
  });

  it('an HTML 502 becomes a typed SberApiError after the retries; a redirect is not followed', async () => {
    let hits = 0;
    behave = (_req, res) => {
      hits++;
      res.writeHead(502, { 'content-type': 'text/html' }).end('<html>Bad Gateway</html>');
    };
    const e = await client({ maxRetries: 2 })
      .debtRegistries.getState(ID)
      .catch((x: unknown) => x);
    expect(SberApiError.isInstance(e) && [e.status, e.body]).toEqual([502, '<html>Bad Gateway</html>']);
    expect(hits).toBe(3);
    behave = (_req, res) => res.writeHead(302, { location: 'https://203.0.113.10/elsewhere' }).end();
    await expect(client().debtRegistries.getState(ID)).rejects.toMatchObject({ status: 302 });
  });

  it('a reset on every create without a way to learn the state is SberAmbiguousCreateError', async () => {
    behave = (req) => req.socket.destroy();
    const e = await client({ maxRetries: 1 })
      .debtRegistries.create({ externalId: ID, date: '2024-01-01', orgName: 'ООО', orgTaxNumber: '7707083893' })
      .catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'AMBIGUOUS_CREATE', externalId: ID });
  });
});
