// Shared by the packages' soaks (pnpm bench --soak). Runs a soak script in a child process with --expose-gc and checks that it exits on its own once it has printed
// its last line (DONE_MARKER): a timer, socket or pending promise left behind would keep it alive.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const DONE_MARKER = 'soak: all work done, no process.exit';

export function supervise(script, args = [], { graceMs = 15_000, maxMs = 540_000 } = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--expose-gc', fileURLToPath(script), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let tail = '';
    let doneAt;
    let killed = false;
    const kill = (why) => {
      killed = true;
      console.error(`!! ${why}: stopping the soak process (pid ${child.pid})`);
      child.kill('SIGKILL');
    };
    const overall = setTimeout(() => kill(`the soak ran longer than ${maxMs} ms`), maxMs);
    let grace;
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      tail = (tail + chunk).slice(-500);
      if (doneAt === undefined && tail.includes(DONE_MARKER)) {
        doneAt = performance.now();
        grace = setTimeout(() => kill(`still running ${graceMs} ms after its last line (open handles)`), graceMs);
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(overall);
      clearTimeout(grace);
      const onItsOwn = doneAt !== undefined && !killed;
      console.log(
        onItsOwn
          ? `process exits on its own: yes, ${(performance.now() - doneAt).toFixed(0)} ms after its last line (exit code ${code})`
          : `process exits on its own: NO (exit code ${code}, signal ${signal})`,
      );
      resolve({ ok: onItsOwn && code === 0, code });
    });
  });
}
