import { inspect } from 'node:util';
import { HOSTILE_BEHAVIOURS, startHostileServer, testTls } from '@internal/testkit';
import { Agent } from 'undici';
import { describe, expect, it } from 'vitest';
import { createSunatAuth, SunatAuthError, type SunatAuthOptions } from '../src/index.js';

const SECRET = 'Hx-Cl13nt-S3cret+/=&q';
const PASSWORD = 'Hx-S0l-P4ss&word=9';
const TIMEOUT_MS = 400;
// Scheduling slack on top of the configured deadline. What the bound must tell apart is "the configured deadline
// ended the call" from "nothing did" (undici's own 300 s timers, or never): 10 s still does, by 30x, while a
// CPU-starved machine (seen: 1.8-2.5 s of TLS and scheduling overhead with 4 busy loops on 2 cores) cannot cross it.
const SLACK_MS = 10_000;

const options = (baseUrl: string, extra: Partial<SunatAuthOptions> = {}): SunatAuthOptions => ({
  clientId: 'c1a2b3c4-0000-4000-8000-000000000009',
  clientSecret: SECRET,
  ruc: '20000000001',
  solUser: 'MODDATOS',
  solPassword: PASSWORD,
  baseUrl: `${baseUrl}/v1`,
  dispatcher: new Agent(),
  timeoutMs: TIMEOUT_MS,
  maxRetries: 0,
  ...extra,
});

function shown(e: unknown): string {
  const x = e as Error;
  return [x.message, x.stack, JSON.stringify(x), inspect(x, { depth: 10, showHidden: true }), inspect(x.cause, { depth: 10 })].join('\n');
}

describe('getToken × every hostile behaviour: SunatAuthError within timeoutMs', () => {
  it.concurrent.each(HOSTILE_BEHAVIOURS)('%s', async (behaviour) => {
    const server = await startHostileServer();
    try {
      server.behave(behaviour);
      // hugeBody is about the size cap, not the deadline: give it room, so a CPU-starved run cannot turn the cap's
      // BAD_RESPONSE into a TIMEOUT (seen in CI with ten of these running at once).
      const timeoutMs = behaviour === 'hugeBody' ? 10 * TIMEOUT_MS : TIMEOUT_MS;
      const auth = createSunatAuth(options(server.url, { timeoutMs })); // set up first: the clock starts with the call
      const started = performance.now();
      const error = await auth.getToken().then(
        (t) => new Error(`resolved with ${t}`),
        (e: unknown) => e,
      );
      expect(SunatAuthError.isInstance(error), String(error)).toBe(true);
      expect(performance.now() - started).toBeLessThan(timeoutMs + SLACK_MS);
      for (const s of [SECRET, PASSWORD, encodeURIComponent(SECRET), encodeURIComponent(PASSWORD)]) expect(shown(error)).not.toContain(s);
      if (behaviour === 'hugeBody') {
        expect((error as SunatAuthError).code).toBe('BAD_RESPONSE');
        // the 256 KiB cap stops the read: what left the server is the cap plus socket buffers
        expect(server.sentBytes).toBeLessThan(16 * 1024 * 1024);
      }
      if (['hang', 'trickle', 'hugeContentLength'].includes(behaviour)) expect((error as SunatAuthError).code).toBe('TIMEOUT');
    } finally {
      await server.close();
    }
  });
});

describe('TLS: the token request (with the secrets) never leaves for a server the client cannot verify', () => {
  const tls = testTls();
  const cases = [
    ['a certificate from an unknown CA', tls.server, undefined],
    ['a certificate for another host name', tls.wrongHost, tls.ca],
  ] as const;
  it.each(cases)('%s: refused at once, not retried, nothing received', async (_what, cert, ca) => {
    const server = await startHostileServer({ tls: cert });
    try {
      server.behave((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"access_token":"x","expires_in":600}'));
      const auth = createSunatAuth(
        options(server.url, { dispatcher: new Agent({ connect: ca ? { ca } : {} }), maxRetries: 3, timeoutMs: 5000 }),
      );
      const error = await auth.getToken().catch((e: unknown) => e);
      expect(SunatAuthError.isInstance(error)).toBe(true);
      expect((error as SunatAuthError).kind).toBe('network');
      // not retried: one connection attempt (a retry would open another), counted instead of timed
      expect(server.connections).toBe(1);
      expect((error as SunatAuthError).message).toMatch(/CERT|certificate|ALTNAME|UNABLE_TO_VERIFY/i);
      expect({ requests: server.requests, bodyBytes: server.bodyBytes }).toEqual({ requests: 0, bodyBytes: 0 });
      expect(shown(error)).not.toContain(SECRET);
    } finally {
      await server.close();
    }
  });
});
