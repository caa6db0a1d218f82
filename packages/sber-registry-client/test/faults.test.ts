import type { SberSandbox } from 'sber-api-sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SBER_TERMINAL_STATUSES } from '../src/index.js';
import { connect, gostIdentity, registry, startSberSandbox } from './sandbox-helpers.js';

const id = gostIdentity();

async function pool<T, R>(items: T[], concurrency: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}

describe('faults: 503s, resets and resets after store', () => {
  let sandbox: SberSandbox;
  beforeAll(async () => {
    sandbox = await startSberSandbox({
      seed: 7,
      certificates: [{ uuid: id.uuid, certificate: id.certificate.pem }],
      faults: [
        { on: 'create', kind: 'status503', probability: 0.1 },
        { on: 'create', kind: 'reset', probability: 0.1 },
        { on: 'create', kind: 'resetAfterStore', probability: 0.15 },
        { on: 'state', kind: 'status503', probability: 0.1 },
        { on: 'state', kind: 'reset', probability: 0.05 },
      ],
    });
  });
  afterAll(async () => sandbox?.close());

  it('200 registries all reach a terminal state, none is stored twice', async () => {
    let posts = 0;
    const s = await connect(sandbox, { client: { maxRetries: 8, hooks: { onRequest: (e) => void (e.method === 'POST' && posts++) } } });
    const registries = Array.from({ length: 200 }, () => registry());
    let recovered = 0;
    const finals = await pool(registries, 16, async (r) => {
      const created = await s.client.debtRegistries.create(r, { digestSigner: id.digestSigner });
      if (created.recovered) recovered++;
      return s.client.debtRegistries.waitForFinalState(r.externalId, { timeoutMs: 60_000 });
    });
    expect(finals.every((f) => SBER_TERMINAL_STATUSES.has(String(f.bankStatus)))).toBe(true);
    expect(finals.filter((f) => f.bankStatus === 'IMPLEMENTED')).toHaveLength(200);
    expect(sandbox.stats.registries.size).toBe(200);
    expect([...sandbox.stats.registries.values()].every((n) => n === 1)).toBe(true);
    // the faults really happened: some creates were resolved through getState
    expect(recovered).toBeGreaterThan(0);
    expect(posts).toBeGreaterThan(200);
    // every POST that reached the handler stored a registry: a stored one was never sent again
    expect(sandbox.stats.creates).toBe(200);
    await s.close();
  });
});
