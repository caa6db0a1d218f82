#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Journal } from './journal.js';
import { type Flow, LIVE_VARIABLES, readLiveConfig, secretValues } from './live-config.js';
import { openLiveServices } from './live-mode.js';
import { createProgress, type Progress } from './progress.js';
import { printResult } from './report.js';
import type { DemoResult, FlowFailure, FlowResult } from './result.js';
import { openSandboxServices } from './sandbox-mode.js';
import { runSberFlow, waitForRegistry } from './sber-flow.js';
import type { Services } from './services.js';
import { runSunatFlow, waitForGuides } from './sunat-flow.js';
import { printWorkersResult, runWorkersMode } from './workers-mode.js';

const USAGE = `Usage: edocs-demo [run|resume] [--json] [--live] [--only sunat|sber] [--journal PATH] [--dotenv PATH] [--workers N]

  run (default)  start both sandboxes in this process (or, with --live, use the real services) and run
                 SUNAT: token → three guides → verdicts, and Sber: GOST keys → digest → signature → JWS over mTLS → final state
  resume         finish waiting for every submission the journal still holds (after a crash or Ctrl+C)
  --json         print one machine-readable result object instead of the live display
  --live         real services, configured by the environment or --dotenv (default .env); see the README
  --journal      where submissions are journaled (default .demo/journal.json)
  --workers N    the SUNAT flow through sunat-gre-queue with N worker processes (1-16); needs REDIS_URL

Exit code: 0 when every flow ends as expected, 1 when one does not, 2 for a usage or configuration problem.`;

/** A problem with how the demo was started: printed as is, exit code 2. */
class UsageError extends Error {}

interface Options {
  command: 'run' | 'resume';
  json: boolean;
  live: boolean;
  flows: Flow[];
  journalPath: string;
  envFile: string;
  workers?: number;
}

function parseOptions(argv: string[]): Options {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      live: { type: 'boolean', default: false },
      only: { type: 'string' },
      journal: { type: 'string', default: '.demo/journal.json' },
      // Not --env-file: Node 20 takes that flag for itself even when it comes after the script's name.
      dotenv: { type: 'string', default: '.env' },
      help: { type: 'boolean', short: 'h', default: false },
      workers: { type: 'string' },
    },
  });
  if (values.help) throw new UsageError(USAGE);
  const command = positionals[0] ?? 'run';
  if ((command !== 'run' && command !== 'resume') || positionals.length > 1)
    throw new UsageError(`Unknown command: ${positionals.join(' ')}\n\n${USAGE}`);
  if (values.only !== undefined && values.only !== 'sunat' && values.only !== 'sber')
    throw new UsageError(`--only must be 'sunat' or 'sber'`);
  const workers = values.workers === undefined ? undefined : Number(values.workers);
  if (workers !== undefined && !(Number.isInteger(workers) && workers >= 1 && workers <= 16))
    throw new UsageError('--workers must be a whole number from 1 to 16');
  if (workers !== undefined && (command !== 'run' || values.live || values.only === 'sber'))
    throw new UsageError('--workers runs the SUNAT flow against the sandbox only: not with resume, --live or --only sber');
  return {
    workers,
    command,
    json: values.json,
    live: values.live,
    flows: values.only ? [values.only as Flow] : ['sunat', 'sber'],
    journalPath: resolve(values.journal),
    envFile: values.dotenv,
  };
}

/** Live mode: every variable is checked before anything starts; the message names each missing one. */
function liveEnv(flows: Flow[], envFile: string) {
  const { env, missing } = readLiveConfig(flows, envFile);
  if (missing.length > 0) {
    throw new UsageError(
      `--live needs these variables (set them in the environment or in ${envFile}):\n${missing.map((m) => `  - ${m}`).join('\n')}\n` +
        `All of them: ${flows.flatMap((f) => LIVE_VARIABLES[f].map((v) => v.name)).join(', ')}.`,
    );
  }
  return env;
}

async function run(o: Options, progress: Progress): Promise<{ result: DemoResult; secrets: string[] }> {
  if (existsSync(o.journalPath)) {
    const pending = Journal.open(o.journalPath).pending();
    if (pending.length > 0) {
      throw new UsageError(
        `The journal ${o.journalPath} still holds ${pending.length} submission(s) waiting for a verdict: run \`demo resume\` first (or pass another --journal).`,
      );
    }
  }
  const env = o.live ? liveEnv(o.flows, o.envFile) : undefined;
  progress.step(o.live ? 'Connecting to the real services' : 'Starting the SUNAT and Sber sandboxes on 127.0.0.1');
  const services = env ? await openLiveServices(env, { flows: o.flows, forRun: true }) : await openSandboxServices({ flows: o.flows });
  progress.succeed(o.live ? 'Connected' : 'Sandboxes started');
  const journal = Journal.create(o.journalPath, { mode: services.mode });
  const ctx = { journal, progress, sandboxState: services.sandboxState, waitTimeoutMs: waitTimeout(services) };
  const flows: FlowResult[] = [];
  try {
    if (services.sunat) flows.push(await attempt('sunat', () => runSunatFlow(services.sunat!.conn, services.sunat!.guides, ctx), progress));
    const sber = services.sber;
    if (sber?.registry && sber.identity)
      flows.push(await attempt('sber', () => runSberFlow(sber.conn, sber.registry!, sber.identity!, ctx), progress));
  } finally {
    await services.close();
  }
  return { result: summary('run', services.mode, o.journalPath, flows), secrets: env ? secretValues(env) : [] };
}

