import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasCommand } from './openssl.js';

/**
 * The Redis the tests share: `REDIS_URL`. Missing → a loud skip locally, an error when CI=true (CI starts Redis
 * and exports REDIS_URL). Give every test its own key prefix: other suites use the same server.
 */
export function redisUrlOrSkip(what: string): string | undefined {
  const url = process.env.REDIS_URL;
  if (url) return url;
  if (process.env.CI === 'true') throw new Error(`CI=true but REDIS_URL is not set: ${what} need Redis (apt-get install redis-server)`);
  console.warn(
    `\n*** SKIPPING ${what}: REDIS_URL is not set. Start Redis (apt-get install redis-server) and export REDIS_URL=redis://127.0.0.1:PORT (CI does, and runs them). ***\n`,
  );
  return undefined;
}

/** True when the tests may start their own redis-server (chaos tests restart it); same policy as redisUrlOrSkip. */
export function redisServerOrSkip(what: string): boolean {
  if (hasCommand('redis-server')) return true;
  if (process.env.CI === 'true')
    throw new Error(`CI=true but redis-server is not on PATH: ${what} start and restart their own (apt-get install redis-server)`);
  console.warn(`\n*** SKIPPING ${what}: redis-server is not on PATH (apt-get install redis-server; CI installs it and runs them). ***\n`);
  return false;
}

export interface OwnRedis {
  url: string;
  port: number;
  /** Stops the server (SIGTERM: it writes its append-only file) and starts it again on the same port and data. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A redis-server of the test's own (appendonly, a scratch folder), ready when this resolves. */
export async function startOwnRedis(): Promise<OwnRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'edocs-redis-'));
  let port = 0;
  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    port ||= await freePort();
    const proc = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--appendonly', 'yes', '--dir', dir, '--save', '', '--daemonize', 'no'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = proc;
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const onData = (chunk: Buffer): void => {
        out += chunk.toString();
        if (/Ready to accept connections/.test(out)) {
          proc.stdout!.off('data', onData);
          proc.stdout!.resume();
          resolve();
        }
      };
      proc.stdout!.on('data', onData);
      proc.once('exit', (code) => reject(new Error(`redis-server exited (${code}) before it was ready:\n${out.slice(-2000)}`)));
    });
  };
  const stop = async (): Promise<void> => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill('SIGTERM');
    });
  };
  await start();
  return {
    get url() {
      return `redis://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    async restart() {
      await stop();
      await start();
    },
    async stop() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
