import { type ChildProcess, fork } from 'node:child_process';
import { despatchAdviceXml, type OwnRedis, redisServerOrSkip, startOwnRedis } from '@internal/testkit';
import { type FaultRule, type SunatSandbox, startSunatSandbox } from 'sunat-gre-sandbox';
import { afterAll, describe, expect, it } from 'vitest';
// The fault mix and the per-document audit of the GRE benches and soaks (typed by their .d.mts beside them).
// biome-ignore lint/correctness/useImportExtensions: a plain-JS script, imported by its real name
import { outcomesPerDocument } from '../../../scripts/gre-bench/audit.mjs';
// biome-ignore lint/correctness/useImportExtensions: a plain-JS script, imported by its real name
import { faultMix } from '../../../scripts/gre-bench/sandbox.mjs';
import { createGreQueue, type GreQueue, type GreVerdict } from '../src/index.js';

const haveRedis = redisServerOrSkip('sunat-gre-queue chaos test (4 workers killed with SIGKILL, Redis restarted)');
const N = 300;
const WORKERS = 4;
const KILLS = 6;
const CREDENTIALS = {
  clientId: 'chaos-client',
  clientSecret: 'chaos-secret',
  ruc: '20100070970',
  solUser: 'MODDATOS',
  solPassword: 'moddatos',
};

describe.skipIf(!haveRedis)('chaos: 300 guides, 4 worker processes killed and restarted, Redis restarted, 5 % faults', () => {
  let sandbox: SunatSandbox | undefined;
  let redis: OwnRedis | undefined;
  let queue: GreQueue | undefined;
  const workers = new Set<ChildProcess>();
  /** Workers that said they take jobs: only those are killed. */
  const ready = new Set<ChildProcess>();
  afterAll(async () => {
    for (const w of workers) w.kill('SIGKILL');
    await queue?.close();
    await redis?.stop();
    await sandbox?.close();
  });

  it('every guide reaches its verdict exactly once, none is lost, none is stored twice, one token for all', async () => {
    sandbox = await startSunatSandbox({
      clients: [CREDENTIALS],
      pendingPolls: 1,
      seed: 14,
      // 5 % of all requests fail, spread over every kind the sandbox has
      faults: faultMix(0.05) as FaultRule[],
    });
    redis = await startOwnRedis();
    const queueName = 'gre-chaos';
    queue = createGreQueue({ connection: redis.url, name: queueName, retryDelayMs: 50, attempts: 20 });
    const config = JSON.stringify({
      redisUrl: redis.url,
      queueName,
      ca: sandbox.ca,
      authUrl: sandbox.authUrl,
      cpeUrl: sandbox.cpeUrl,
      credentials: CREDENTIALS,
      lockDurationMs: 4000,
    });
    const start = (): Promise<ChildProcess> =>
      new Promise((resolve, reject) => {
        const child = fork(new URL('./worker-child.mjs', import.meta.url), {
          env: { ...process.env, GRE_WORKER_CONFIG: config },
          stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        });
        workers.add(child);
        child.once('message', () => {
          ready.add(child);
          resolve(child);
        });
        child.once('exit', (code, signal) => {
          workers.delete(child);
          ready.delete(child);
          if (signal !== 'SIGKILL' && code !== 0) reject(new Error(`worker exited ${code ?? signal} before it was ready`));
        });
      });
    await Promise.all(Array.from({ length: WORKERS }, start));

    const docs = Array.from({ length: N }, (_, i) => ({
      ruc: CREDENTIALS.ruc,
      type: '09' as const,
      series: 'T777',
      number: i + 1,
      xml: despatchAdviceXml({ ruc: CREDENTIALS.ruc, type: '09', series: 'T777', number: i + 1 }),
    }));
    const ids = (await Promise.all(docs.map((d) => queue!.enqueue(d)))).map((r) => r.documentId);
    // enqueueing again changes nothing
    expect((await Promise.all(docs.slice(0, 50).map((d) => queue!.enqueue(d)))).every((r) => !r.added)).toBe(true);

    // Progress drives the chaos: a ready worker is killed every N / (KILLS + 2) verdicts and a replacement started
    // (the others go on meanwhile); Redis is restarted once at half the verdicts.
    let kills = 0;
    let restarted = false;
    const replacements: Promise<ChildProcess>[] = [];
    const killEvery = Math.floor(N / (KILLS + 2));
    for (;;) {
      const { completed = 0, failed = 0 } = await queue.queue.getJobCounts('completed', 'failed');
      if (failed > 0 || completed === N) break;
      if (kills < KILLS && completed >= (kills + 1) * killEvery && ready.size > 1) {
        const victim = [...ready][kills % ready.size]!;
        ready.delete(victim);
        victim.kill('SIGKILL');
        kills++;
        replacements.push(start());
      }
      if (!restarted && completed >= N / 2) {
        await redis.restart();
        restarted = true;
      }
      await new Promise((r) => setTimeout(r, 100));
    }

    await Promise.all(replacements);
    const counts = await queue.queue.getJobCounts('completed', 'failed', 'active', 'waiting', 'delayed');
    const failedReasons = (await queue.queue.getFailed()).map((j) => `${j.id}: ${j.failedReason}`);
    expect(failedReasons).toEqual([]);
    expect(counts.completed).toBe(N);
    expect(kills).toBe(KILLS);
    expect(restarted).toBe(true);

    const verdicts = (await Promise.all(ids.map((id) => queue!.verdictOf(id)))) as GreVerdict[];
    expect(verdicts.every((v) => v?.state === 'accepted')).toBe(true);
    // SUNAT's side: every document stored (accepted) exactly once; any later copy was refused as 1033
    const perDoc = outcomesPerDocument(sandbox.snapshot().documents);
    expect(ids.filter((id) => perDoc.get(id)?.accepted !== 1)).toEqual([]);
    expect([...perDoc.values()].filter((e) => e.other > 0)).toEqual([]);
    const resent = verdicts.filter((v) => v.sends > 1).length;
    const byEarlier = verdicts.filter((v) => v.storedByEarlierSend).length;
    console.log(
      `gre chaos: ${N} verdicts, 0 lost, ${kills} workers killed, Redis restarted once; ${resent} documents sent more than once ` +
        `(${byEarlier} confirmed stored by an earlier send via 1033); ${sandbox.stats.faults} faults injected; ${sandbox.stats.tokenRequests} token request(s)`,
    );
    // one token shared through oauth-sunat/redis; a token answer lost to a fault may cost one more. Without the
    // shared store every worker process started (4 + 6 replacements) would have asked for its own.
    expect(sandbox.stats.tokenRequests).toBeLessThanOrEqual(3);

    for (const w of workers) w.send({ type: 'stop' });
  }, 600_000);
});