async function resume(o: Options, progress: Progress): Promise<{ result: DemoResult; secrets: string[] }> {
  if (!existsSync(o.journalPath)) throw new UsageError(`No journal at ${o.journalPath}: nothing to resume.`);
  const journal = Journal.open(o.journalPath);
  const pending = journal.pending();
  const mode = journal.file.mode;
  if (pending.length === 0) return { result: summary('resume', mode, o.journalPath, []), secrets: [] };
  const flows = [...new Set(pending.map((e) => e.flow))];
  const env = mode === 'live' ? liveEnv(flows, o.envFile) : undefined;
  progress.step(`Resuming ${pending.length} submission(s) from ${o.journalPath}`);
  const services = env
    ? await openLiveServices(env, { flows, forRun: false })
    : await openSandboxServices({ state: journal.file.sandboxState ?? {}, flows });
  progress.succeed(`Resuming ${pending.length} submission(s)`);
  const ctx = { journal, progress, sandboxState: services.sandboxState, waitTimeoutMs: waitTimeout(services) };
  const results: FlowResult[] = [];
  try {
    const guides = journal.pending('sunat');
    if (guides.length > 0) results.push(await attempt('sunat', () => waitForGuides(services.sunat!.conn, guides, ctx), progress));
    for (const entry of journal.pending('sber'))
      results.push(await attempt('sber', () => waitForRegistry(services.sber!.conn, entry, ctx), progress));
  } finally {
    await services.close();
  }
  return { result: summary('resume', mode, o.journalPath, results), secrets: env ? secretValues(env) : [] };
}

function waitTimeout(services: Services): number {
  return services.mode === 'sandbox' ? 60_000 : 15 * 60_000;
}

/** A flow that throws ends as a failure with the error's own (secret-free) words; the other flow still runs. */
async function attempt(flow: Flow, fn: () => Promise<FlowResult>, progress: Progress): Promise<FlowResult> {
  try {
    return await fn();
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    const code = (err as { code?: unknown }).code;
    progress.fail(`${flow === 'sunat' ? 'SUNAT' : 'Sber'}: ${err.name}: ${err.message}`);
    const failure: FlowFailure = {
      flow,
      ok: false,
      error: { name: err.name, ...(typeof code === 'string' ? { code } : {}), message: err.message },
    };
    return failure;
  }
}

function summary(command: DemoResult['command'], mode: DemoResult['mode'], journal: string, flows: FlowResult[]): DemoResult {
  return { ok: flows.every((f) => f.ok), command, mode, journal, flows };
}

async function main(argv: string[]): Promise<number> {
  let o: Options;
  try {
    o = parseOptions(argv);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 2;
  }
  // A terminal without a width (some CI pseudo-terminals) would make the spinner redraw forever: plain output there.
  const progress = createProgress(process.stdout.isTTY === true && (process.stdout.columns ?? 0) > 0 && !o.json);
  if (o.workers !== undefined) {
    const redisUrl = process.env.REDIS_URL;
    if (!redisUrl) {
      process.stderr.write('--workers needs Redis: set REDIS_URL (for example redis://127.0.0.1:6379)\n');
      return 2;
    }
    const plain = !o.json && !(process.stdout.isTTY === true && (process.stdout.columns ?? 0) > 0);
    try {
      const result = await runWorkersMode({
        redisUrl,
        workers: o.workers,
        progress,
        log: (line) => (plain ? process.stdout.write(`${line}\n`) : undefined),
      });
      printWorkersResult(result, o.json);
      return result.ok ? 0 : 1;
    } catch (e) {
      progress.fail('Stopped');
      process.stderr.write(`${(e as Error).name}: ${(e as Error).message}\n`);
      return 1;
    }
  }
  try {
    const { result, secrets } = o.command === 'run' ? await run(o, progress) : await resume(o, progress);
    printResult(result, { json: o.json, secrets });
    return result.ok ? 0 : 1;
  } catch (e) {
    progress.fail('Stopped');
    process.stderr.write(`${e instanceof UsageError ? e.message : `${(e as Error).name}: ${(e as Error).message}`}\n`);
    return e instanceof UsageError ? 2 : 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
