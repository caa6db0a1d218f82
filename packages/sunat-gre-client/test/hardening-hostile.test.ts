import {
  ENTITY_BOMB_XML,
  HOSTILE_BEHAVIOURS,
  type HostileServer,
  startHostileServer,
  testTls,
  traversalZip,
  zipBomb,
} from '@internal/testkit';
import { strToU8, zipSync } from 'fflate';
import type { SunatAuth } from 'oauth-sunat';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGreClient, GreCdrError, type GreClient, GreError, GreNetworkError } from '../src/index.js';
import { everything, guide } from './helpers.js';

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJoYXJkZW5pbmcifQ.aGFyZGVuaW5nLXNpZ25hdHVyZQ';
const TICKET = '8f0c1a8e-1f5a-4c1b-9a0e-0123456789ab';
/** The configured deadlines: one exchange, and a whole wait. Errors must come within them plus scheduling slack. */
const CALL_MS = 400;
const WAIT_MS = 800;
// Scheduling slack on top of the configured deadline. What the bound must tell apart is "the configured deadline
// ended the call" from "nothing did" (undici's own 300 s timers, or never): 10 s still does, by 30x, while a
// CPU-starved machine (seen: 1.8-2.5 s of TLS and scheduling overhead with 4 busy loops on 2 cores) cannot cross it.
const SLACK_MS = 10_000;

const auth: SunatAuth = { getToken: async () => TOKEN, invalidate: async () => undefined, close: async () => undefined };

type Call = (c: GreClient) => Promise<unknown>;
const CALLS: [string, Call, number][] = [
  ['send', (c) => c.send(guide()), CALL_MS],
  ['getStatus', (c) => c.getStatus(TICKET), CALL_MS],
  ['waitForResult', (c) => c.waitForResult(TICKET, { timeoutMs: WAIT_MS }), WAIT_MS],
  ['submit', (c) => c.submit(guide(), { timeoutMs: WAIT_MS }), WAIT_MS],
];

function client(server: HostileServer, extra: Record<string, unknown> = {}): GreClient {
  return createGreClient({
    auth,
    baseUrl: `${server.url}/v1`,
    dispatcher: new Agent(),
    maxRetries: 0,
    timeoutMs: CALL_MS,
    pollIntervalMs: 5,
    maxPollIntervalMs: 20,
    maxResponseBytes: 1024 * 1024,
    ...extra,
  });
}

/** Runs a call, returns what it threw and how long it took; a call that resolves fails the test. */
async function failure(run: () => Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = performance.now();
  const outcome = await run().then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) throw new Error(`expected a typed error, got ${JSON.stringify(outcome.value)}`);
  return { error: outcome.error, ms: performance.now() - started };
}

describe('every client call × every hostile behaviour: a typed error within the configured deadline', () => {
  const cases = HOSTILE_BEHAVIOURS.flatMap((b) => CALLS.map(([name, call, limit]) => [b, name, call, limit] as const));
  it.concurrent.each(cases)('%s → %s', async (behaviour, _name, call, limit) => {
    const server = await startHostileServer();
    try {
      server.behave(behaviour);
      const c = client(server); // set up first: the clock starts with the call, as the client's deadline does
      const { error, ms } = await failure(() => call(c));
      expect(GreError.isInstance(error), String(error)).toBe(true);
      expect(ms).toBeLessThan(limit + SLACK_MS);
      expect(everything(error)).not.toContain(TOKEN);
    } finally {
      await server.close();
    }
  });

  it('the 50 MiB body: the client stops reading at its cap (1 MiB), the server could not push the rest', async () => {
    const server = await startHostileServer();
    try {
      server.behave('hugeBody');
      const rss = process.memoryUsage().rss;
      // this is about the size cap, not the deadline: room enough that a loaded machine cannot make it a TIMEOUT
      const { error } = await failure(() => client(server, { timeoutMs: 10 * CALL_MS }).getStatus(TICKET));
      expect((error as GreError).code).toBe('BAD_RESPONSE');
      expect((error as GreError).message).toMatch(/larger than 1048576 bytes/);
      // what left the server: the cap plus socket buffers, far from 50 MiB
      expect(server.sentBytes).toBeLessThan(16 * 1024 * 1024);
      expect(process.memoryUsage().rss - rss).toBeLessThan(32 * 1024 * 1024);
    } finally {
      await server.close();
    }
  });
});

