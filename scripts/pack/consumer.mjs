// A scratch consumer project outside the workspace, installed as a team would: `npm install` or `pnpm install`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NPM_NETWORK_FLAGS, PNPM_NETWORK_FLAGS, run } from './run.mjs';

export const PNPM = ['-y', 'pnpm@10.34.9'];

/**
 * @param {{ dir: string, pm: 'npm' | 'pnpm', source: { specs: Record<string, string>, flags: string[] }, extra?: Record<string, string> }} o
 */
export function createConsumer({ dir, pm, source, extra = {} }) {
  mkdirSync(dir, { recursive: true });
  const manifest = {
    name: `edocs-consumer-${pm}`,
    private: true,
    type: 'module',
    dependencies: { ...source.specs, ...extra },
    // Our packages' dependencies on each other must come from the same source, not the public registry.
    ...(pm === 'npm' ? { overrides: source.specs } : { pnpm: { overrides: source.specs } }),
  };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  const started = Date.now();
  if (pm === 'npm')
    run('npm install (consumer)', 'npm', ['install', ...NPM_NETWORK_FLAGS, ...source.flags], {
      cwd: dir,
      timeoutMs: 150_000,
      network: true,
    });
  // Not inside our workspace: --ignore-workspace keeps pnpm from walking up to a pnpm-workspace.yaml.
  else
    run('pnpm install (consumer)', 'npx', [...PNPM, 'install', '--ignore-workspace', ...PNPM_NETWORK_FLAGS, ...source.flags], {
      cwd: dir,
      timeoutMs: 150_000,
      network: true,
    });
  return { dir, pm, seconds: (Date.now() - started) / 1000 };
}

export function addToConsumer({ dir, pm }, specs, step) {
  if (pm === 'npm') run(step, 'npm', ['install', ...NPM_NETWORK_FLAGS, ...specs], { cwd: dir, timeoutMs: 120_000, network: true });
  else
    run(step, 'npx', [...PNPM, 'add', '--ignore-workspace', ...PNPM_NETWORK_FLAGS, ...specs], {
      cwd: dir,
      timeoutMs: 120_000,
      network: true,
    });
}
