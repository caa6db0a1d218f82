import { startHostileServer, testTls } from '@internal/testkit';
import { Agent } from 'undici';
import { describe, expect, it } from 'vitest';
import { createSunatAuth, SunatAuthAbortError, SunatAuthError, type SunatAuthOptions } from '../src/index.js';

const options = (baseUrl: string, extra: Partial<SunatAuthOptions> = {}): SunatAuthOptions => ({
  clientId: 'c1a2b3c4-0000-4000-8000-000000000009',
  clientSecret: 'a-client-secret',
  ruc: '20000000001',
  solUser: 'MODDATOS',
  solPassword: 'a-sol-password',
  baseUrl: `${baseUrl}/v1`,
  dispatcher: new Agent(),
  timeoutMs: 5000,
  maxRetries: 0,
  ...extra,
});

describe('error family', () => {
  it("an aborted getToken is named 'AbortError' (as undici/fetch aborts are) and stays a SunatAuthError (issue 19.7)", async () => {
    const reason = new Error('user left');
    const error = await createSunatAuth(options('https://127.0.0.1:9'))
      .getToken({ signal: AbortSignal.abort(reason) })
      .catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
    expect(SunatAuthError.isInstance(error) && SunatAuthAbortError.isInstance(error)).toBe(true);
    expect(error instanceof SunatAuthError && error instanceof SunatAuthAbortError && error instanceof Error).toBe(true);
    expect((error as SunatAuthError).code).toBe('ABORTED');
    expect((error as SunatAuthError).cause).toBe(reason);
  });

  it('a copy of the package from another bundle (same Symbol.for brand) passes isInstance and instanceof', () => {
    const foreign = Object.assign(new Error('x'), { [Symbol.for('oauth-sunat.error')]: ['SunatAuthAbortError', 'SunatAuthError'] });
    expect(SunatAuthError.isInstance(foreign) && foreign instanceof SunatAuthAbortError).toBe(true);
  });

  it('an untrusted CA reads as a TLS configuration problem, not as an outage (issue 19.8)', async () => {
    const tls = testTls();
    const server = await startHostileServer({ tls: tls.server });
    try {
      server.behave((_req, res) => res.writeHead(200).end('{}'));
      const error = await createSunatAuth(options(server.url))
        .getToken()
        .catch((e: unknown) => e);
      expect(SunatAuthError.isInstance(error)).toBe(true);
      const e = error as SunatAuthError;
      expect(e.kind).toBe('network');
      expect(e.code).toBe('TLS');
      expect(e.message).not.toMatch(/could not reach/i);
      expect(e.message).toMatch(/TLS certificate was not accepted \(UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|DEPTH_ZERO/);
      expect(e.message).toMatch(/`ca`.*`dispatcher`/);
      expect((e.cause as Error).name).toBeTypeOf('string');
      expect(e.cause).toBeInstanceOf(Error);
    } finally {
      await server.close();
    }
  });
});
