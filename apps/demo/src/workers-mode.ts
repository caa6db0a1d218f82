import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createGreQueue, type GreVerdict } from 'sunat-gre-queue';
import { makeGreSigningKey } from './keys.js';
import type { Progress } from './progress.js';
import { printResult } from './report.js';
import { type DemoResult, guideMeetsExpectation, type SunatGuideResult } from './result.js';
import { SUNAT_SANDBOX_CLIENT, startSandboxes } from './sandboxes.js';
import { demoGuides } from './sunat-flow.js';
import type { WorkerConfig, WorkerMessage } from './worker-child.js';

const POLL_MS = 250;
const VERDICT_TIMEOUT_MS = 120_000;

/** What `--workers` adds to the result: each worker process's readiness and how many verdicts it decided. */
export interface WorkersReport {
  count: number;
  workers: { worker: number; ready: boolean; verdicts: number; exitCode: number | null }[];
  /** Token requests the SUNAT sandbox received: one for all worker processes (oauth-sunat/redis). */
  tokenRequests: number;
}

export type WorkersResult = DemoResult & { workers: WorkersReport };

/**
 * `demo --workers N`: the SUNAT flow through sunat-gre-queue. The demo starts the sandbox, forks N worker
 * processes (worker-child.js) that share one token through Redis, enqueues the three guides (signed here, each with
 * its own certificate, so the workers send the very bytes the outcome needs) and waits for their verdicts; then
 * stops the workers with SIGTERM (graceful close) and removes its queue from Redis.
 */
export async function runWorkersMode(o: {
  redisUrl: string;
  workers: number;
  progress: Progress;
  log: (line: string) => void;
}): Promise<WorkersResult> {
  const { progress, log } = o;
  progress.step('Starting the SUNAT sandbox on 127.0.0.1');
  const [key, sandboxes] = await Promise.all([
    makeGreSigningKey(`GRE DEMO ${SUNAT_SANDBOX_CLIENT.ruc}`),
    startSandboxes({ flows: ['sunat'] }),
  ]);
  const sunat = sandboxes.sunat!;
  progress.succeed('SUNAT sandbox started');
  log('SUNAT sandbox started');
  const queueName = `demo-${randomUUID()}`;
  const queue = createGreQueue({ connection: o.redisUrl, name: queueName });
  const config: WorkerConfig = {
    redisUrl: o.redisUrl,
    queueName,
    ca: sunat.ca,
    authUrl: sunat.authUrl,
    cpeUrl: sunat.cpeUrl,
    credentials: { ...SUNAT_SANDBOX_CLIENT },
    pollIntervalMs: POLL_MS,
  };
  const report: WorkersReport['workers'] = Array.from({ length: o.workers }, (_, i) => ({
    worker: i + 1,
    ready: false,
    verdicts: 0,
    exitCode: null,
  }));
  const children: ChildProcess[] = [];
  const exits: Promise<void>[] = [];
  const show = () =>
    progress.update(`SUNAT: ${report.map((w) => `worker ${w.worker} ${w.ready ? `${w.verdicts} verdict(s)` : 'starting'}`).join(', ')}`);
  try {
    progress.step(`Starting ${o.workers} worker processes`);
    await Promise.all(
      report.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            const child = fork(new URL('./worker-child.js', import.meta.url), [], {
              env: { ...process.env, WORKER_CONFIG: JSON.stringify(config) },
              stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
            });
            children.push(child);
            exits.push(
              new Promise((done) =>
                child.once('exit', (code) => {
                  w.exitCode = code;
                  done();
                }),
              ),
            );
            child.once('exit', (code) => reject(new Error(`worker ${w.worker} exited (${code}) before it was ready`)));
            child.on('message', (m: WorkerMessage) => {
              if (m.type === 'ready') {
                w.ready = true;
                log(`worker ${w.worker} ready`);
                resolve();
              } else if (m.type === 'verdict') {
                w.verdicts++;
                log(`worker ${w.worker}: verdict for ${m.documentId}`);
              }
              show();
            });
          }),
      ),
    );
    progress.succeed(`${o.workers} workers ready`);
    await queue.events.waitUntilReady();

    progress.step('SUNAT: enqueueing three signed guides');
    const planned = demoGuides(SUNAT_SANDBOX_CLIENT.ruc, key);
    const enqueued = [];
    for (const p of planned) {
      const { guide } = p;
      const { documentId } = await queue.enqueue({
        ruc: guide.issuer.ruc,
        type: guide.type,
        series: guide.series,
        number: guide.number,
        xml: p.signedXml(),
      });
      log(`enqueued ${documentId} (${p.label})`);
      enqueued.push({ planned: p, documentId });
    }
    progress.succeed('SUNAT: three guides enqueued');
    progress.step('SUNAT: waiting for verdicts');
    show();
    const guides = await Promise.all(
      enqueued.map(async ({ planned: p, documentId }) =>
        guideResult(p.label, p.expected, await queue.waitForVerdict(documentId, { timeoutMs: VERDICT_TIMEOUT_MS })),
      ),
    );
    const ok = guides.every((g) => g.ok);
    (ok ? progress.succeed : progress.fail)(`SUNAT: ${guides.length} verdicts received`);
    return {
      ok,
      command: 'run',
      mode: 'sandbox',
      journal: `redis queue ${queueName}`,
      flows: [{ flow: 'sunat', ok, guides }],
      workers: { count: o.workers, workers: report, tokenRequests: sunat.stats.tokenRequests },
    };
  } finally {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
    await Promise.all(exits);
    await queue.queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    await sandboxes.close();
  }
}

function guideResult(label: string, expected: SunatGuideResult['expected'], v: GreVerdict): SunatGuideResult {
  const g: Omit<SunatGuideResult, 'ok'> = {
    label,
    fileName: v.fileName,
    ticket: v.ticket,
    expected,
    state: v.state,
    code: v.code,
    ...(v.error ? { error: { code: v.error.code, message: v.error.message } } : {}),
    ...(v.cdr
      ? { cdr: { responseCode: v.cdr.responseCode, description: v.cdr.description, notes: v.cdr.notes, documentUrl: v.cdr.documentUrl } }
      : {}),
  };
  return { ...g, ok: guideMeetsExpectation(g) };
}

/** `--json`: the one result object (with `workers`); otherwise the usual summary and a line per worker. */
export function printWorkersResult(result: WorkersResult, json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  printResult(result, { json: false, secrets: [] });
  const lines = result.workers.workers.map(
    (w) => `  worker ${w.worker}: ${w.ready ? 'ready' : 'never ready'}, ${w.verdicts} verdict(s), exit code ${w.exitCode}`,
  );
  process.stdout.write(
    `Workers (${result.workers.count} processes):\n${lines.join('\n')}\nSUNAT token requests: ${result.workers.tokenRequests}\n`,
  );
}
