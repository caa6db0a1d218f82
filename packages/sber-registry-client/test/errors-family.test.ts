import { startHostileServer, testTls } from '@internal/testkit';
import { describe, expect, it } from 'vitest';
import {
  createSberAgent,
  createSberAuth,
  createSberClient,
  memorySberTokenStore,
  SberAbortError,
  SberError,
  SberTransportError,
} from '../src/index.js';
import { fakeSso, ORIGIN } from './fake-sso.js';

const tokens = () => ({
  accessToken: 'access-token-0-abcdefgh',
  accessTokenExpiresAt: Date.now() + 3_600_000,
  refreshToken: 'refresh-token-0-abcdefgh',
});

describe('error family', () => {
  it("an aborted call throws an error named 'AbortError' that stays a SberAbortError/SberError (issue 19.7)", async () => {
    const sso = fakeSso();
    const auth = createSberAuth({
      environment: { baseUrl: ORIGIN },
      clientId: '7710000001',
      clientSecret: 'client-secret-123',
      dispatcher: sso.agent,
      store: memorySberTokenStore(tokens()),
    });
    const client = createSberClient({ environment: { baseUrl: ORIGIN }, auth, dispatcher: sso.agent });
    const reason = new Error('user left');
    for (const call of [
      () => client.crypto.getInfo({ signal: AbortSignal.abort(reason) }),
      () => auth.getToken({ signal: AbortSignal.abort(reason) }),
    ]) {
      const e = await call().catch((x: unknown) => x);
      expect((e as Error).name).toBe('AbortError');
      expect(SberAbortError.isInstance(e) && SberError.isInstance(e)).toBe(true);
      expect(e instanceof SberAbortError && e instanceof SberError).toBe(true);
      expect((e as SberAbortError).code).toBe('ABORTED');
      expect((e as SberAbortError).cause).toBe(reason);
    }
  });

  it('getToken honours its own timeoutMs while a shared refresh hangs', async () => {
    const sso = fakeSso();
    const store = { load: () => new Promise<never>(() => undefined), save: async () => undefined };
    const auth = createSberAuth({
      environment: { baseUrl: ORIGIN },
      clientId: '7710000001',
      clientSecret: 'client-secret-123',
      dispatcher: sso.agent,
      store,
    });
    const e = await auth.getToken({ timeoutMs: 50 }).catch((x: unknown) => x);
    expect(SberError.isInstance(e) && e.code).toBe('TIMEOUT');
  });

  it('a server certificate from an unknown CA reads as a TLS configuration problem (issue 19.8)', async () => {
    const tls = testTls();
    const server = await startHostileServer({ tls: tls.server });
    try {
      server.behave((_req, res) => res.writeHead(200).end('{}'));
      const dispatcher = createSberAgent({ tls: { cert: tls.client.cert, key: tls.client.key } });
      const auth = createSberAuth({
        environment: { baseUrl: server.url },
        clientId: '7710000001',
        clientSecret: 'client-secret-123',
        dispatcher,
        store: memorySberTokenStore(tokens()),
      });
      const client = createSberClient({ environment: { baseUrl: server.url }, auth, dispatcher });
      const e = await client.crypto.getInfo().catch((x: unknown) => x);
      expect(SberTransportError.isInstance(e) && e.code).toBe('TLS');
      expect((e as Error).message).toMatch(/TLS certificate was not accepted .*`ca`.*`dispatcher`/);
      expect((e as Error).cause).toBeInstanceOf(Error);
      expect(server.requests).toBe(0);
    } finally {
      await server.close();
    }
  });
});
