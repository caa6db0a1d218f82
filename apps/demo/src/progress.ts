import ora, { type Ora } from 'ora';

/**
 * Live progress: a spinner per step on a TTY, nothing at all otherwise (pipes, CI, --json), so that machine
 * readers only ever see the final result.
 */
export interface Progress {
  step(text: string): void;
  update(text: string): void;
  succeed(text: string): void;
  fail(text: string): void;
  info(text: string): void;
}

export function createProgress(enabled: boolean): Progress {
  if (!enabled) return { step() {}, update() {}, succeed() {}, fail() {}, info() {} };
  let spinner: Ora | undefined;
  return {
    step(text) {
      spinner?.stop();
      spinner = ora({ text, stream: process.stdout, discardStdin: false }).start();
    },
    update(text) {
      if (spinner) spinner.text = text;
    },
    succeed(text) {
      (spinner ?? ora({ stream: process.stdout })).succeed(text);
      spinner = undefined;
    },
    fail(text) {
      (spinner ?? ora({ stream: process.stdout })).fail(text);
      spinner = undefined;
    },
    info(text) {
      spinner?.stop();
      spinner = undefined;
      process.stdout.write(`  ${text}\n`);
    },
  };
}
