import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let probed: boolean | undefined;

/** True when `openssl … -engine gost` works on this machine (Debian: libengine-gost-openssl). */
export function hasGostEngine(): boolean {
  if (probed === undefined) {
    const r = spawnSync('openssl', ['dgst', '-engine', 'gost', '-md_gost12_256'], { input: '', encoding: 'utf8' });
    probed = r.status === 0 && /[0-9a-f]{64}/.test(r.stdout);
  }
  return probed;
}

/**
 * Decides whether OpenSSL cross-checks run. In CI (CI=true) a missing engine is an error, never a skip;
 * locally the suite is skipped with a loud message naming the package to install.
 */
export function gostEngineOrSkip(): boolean {
  if (hasGostEngine()) return true;
  if (process.env.CI === 'true') {
    throw new Error("CI=true but OpenSSL's GOST engine is missing: apt-get install libengine-gost-openssl");
  }
  console.warn(
    '\n*** SKIPPING OpenSSL GOST cross-checks: the GOST engine is not installed. ' +
      'Install it with `apt-get install libengine-gost-openssl` (CI installs it and runs them). ***\n',
  );
  return false;
}

/** Runs openssl with the given arguments; throws with stderr when it fails. */
export function openssl(args: string[], input?: Uint8Array | string): Buffer {
  const r = spawnSync('openssl', args, { input, maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) {
    throw new Error(`openssl ${args.join(' ')} failed (${r.status}): ${r.stderr.toString()}`);
  }
  return r.stdout;
}

/** Same as `openssl`, but returns whether it exited 0 (for checks that are expected to fail). */
export function opensslOk(args: string[], input?: Uint8Array | string): boolean {
  return spawnSync('openssl', args, { input }).status === 0;
}

/** A scratch folder that is removed by the returned `cleanup`. */
export function scratchDir(prefix = 'edocs-'): {
  dir: string;
  path(name: string): string;
  write(name: string, data: string | Uint8Array): string;
  read(name: string): Buffer;
  cleanup(): void;
} {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    path: (name) => join(dir, name),
    write: (name, data) => {
      const p = join(dir, name);
      writeFileSync(p, data);
      return p;
    },
    read: (name) => readFileSync(join(dir, name)),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** True when a command exists on PATH. */
export function hasCommand(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Same policy as gostEngineOrSkip, for any external tool (xmlsec1, …). */
export function commandOrSkip(cmd: string, debianPackage: string): boolean {
  if (hasCommand(cmd)) return true;
  if (process.env.CI === 'true') throw new Error(`CI=true but \`${cmd}\` is missing: apt-get install ${debianPackage}`);
  console.warn(
    `\n*** SKIPPING checks that need \`${cmd}\`: install it with \`apt-get install ${debianPackage}\` (CI installs it and runs them). ***\n`,
  );
  return false;
}
