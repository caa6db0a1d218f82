import { randomBytes } from 'node:crypto';
import { despatchAdviceXml, expectNoSecret, openssl, redisUrlOrSkip, scratchDir, surfacesOf } from '@internal/testkit';
import { zipSync } from 'fflate';
import { Redis } from 'ioredis';
import { createSunatAuth } from 'oauth-sunat';
import { redisTokenStore } from 'oauth-sunat/redis';
import { createGreClient, type GreClient } from 'sunat-gre-client';
import type { SenderGuide } from 'sunat-gre-client/gre';
import { type SunatSandbox, startSunatSandbox } from 'sunat-gre-sandbox';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createGreQueue,
  createGreWorker,
  documentIdOf,
  GreJobFailedError,
  type GreQueue,
  GreQueueTimeoutError,
  GreQueueValidationError,
  type GreVerdict,
  type GreWorker,
} from '../src/index.js';

const url = redisUrlOrSkip('sunat-gre-queue tests');
const CLIENT = {
  clientId: 'queue-test-client',
  clientSecret: 'queue-C1ient-S3cret-k8Zp',
  ruc: '20100070970',
  solUser: 'MODDATOS',
  solPassword: 'S0l-P4ss-queue-7x9Qw2',
};
const doc = (number: number, over: { customizationId?: string } = {}) => ({
  ruc: CLIENT.ruc,
  type: '09' as const,
  series: 'T001',
  number,
  xml: despatchAdviceXml({ ruc: CLIENT.ruc, type: '09', series: 'T001', number, ...over }),
});

