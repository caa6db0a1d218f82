// The packaging test: pack every publishable package as npm would publish it, install the tarballs into a
// scratch project outside the workspace with plain npm, then import() and require() every entry point there.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const scratch = mkdtempSync(join(tmpdir(), 'edocs-pack-'));
const tarballs = join(scratch, 'tarballs');
const project = join(scratch, 'project');

const packages = readdirSync(join(root, 'packages'))
  .map((dir) => ({ dir: join(root, 'packages', dir), manifest: JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) }))
  .filter(({ manifest }) => !manifest.private);

try {
  const files = {};
  for (const { dir, manifest } of packages) {
    // pnpm pack rewrites workspace: ranges to real versions, as publishing does.
    const out = execFileSync('pnpm', ['pack', '--pack-destination', tarballs], { cwd: dir, encoding: 'utf8' });
    const tgz = out.trim().split('\n').pop().trim();
    files[manifest.name] = `file:${existsSync(tgz) ? tgz : join(tarballs, tgz)}`;
  }
  execFileSync('mkdir', ['-p', project]);
  // overrides make npm take our tarballs for the packages' dependencies on each other, not the registry.
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'pack-test', private: true, dependencies: files, overrides: files }, null, 2));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: project, stdio: 'inherit' });

  const checks = [];
  for (const { manifest } of packages) {
    for (const [subpath, target] of Object.entries(manifest.exports)) {
      if (subpath === './package.json' || typeof target !== 'object') continue;
      const specifier = subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`;
      checks.push(specifier);
    }
  }
  const probe = `
    const { createRequire } = require('node:module');
    const specs = ${JSON.stringify(checks)};
    (async () => {
      for (const s of specs) {
        const cjs = require(s);
        const esm = await import(s);
        const cjsKeys = Object.keys(cjs).sort().join(','), esmKeys = Object.keys(esm).filter((k) => k !== 'default').sort().join(',');
        if (cjsKeys !== esmKeys) throw new Error(s + ': require() exports [' + cjsKeys + '] but import() exports [' + esmKeys + ']');
        console.log('  ok ' + s + ' (' + (esmKeys ? esmKeys.split(',').length : 0) + ' exports, import + require)');
      }
    })().catch((e) => { console.error(e); process.exit(1); });`;
  writeFileSync(join(project, 'probe.cjs'), probe);
  execFileSync('node', ['probe.cjs'], { cwd: project, stdio: 'inherit' });
  console.log(`packaging test: ${checks.length} entry points load with import() and require() from packed tarballs`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