describe('hostile CDRs inside a well-formed status answer', () => {
  let server: HostileServer;
  beforeAll(async () => {
    server = await startHostileServer();
  });
  afterAll(() => server.close());

  const answer = (arcCdr: string) => (_req: unknown, res: import('node:http').ServerResponse) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ codRespuesta: '0', arcCdr, indCdrGenerado: '1' }));
  const b64 = (z: Uint8Array): string => Buffer.from(z).toString('base64');

  const cases: [string, () => string, string][] = [
    ['a zip bomb (≈1 MiB that inflates to 1 GiB)', () => b64(zipBomb()), 'entry-too-large'],
    ['a zip whose entry name climbs out (../../etc)', () => b64(traversalZip()), 'path'],
    ['XML with a DTD and an entity-expansion bomb', () => b64(zipSync({ 'R-20000000001-09-T001-1.xml': strToU8(ENTITY_BOMB_XML) })), 'dtd'],
    ['text that is not base64', () => 'PGh0bWw+<html>', 'base64'],
    ['a zip larger than the 5 MiB limit', () => 'A'.repeat(8 * 1024 * 1024), 'zip-too-large'],
    ['an empty arcCdr on an acceptance', () => '', 'missing'],
  ];
  it.each(cases)('%s → GreCdrError (%s), memory bounded', async (_what, make, rule) => {
    server.behave(answer(make()));
    const rss = process.memoryUsage().rss;
    // About the CDR rules, not the deadline: moving and checking megabytes must not lose a race against a 400 ms
    // clock on a loaded machine (seen: GreTimeoutError). The error still comes within the configured deadline.
    const callMs = 10 * CALL_MS;
    const waitMs = 10 * WAIT_MS;
    for (const run of [(c: GreClient) => c.getStatus(TICKET), (c: GreClient) => c.waitForResult(TICKET, { timeoutMs: waitMs })]) {
      const { error, ms } = await failure(() => run(client(server, { maxResponseBytes: 16 * 1024 * 1024, timeoutMs: callMs })));
      expect(GreCdrError.isInstance(error), String(error)).toBe(true);
      expect((error as GreCdrError).rule).toBe(rule);
      expect(ms).toBeLessThan(waitMs + SLACK_MS);
    }
    expect(process.memoryUsage().rss - rss).toBeLessThan(96 * 1024 * 1024);
  });

  it('indCdrGenerado "1" without any arcCdr is a broken answer, not a verdict without proof', async () => {
    server.behave((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ codRespuesta: '0', indCdrGenerado: '1' })),
    );
    const { error } = await failure(() => client(server, { timeoutMs: 10 * CALL_MS }).waitForResult(TICKET, { timeoutMs: 10 * WAIT_MS }));
    expect(GreCdrError.isInstance(error) && error.rule).toBe('missing');
  });

  it('a rejection without a CDR (an exception such as 1033, indCdrGenerado "0") is still a plain rejection', async () => {
    const body = {
      codRespuesta: '99',
      indCdrGenerado: '0',
      error: { numError: '1033', desError: 'El comprobante fue registrado previamente con otros datos' },
    };
    server.behave((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body)));
    const status = await client(server).getStatus(TICKET);
    expect([status.state, status.error?.code, status.cdr]).toEqual(['rejected', '1033', undefined]);
  });
});

describe('TLS: nothing is sent to a server the client cannot verify', () => {
  const tls = testTls();
  const cases = [
    ['a certificate from an unknown CA', tls.server, undefined, /UNABLE_TO_VERIFY|SELF_SIGNED/],
    ['a certificate for another host name', tls.wrongHost, tls.ca, /ALTNAME|HOSTNAME/],
  ] as const;
  it.each(cases)('%s: GreNetworkError, not retried, no request reaches the server', async (_what, cert, ca, reason) => {
    const server = await startHostileServer({ tls: cert });
    try {
      server.behave((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"numTicket":"x"}'));
      const c = createGreClient({
        auth,
        baseUrl: `${server.url}/v1`,
        dispatcher: new Agent({ connect: ca ? { ca } : {} }),
        maxRetries: 3,
        retryBaseMs: 1,
        timeoutMs: 2000,
      });
      for (const call of [() => c.send(guide()), () => c.getStatus(TICKET)]) {
        const { error } = await failure(call);
        expect(GreNetworkError.isInstance(error), String(error)).toBe(true);
        expect((error as GreNetworkError).reason).toMatch(reason);
      }
      expect({ requests: server.requests, bodyBytes: server.bodyBytes }).toEqual({ requests: 0, bodyBytes: 0 });
      expect(server.connections).toBe(2); // two calls, one connection attempt each: none was retried
    } finally {
      await server.close();
    }
  });
});