describe.skipIf(!url)('sunat-gre-queue against the sandbox and Redis', () => {
  let sandbox: SunatSandbox;
  let agent: Agent;
  let redis: Redis;
  let client: GreClient;
  const sharedPrefix = `test:${randomBytes(4).toString('hex')}:`;
  const open: { close(): Promise<void> }[] = [];
  beforeAll(async () => {
    sandbox = await startSunatSandbox({ clients: [CLIENT], pendingPolls: 2 });
    agent = new Agent({ connect: { ca: sandbox.ca } });
    redis = new Redis(url!);
    const auth = createSunatAuth({
      ...CLIENT,
      baseUrl: sandbox.authUrl,
      dispatcher: agent,
      store: redisTokenStore(redis, { prefix: sharedPrefix }),
    });
    client = createGreClient({ auth, baseUrl: sandbox.cpeUrl, dispatcher: agent, retryBaseMs: 10, retryMaxMs: 50 });
  });
  afterAll(async () => {
    for (const o of open.reverse()) await o.close();
    await redis.quit();
    await agent.close();
    await sandbox.close();
  });
  /** A queue and a worker on a queue name of their own. */
  async function pipeline(
    extra: Partial<Parameters<typeof createGreWorker>[0]> = {},
  ): Promise<{ queue: GreQueue; worker: GreWorker; verdicts: GreVerdict[] }> {
    const name = `gre-test-${randomBytes(5).toString('hex')}`;
    const verdicts: GreVerdict[] = [];
    const queue = createGreQueue({ connection: url!, name, retryDelayMs: 20 });
    const worker = createGreWorker({
      connection: url!,
      name,
      client,
      pollIntervalMs: 20,
      maxPollIntervalMs: 100,
      resendDelayMs: 20,
      rateLimit: { max: 1000, durationMs: 1000 },
      onVerdict: (v) => void verdicts.push(v),
      ...extra,
    });
    open.push(queue, worker);
    await worker.ready();
    return { queue, worker, verdicts };
  }

  it('enqueued twice is one job; every document gets its verdict through delayed polls, announced once', async () => {
    const { queue, verdicts } = await pipeline();
    const announced: string[] = [];
    queue.onVerdict((v) => announced.push(v.documentId));
    const docs = Array.from({ length: 20 }, (_, i) => doc(1000 + i));
    const first = await Promise.all(docs.map((d) => queue.enqueue(d)));
    const again = await Promise.all(docs.map((d) => queue.enqueue(d)));
    expect(first.every((r) => r.added)).toBe(true);
    expect(again.every((r) => !r.added)).toBe(true);
    expect(first[0]!.documentId).toBe(`${CLIENT.ruc}-09-T001-1000`);
    const results = await Promise.all(first.map((r) => queue.waitForVerdict(r.documentId, { timeoutMs: 60_000 })));
    for (const [i, v] of results.entries()) {
      expect(v).toMatchObject({ documentId: first[i]!.documentId, state: 'accepted', code: '0', sends: 1 });
      expect(v.cdr?.responseCode).toBe('0');
      expect(v.polls).toBeGreaterThanOrEqual(3); // pendingPolls: 2, then the verdict
      expect(sandbox.stats.received.get(v.fileName)).toBe(1);
      expect(await queue.verdictOf(v.documentId)).toEqual(v);
    }
    expect(verdicts).toHaveLength(20);
    await expect.poll(() => announced.length).toBe(20);
    expect(new Set(announced).size).toBe(20);
    expect(await queue.queue.getJobCounts('completed')).toEqual({ completed: 20 });
  });

  it('an ambiguous send is resolved as sunat-gre-client advises: resent once, its 1033 read as "stored by the first send"', async () => {
    const { queue } = await pipeline();
    sandbox.faults.inject({ on: 'send', kind: 'resetAfterStore', count: 1 });
    const { documentId } = await queue.enqueue(doc(2000));
    const v = await queue.waitForVerdict(documentId, { timeoutMs: 60_000 });
    expect(v).toMatchObject({ state: 'accepted', storedByEarlierSend: true, sends: 2, error: { code: '1033' } });
    expect(sandbox.stats.received.get(v.fileName)).toBe(2);
    const stored = sandbox.snapshot().documents.filter((d) => d.baseName === documentId);
    expect(stored.filter((d) => d.outcome.code === '0')).toHaveLength(1);
  });

  it('a job found mid-send (its worker died after the send) is resent and resolved the same way', async () => {
    const { queue } = await pipeline();
    const d = doc(3000);
    const documentId = documentIdOf(d);
    await client.send(d); // the dead worker's send: SUNAT stored it, the ticket was never recorded
    await queue.queue.add(
      'gre',
      {
        documentId,
        document: {
          ruc: d.ruc,
          type: d.type,
          series: d.series,
          number: String(d.number),
          xmlBase64: Buffer.from(d.xml).toString('base64'),
        },
        sends: 1,
        sending: true,
        polls: 0,
      },
      { jobId: documentId },
    );
    const v = await queue.waitForVerdict(documentId, { timeoutMs: 60_000 });
    expect(v).toMatchObject({ state: 'accepted', storedByEarlierSend: true, sends: 2 });
  });

  it('a rejection is a verdict too (99 with the code), not a failure', async () => {
    const { queue } = await pipeline();
    const { documentId } = await queue.enqueue(doc(4000, { customizationId: '1.0' }));
    const v = await queue.waitForVerdict(documentId, { timeoutMs: 60_000 });
    expect(v).toMatchObject({ state: 'rejected', code: '99', error: { code: '2112' } });
    expect(v.storedByEarlierSend).toBeUndefined();
  });

  it('a typed guide is signed by the worker (its key never in Redis) and accepted by a sandbox that requires the signature', async () => {
    const strict = await startSunatSandbox({ clients: [CLIENT], pendingPolls: 0, signature: 'required' });
    const strictAgent = new Agent({ connect: { ca: strict.ca } });
    const dir = scratchDir('gre-queue-key-');
    try {
      openssl([
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        dir.path('key.pem'),
        '-out',
        dir.path('cert.pem'),
        '-subj',
        `/CN=GRE TEST ${CLIENT.ruc}`,
        '-days',
        '2',
      ]);
      const signing = { privateKey: dir.read('key.pem').toString(), certificate: dir.read('cert.pem').toString() };
      const auth = createSunatAuth({ ...CLIENT, baseUrl: strict.authUrl, dispatcher: strictAgent });
      const strictClient = createGreClient({ auth, baseUrl: strict.cpeUrl, dispatcher: strictAgent });
      const { queue } = await pipeline({ client: strictClient, signing });
      const { documentId, job } = await queue.enqueue(guide(77));
      expect(documentId).toBe(`${CLIENT.ruc}-09-T001-77`);
      expect(job.data.guide).toBeDefined();
      const v = await queue.waitForVerdict(documentId, { timeoutMs: 60_000 });
      expect(v).toMatchObject({ state: 'accepted', code: '0', sends: 1 });
      const data = (await queue.queue.getJob(documentId))!.data;
      expect(data.guide).toBeUndefined();
      const sentXml = Buffer.from(data.document!.xmlBase64, 'base64').toString();
      expect(sentXml).toContain('<ds:SignatureValue>');
      expect(JSON.stringify(data)).not.toContain('PRIVATE KEY');
    } finally {
      dir.cleanup();
      await strictAgent.close();
      await strict.close();
    }
  });

  it('no secret in Redis or in a failure: refused credentials fail the job at once, the token never reaches a job', async () => {
    const wrong = createSunatAuth({ ...CLIENT, clientSecret: 'Wr0ng-Cl13nt-S3cret', baseUrl: sandbox.authUrl, dispatcher: agent });
    const refused = createGreClient({ auth: wrong, baseUrl: sandbox.cpeUrl, dispatcher: agent });
    const failing = await pipeline({ client: refused });
    const { documentId } = await failing.queue.enqueue(doc(6000));
    await expect(failing.queue.waitForVerdict(documentId, { timeoutMs: 60_000 })).rejects.toThrow(/invalid_client|401/);
    const job = (await failing.queue.queue.getJob(documentId))!;
    expect(job.attemptsMade).toBe(1); // not retried: repeating cannot fix it
    expectNoSecret(
      [job.failedReason, ...(job.stacktrace ?? []), JSON.stringify(job.data), ...surfacesOf(job)],
      { clientSecret: 'Wr0ng-Cl13nt-S3cret', solPassword: CLIENT.solPassword },
      'failed job',
    );

    const ok = await pipeline();
    const { documentId: id2 } = await ok.queue.enqueue(doc(6001));
    const v = await ok.queue.waitForVerdict(id2, { timeoutMs: 60_000 });
    const token = await createSunatAuth({
      ...CLIENT,
      baseUrl: sandbox.authUrl,
      dispatcher: agent,
      store: redisTokenStore(redis, { prefix: sharedPrefix }),
    }).getToken();
    const data = JSON.stringify((await ok.queue.queue.getJob(id2))!.data);
    expectNoSecret(
      [data, JSON.stringify(v)],
      { token, clientSecret: CLIENT.clientSecret, solPassword: CLIENT.solPassword },
      'job data and verdict',
    );
  });

  it('waitForVerdict rejects with the family: GreJobFailedError (failedReason, cause) and GreQueueTimeoutError', async () => {
    const wrong = createSunatAuth({ ...CLIENT, clientSecret: 'Wr0ng-Cl13nt-S3cret-2', baseUrl: sandbox.authUrl, dispatcher: agent });
    const failing = await pipeline({ client: createGreClient({ auth: wrong, baseUrl: sandbox.cpeUrl, dispatcher: agent }) });
    const { documentId } = await failing.queue.enqueue(doc(6100));
    const error = await failing.queue.waitForVerdict(documentId, { timeoutMs: 60_000 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(GreJobFailedError.isInstance(error)).toBe(true);
    const failed = error as GreJobFailedError;
    expect(failed).toMatchObject({ code: 'JOB_FAILED', documentId, name: 'GreJobFailedError' });
    expect(failed.failedReason).toMatch(/invalid_client|401/);
    expect(failed.cause).toBeInstanceOf(Error);
    expectNoSecret(surfacesOf(failed), { clientSecret: 'Wr0ng-Cl13nt-S3cret-2', solPassword: CLIENT.solPassword }, 'GreJobFailedError');

    // No worker takes this queue's jobs: the wait can only end by its timeout, whatever the machine's speed.
    const idle = createGreQueue({ connection: url!, name: `gre-test-${randomBytes(5).toString('hex')}` });
    open.push(idle);
    const { documentId: waiting } = await idle.enqueue(doc(6101));
    const timeout = await idle.waitForVerdict(waiting, { timeoutMs: 300 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(GreQueueTimeoutError.isInstance(timeout)).toBe(true);
    expect(timeout).toMatchObject({ code: 'TIMEOUT', documentId: waiting, timeoutMs: 300 });
  });

  it('a ready zip is one more form of the same document: same job id, sent as the XML inside it', async () => {
    const { queue } = await pipeline();
    const d = doc(7000);
    const zip = zipSync({ [`${documentIdOf(d)}.xml`]: Buffer.from(d.xml) });
    const first = await queue.enqueue({ zip });
    expect(first).toMatchObject({ documentId: `${CLIENT.ruc}-09-T001-7000`, added: true });
    expect((await queue.enqueue(d)).added).toBe(false);
    const v = await queue.waitForVerdict(first.documentId, { timeoutMs: 60_000 });
    expect(v).toMatchObject({ state: 'accepted', fileName: `${first.documentId}.zip` });
    await expect(queue.enqueue({ zip: zipSync({ 'a.xml': Buffer.from('x'), 'b.xml': Buffer.from('y') }) })).rejects.toThrow(
      /exactly one entry/,
    );
    await expect(queue.enqueue({ zip: zipSync({ 'guide.xml': Buffer.from(d.xml) }) })).rejects.toThrow(/RUC-TT-SERIE-NUMERO/);
    await expect(queue.enqueue({ zip: new Uint8Array([1, 2, 3]) })).rejects.toThrow(GreQueueValidationError);
  });

  it('bad input fails at enqueue, naming the field, before Redis is touched', async () => {
    const queue = createGreQueue({ connection: url!, name: `gre-test-${randomBytes(5).toString('hex')}` });
    open.push(queue);
    await expect(queue.enqueue({ ...doc(1), ruc: '20100070971' })).rejects.toThrow(GreQueueValidationError);
    await expect(queue.enqueue({ ...doc(1), series: 'F001' })).rejects.toThrow(/series/);
    await expect(queue.enqueue({ ...doc(1), number: 0 })).rejects.toThrow(/number/);
    expect(await queue.queue.count()).toBe(0);
    expect(() => createGreQueue({ connection: url!, name: 'has space' })).toThrow(/name/);
    expect(() => createGreWorker({ connection: url!, client, concurrency: 0 })).toThrow(/concurrency/);
    expect(() => createGreWorker({ connection: url!, client: {} as GreClient })).toThrow(GreQueueValidationError);
    await expect(queue.waitForVerdict(`${CLIENT.ruc}-09-T001-999999`)).rejects.toThrow(/documentId/);
  });

  it('close() is graceful: a worker closed while jobs wait for SUNAT leaves them to the next worker', async () => {
    const name = `gre-test-${randomBytes(5).toString('hex')}`;
    const queue = createGreQueue({ connection: url!, name });
    open.push(queue);
    const slow = createGreWorker({ connection: url!, name, client, pollIntervalMs: 2000 });
    await slow.ready();
    const { documentId } = await queue.enqueue(doc(5000));
    // wait until the ticket is recorded (the job is delayed for its first poll), then stop the worker
    await expect.poll(async () => (await queue.queue.getJob(documentId))?.data.sent?.ticket, { timeout: 30_000 }).toBeTruthy();
    await slow.close();
    const next = createGreWorker({ connection: url!, name, client, pollIntervalMs: 20 });
    open.push(next);
    const v = await queue.waitForVerdict(documentId, { timeoutMs: 60_000 });
    expect(v).toMatchObject({ state: 'accepted', sends: 1 });
  });
});

function guide(number: number): SenderGuide {
  return {
    type: '09',
    series: 'T001',
    number,
    issueDate: '2026-01-05',
    issueTime: '10:23:59',
    issuer: { ruc: CLIENT.ruc, name: 'Compañía Peruana de Envíos S.A.C.' },
    recipient: { documentType: '6', documentNumber: '20131312955', name: 'Distribuidora Ñandú S.A.C.' },
    shipment: {
      reason: '01',
      mode: '02',
      grossWeight: 12.5,
      weightUnit: 'KGM',
      startDate: '2026-01-06',
      start: { ubigeo: '150203', address: 'Av. Argentina 1234, Callao' },
      arrival: { ubigeo: '040101', address: 'Calle Mercaderes 210, Arequipa' },
      vehicles: [{ plate: 'ABC123' }],
      drivers: [{ documentType: '1', documentNumber: '45678912', firstNames: 'José', lastNames: 'Muñoz Pérez', license: 'Q45678912' }],
    },
    lines: [{ quantity: 10, unitCode: 'NIU', description: 'Cajas de café', code: 'CAF-01' }],
  };
}
