import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT, type Harness, startHarness } from './helpers.js';

const runs = Math.max(50, Math.floor(Number(process.env.FUZZ_RUNS ?? 150)));

/** Over real sockets: whatever arrives, the answer is a 4xx with a JSON body. */
describe('the servers answer any request with a 4xx JSON', () => {
  let h: Harness;
  let token: string;
  beforeAll(async () => {
    h = await startHarness();
    token = await h.token();
  });
  afterAll(() => h.close());

  const expect4xxJson = (res: { status: number; text: string }): void => {
    expect(res.status >= 400 && res.status < 500, `${res.status} ${res.text}`).toBe(true);
    expect(() => JSON.parse(res.text)).not.toThrow();
  };

  it('send: random bytes as body, random file names', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 1024 }), fc.stringMatching(/^[A-Za-z0-9._-]{0,30}$/), async (bytes, name) => {
        const res = await h.call('cpe', `/contribuyente/gem/comprobantes/${name || `${CLIENT.ruc}-09-T001-1`}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: Buffer.from(bytes),
        });
        expect4xxJson(res);
      }),
      { numRuns: runs },
    );
  });

  it('token: random form fields', async () => {
    const field = fc.option(fc.string({ maxLength: 40 }), { nil: undefined });
    await fc.assert(
      fc.asyncProperty(
        fc.record({ grant_type: field, scope: field, client_id: field, client_secret: field, username: field, password: field }),
        async (f) => {
          const form = new URLSearchParams(Object.entries(f).filter((e): e is [string, string] => e[1] !== undefined));
          const res = await h.call('auth', `/clientessol/${CLIENT.clientId}/oauth2/token/`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: form.toString(),
          });
          expect4xxJson(res);
        },
      ),
      { numRuns: runs },
    );
  });

  it('status: random tickets', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 60 }), async (ticket) => {
        const res = await h.status(token, encodeURIComponent(ticket));
        expect4xxJson(res);
      }),
      { numRuns: runs },
    );
  });
});
