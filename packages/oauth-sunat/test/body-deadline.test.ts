import { startHostileServer } from '@internal/testkit';
import { Agent } from 'undici';
import { describe, expect, it } from 'vitest';
import { createSunatAuth, SunatAuthError } from '../src/index.js';

// Issue 18.6: the body reader stopped on the deadline and handed back the half it had as if it were whole.
describe('a deadline hit in the middle of the token body', () => {
  it('is a TIMEOUT, never a parse error or a bad response built from half a body', async () => {
    const server = await startHostileServer();
    let headersSent!: () => void;
    const sent = new Promise<void>((r) => (headersSent = r));
    try {
      server.behave((_req, res) => {
        const body = JSON.stringify({ access_token: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', expires_in: 600 });
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length) });
        // half the body, then more bytes now and then, never the end: the deadline falls mid-body
        res.write(body.slice(0, 10));
        headersSent();
        const more = setInterval(() => (res.writableEnded || res.destroyed ? clearInterval(more) : res.write(' ')), 20);
        res.on('close', () => clearInterval(more));
      });
      const auth = createSunatAuth({
        clientId: 'c1a2b3c4-0000-4000-8000-000000000009',
        clientSecret: 'a-client-secret',
        ruc: '20000000001',
        solUser: 'MODDATOS',
        solPassword: 'a-sol-password',
        baseUrl: `${server.url}/v1`,
        dispatcher: new Agent(),
        timeoutMs: 1000,
        maxRetries: 0,
      });
      const result = auth.getToken().then(
        (t) => new Error(`resolved with ${t}`),
        (e: unknown) => e,
      );
      await sent;
      const error = await result;
      expect(SunatAuthError.isInstance(error), String(error)).toBe(true);
      expect((error as SunatAuthError).code).toBe('TIMEOUT');
      expect((error as SunatAuthError).kind).toBe('timeout');
    } finally {
      await server.close();
    }
  });
});
