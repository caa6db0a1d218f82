// Child processes for the packaging test: every step has a deadline, and a step that fails or times out says
// which step it was and what to try, instead of hanging the test run or printing a bare stack.
import { execFile, execFileSync } from 'node:child_process';

export class StepError extends Error {}

/**
 * Runs a command; returns its stdout. `network: true` marks a step that downloads (npm/pnpm install), whose
 * failure is most often the registry or the proxy, not our packages.
 */
export function run(step, cmd, args, { cwd, timeoutMs = 120_000, network = false, env, input } = {}) {
  try {
    return execFileSync(cmd, args, {
      cwd,
      env: { ...process.env, ...env },
      encoding: 'utf8',
      timeout: timeoutMs,
      killSignal: 'SIGKILL',
      input,
      stdio: ['pipe', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    const out = `${error.stdout ?? ''}${error.stderr ?? ''}`.trim().split('\n').slice(-40).join('\n');
    if (error.code === 'ETIMEDOUT' || error.signal === 'SIGKILL') {
      const what = network
        ? 'the registry did not answer in time: check the network or the npm proxy (`npm config get registry`), then run `pnpm test:pack` again'
        : 'it did not finish: a process that does not exit on its own (an open socket or timer) is the usual cause';
      throw new StepError(`packaging test: step "${step}" passed its ${timeoutMs / 1000} s limit; ${what}.\n${out}`);
    }
    const hint = network ? ' (a download step: if the output shows ETIMEDOUT/ECONNRESET/ENOTFOUND, it is the network, run it again)' : '';
    throw new StepError(
      `packaging test: step "${step}" failed (exit ${error.status ?? error.signal})${hint}:\n$ ${cmd} ${args.join(' ')}\n${out}`,
    );
  }
}

/** `run` without blocking: for independent steps that spend their time waiting (the README quick starts). */
export function runAsync(step, cmd, args, { cwd, timeoutMs = 120_000 } = {}) {
  return new Promise((resolve, reject) => {
    execFile(
      cmd,
      args,
      { cwd, encoding: 'utf8', timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        const out = `${stdout ?? ''}${stderr ?? ''}`.trim().split('\n').slice(-40).join('\n');
        if (error.killed)
          reject(
            new StepError(
              `packaging test: step "${step}" passed its ${timeoutMs / 1000} s limit; it did not finish: a process that does not exit on its own (an open socket or timer) is the usual cause.\n${out}`,
            ),
          );
        else reject(new StepError(`packaging test: step "${step}" failed (exit ${error.code}):\n$ ${cmd} ${args.join(' ')}\n${out}`));
      },
    );
  });
}

/** Flags that bound each request of an install; the step's own deadline bounds the whole. */
export const NPM_NETWORK_FLAGS = ['--fetch-timeout=30000', '--fetch-retries=2', '--no-audit', '--no-fund', '--loglevel=error'];
export const PNPM_NETWORK_FLAGS = ['--fetch-timeout=30000', '--fetch-retries=2', '--reporter=silent'];
