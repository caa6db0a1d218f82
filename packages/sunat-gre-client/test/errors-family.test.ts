import { startHostileServer, testTls } from '@internal/testkit';
import { Agent } from 'undici';
import { describe, expect, it } from 'vitest';
import { GreValidationError as GreEntryValidationError } from '../src/gre/index.js';
import { createGreClient, GreAbortedError, GreError, GreNetworkError, GreValidationError } from '../src/index.js';
import { guide, startRig } from './helpers.js';

const auth = { getToken: async () => 'a-token-of-this-test', invalidate: async () => undefined, close: async () => undefined };

describe('error family', () => {
  it("an aborted call throws an error named 'AbortError' that stays a GreAbortedError/GreError (issue 19.7)", async () => {
    const reason = new Error('user left');
    const client = createGreClient({ auth, baseUrl: 'https://127.0.0.1:9/v1' });
    for (const call of [
      () => client.getStatus('ticket-1', { signal: AbortSignal.abort(reason) }),
      () => client.waitForResult('ticket-1', { signal: AbortSignal.abort(reason) }),
    ]) {
      const e = await call().catch((x: unknown) => x);
      expect((e as Error).name).toBe('AbortError');
      expect(GreAbortedError.isInstance(e) && GreError.isInstance(e)).toBe(true);
      expect(e instanceof GreAbortedError && e instanceof GreError).toBe(true);
      expect((e as GreAbortedError).code).toBe('ABORTED');
      expect((e as GreAbortedError).cause).toBe(reason);
    }
  });

  it('one GreValidationError class for both entry points (issue 18.3)', () => {
    expect(GreEntryValidationError).toBe(GreValidationError);
    const e = new GreEntryValidationError('signing.signatureId', 'xml-id', 'must be an XML Id', '2084');
    expect(e).toMatchObject({
      name: 'GreValidationError',
      code: 'VALIDATION',
      field: 'signing.signatureId',
      rule: 'xml-id',
      sunatCode: '2084',
    });
    expect(e.message).toBe('signing.signatureId: must be an XML Id (rule xml-id, SUNAT 2084)');
    expect(new GreValidationError('timeoutMs', 'must be a number').message).toBe('timeoutMs: must be a number');
  });

  it('a server certificate from an unknown CA reads as a TLS configuration problem (issue 19.8)', async () => {
    const server = await startHostileServer({ tls: testTls().server });
    try {
      server.behave((_req, res) => res.writeHead(200).end('{}'));
      const client = createGreClient({ auth, baseUrl: `${server.url}/v1`, dispatcher: new Agent(), maxRetries: 3 });
      const e = await client.getStatus('ticket-1').catch((x: unknown) => x);
      expect(GreNetworkError.isInstance(e)).toBe(true);
      expect((e as GreNetworkError).message).not.toMatch(/could not reach/i);
      expect((e as GreNetworkError).message).toMatch(/TLS certificate was not accepted .*`ca`.*`dispatcher`/);
      expect(server.requests).toBe(0);
    } finally {
      await server.close();
    }
  });
});

describe("a caller's callback that throws", () => {
  it("never ends waitForResult; its error, and a throwing hook's, go to hooks.onHookError", async () => {
    const reported: { hook: string; error: unknown }[] = [];
    const hooks = {
      onRequest: () => {
        throw new Error('broken hook');
      },
      onHookError: (e: { hook: string; error: unknown }) => reported.push(e),
    };
    const rig = await startRig({ pendingPolls: 1 }, { hooks, pollIntervalMs: 5 });
    try {
      const sent = await rig.client.send(guide());
      const boom = new Error('the caller broke');
      const status = await rig.client.waitForResult(sent.ticket, {
        onPoll: () => {
          throw boom;
        },
      });
      expect(status.state).toBe('accepted');
      // one poll saw 98 (pending), the next the verdict: both callbacks threw, the wait went on and returned
      expect(reported.filter((r) => r.hook === 'onPoll').map((r) => r.error)).toEqual([boom, boom]);
      expect(reported.some((r) => r.hook === 'onRequest')).toBe(true);
    } finally {
      await rig.close();
    }
  });
});
