// For benches and soaks: a redis-server of their own (appendonly, scratch folder, free port), restartable.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const freePort = () =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

export async function ownRedis() {
  const dir = mkdtempSync(join(tmpdir(), 'gre-queue-bench-redis-'));
  const port = await freePort();
  let child;
  const start = () =>
    new Promise((resolve, reject) => {
      child = spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--appendonly', 'yes', '--dir', dir, '--save', '', '--daemonize', 'no'],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      let out = '';
      const onData = (c) => {
        out += c;
        if (out.includes('Ready to accept connections')) {
          child.stdout.off('data', onData);
          child.stdout.resume();
          resolve();
        }
      };
      child.stdout.on('data', onData);
      child.once('error', (e) =>
        reject(new Error(`cannot start redis-server (${e.code ?? e.message}): install it (apt-get install redis-server)`)),
      );
      child.once('exit', (code) => reject(new Error(`redis-server exited (${code}) before it was ready`)));
    });
  const stop = () =>
    new Promise((resolve) => {
      if (!child || child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    restart: async () => {
      await stop();
      await start();
    },
    stop: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
