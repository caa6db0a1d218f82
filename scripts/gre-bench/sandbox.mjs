// The GRE benches' and soaks' sandbox (sunat-gre-client, sunat-gre-queue): the fault mix they inject and the
// sandbox process they talk to.
import { fork } from 'node:child_process';

/** Every fault kind the sandbox has: the soaks spread their failures over all of them. */
export const FAULT_KINDS = [
  { kind: 'status503' },
  { kind: 'status500' },
  { kind: 'reset' },
  { kind: 'resetAfterStore' },
  { kind: 'html', status: 502 },
  { kind: 'slow', delayMs: 300 },
];

/**
 * Fault rules under which `rate` of all requests fail, spread over every kind. The sandbox tries the rules in turn,
 * each with its own draw, so each gets p with 1 − (1 − p)^kinds = rate.
 */
export function faultMix(rate) {
  const p = 1 - (1 - rate) ** (1 / FAULT_KINDS.length);
  return FAULT_KINDS.map((k) => ({ on: 'any', probability: p, ...k }));
}

/**
 * Starts sandbox-child.mjs and waits for its `ready`. `sandboxModule`: the caller's
 * `import.meta.resolve('sunat-gre-sandbox')` (the package that runs the bench has it as a devDependency).
 * Returns the sandbox's URLs and CA, `ask(type)` for `stats`/`audit`, and `close()`, which resolves once the
 * process has exited and its pipes are closed.
 */
export async function forkSandbox(sandboxModule, { client, pendingPolls = 1, faults = [], seed = 1 }) {
  const child = fork(new URL('./sandbox-child.mjs', import.meta.url), {
    env: {
      ...process.env,
      BENCH_SANDBOX_MODULE: sandboxModule,
      BENCH_CLIENT: JSON.stringify(client),
      BENCH_PENDING_POLLS: String(pendingPolls),
      BENCH_FAULTS: JSON.stringify(faults),
      BENCH_SEED: String(seed),
    },
  });
  const ask = (type) =>
    new Promise((resolve) => {
      child.once('message', resolve);
      if (type) child.send({ type });
    });
  const { authUrl, cpeUrl, ca } = await ask();
  return {
    authUrl,
    cpeUrl,
    ca,
    ask,
    close: () =>
      new Promise((resolve) => {
        child.once('close', resolve);
        child.send({ type: 'close' });
      }),
  };
}
