// `node bench/run.mjs`: the HTTP benchmark (registries.mjs). `--soak`: 5,000 registries with 5 % random faults,
// run in a child process with --expose-gc (scripts/soak-supervisor.mjs), which must then exit on its own.
import { supervise } from '../../../scripts/soak-supervisor.mjs';

const registries = new URL('./registries.mjs', import.meta.url);
if (process.argv.includes('--soak')) {
  const { ok } = await supervise(registries, ['--soak']);
  // then the shared refresh chain on Redis (token-chain-soak.mjs): 200 expiries, 8 processes, holders killed
  const chain = await supervise(new URL('./token-chain-soak.mjs', import.meta.url), [], { maxMs: 900_000 });
  if (!ok || !chain.ok) process.exitCode = 1;
} else await import(registries.href);
