// Where the consumer projects get our packages from: the tarballs packed from this workspace (default), or a
// registry (issue 13: the same checks against what was really published).
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './run.mjs';

export function publishablePackages(root) {
  return readdirSync(join(root, 'packages'))
    .map((dir) => ({
      dir: join(root, 'packages', dir),
      manifest: JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')),
    }))
    .filter(({ manifest }) => !manifest.private);
}

/**
 * `spec`: 'tarballs' (pack the workspace) or 'registry:<url>[#<tag>]'. Returns the dependency specifiers per
 * package name and the extra install flags.
 */
export function installSource(spec, { root, scratch, packages }) {
  if (spec === 'tarballs') {
    const dest = join(scratch, 'tarballs');
    mkdirSync(dest, { recursive: true });
    // pnpm pack rewrites workspace: ranges to real versions, as publishing does; one recursive call packs all.
    run('pnpm pack (every package)', 'npx', ['-y', 'pnpm@10.34.9', '-r', '--filter', './packages/*', 'pack', '--pack-destination', dest], {
      cwd: root,
      timeoutMs: 120_000,
    });
    const specs = {};
    for (const { manifest } of packages) {
      const tgz = join(dest, `${manifest.name.replace(/^@/, '').replace('/', '-')}-${manifest.version}.tgz`);
      if (!existsSync(tgz)) throw new Error(`pnpm pack wrote no ${tgz}`);
      specs[manifest.name] = `file:${tgz}`;
    }
    // Third-party packages come from the registry; --prefer-offline skips re-asking it about what the cache holds.
    return { label: 'packed tarballs', specs, flags: ['--prefer-offline'] };
  }
  const m = /^registry:(https?:\/\/[^#]+)(?:#(.+))?$/.exec(spec);
  if (!m) throw new Error(`--source must be 'tarballs' or 'registry:<url>[#<tag>]', got ${spec}`);
  const tag = m[2] ?? 'latest';
  return {
    label: `${m[1]} (${tag})`,
    specs: Object.fromEntries(packages.map(({ manifest }) => [manifest.name, tag])),
    flags: [`--registry=${m[1]}`],
  };
}
