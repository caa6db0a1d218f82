// The sandboxes' CLIs as installed: --version prints the version; an unknown flag or a bad number is one line
// and exit code 2 (a usage error), never a stack trace.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export function checkClis(consumer, packages) {
  const checked = [];
  for (const { manifest } of packages) {
    for (const bin of Object.keys(manifest.bin ?? {})) {
      const path = join(consumer.dir, 'node_modules', '.bin', bin);
      const version = spawnSync(path, ['--version'], { encoding: 'utf8', timeout: 30_000 });
      if (version.status !== 0 || version.stdout.trim() !== manifest.version) {
        throw new Error(
          `${bin} --version: expected "${manifest.version}" and exit 0, got exit ${version.status}: ${version.stdout}${version.stderr}`,
        );
      }
      const unknown = spawnSync(path, ['--no-such-flag'], { encoding: 'utf8', timeout: 30_000 });
      const lines = unknown.stderr.trim().split('\n');
      if (unknown.status !== 2 || lines.length !== 1 || !lines[0].includes('--no-such-flag') || /\bat /.test(unknown.stderr)) {
        throw new Error(
          `${bin} --no-such-flag: expected one line naming the flag and exit 2, got exit ${unknown.status}:\n${unknown.stderr}`,
        );
      }
      const badValue = spawnSync(path, [bin === 'sunat-gre-sandbox' ? '--pending-polls=x' : '--polls-per-status=x'], {
        encoding: 'utf8',
        timeout: 30_000,
      });
      if (badValue.status !== 2 || badValue.stderr.trim().split('\n').length !== 1) {
        throw new Error(`${bin} with a bad number: expected one line and exit 2, got exit ${badValue.status}:\n${badValue.stderr}`);
      }
      checked.push(bin);
    }
  }
  return checked;
}
