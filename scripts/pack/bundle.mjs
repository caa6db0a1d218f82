// What each public function costs an app that bundles it: esbuild (the one tsup uses) bundles `export { f }
// from '<entry>'` from the consumer's node_modules, minified, for Node, and we read the output's size.

import { mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { run } from './run.mjs';

export async function measureBundles(root, consumer, exportsBySpec) {
  const esbuild = createRequire(realpathSync(join(root, 'node_modules/tsup/package.json')))('esbuild');
  let contents = '';
  // One context, rebuilt per function: esbuild keeps the parsed node_modules files between rebuilds.
  const ctx = await esbuild.context({
    entryPoints: ['measured-entry'],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    write: false,
    metafile: true,
    logLevel: 'silent',
    plugins: [
      {
        name: 'measured-entry',
        setup(build) {
          build.onResolve({ filter: /^measured-entry$/ }, () => ({ path: 'measured-entry', namespace: 'measured' }));
          build.onLoad({ filter: /.*/, namespace: 'measured' }, () => ({ contents, resolveDir: consumer.dir, loader: 'js' }));
        },
      },
    ],
  });
  const results = [];
  try {
    for (const [spec, names] of Object.entries(exportsBySpec)) {
      for (const name of names) {
        contents = `export { ${name} } from '${spec}';\n`;
        const out = await ctx.rebuild();
        const inputs = Object.keys(out.metafile.inputs);
        const heavy = [
          'undici',
          'node-forge',
          'pkijs',
          '@peculiar',
          'jose',
          '@noble',
          'asn1js',
          'xml-crypto',
          '@xmldom',
          'fast-xml-parser',
          'fflate',
        ].filter((p) => inputs.some((i) => i.includes(`node_modules/${p}/`)));
        results.push({ spec, name, bytes: out.outputFiles[0].contents.length, libraries: heavy });
      }
    }
  } finally {
    await ctx.dispose();
  }
  return results;
}

/**
 * Bundles every entry the way a Node app bundler would (esbuild, ESM output; the usual createRequire banner for
 * the CommonJS dependencies inside) and runs the bundle: the entry must load from it.
 */
export async function checkBundledEntries(root, consumer, specs) {
  const esbuild = createRequire(realpathSync(join(root, 'node_modules/tsup/package.json')))('esbuild');
  const dir = join(consumer.dir, 'bundled');
  mkdirSync(dir, { recursive: true });
  const entries = specs.map((spec, i) => {
    const entry = join(dir, `entry-${i}.mjs`);
    writeFileSync(entry, `import * as m from '${spec}';\nif (Object.keys(m).length === 0) throw new Error('${spec}: no exports');\n`);
    return entry;
  });
  // One build for all entries (esbuild parses each dependency once), then one process that loads every bundle.
  await esbuild.build({
    entryPoints: entries,
    outdir: join(dir, 'out'),
    outExtension: { '.js': '.mjs' },
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'error',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  writeFileSync(join(dir, 'load-all.mjs'), `for (let i = 0; i < ${specs.length}; i++) await import('./out/entry-' + i + '.mjs');\n`);
  run(`${consumer.pm}: run the esbuild bundles of ${specs.length} entries`, 'node', [join(dir, 'load-all.mjs')], {
    cwd: dir,
    timeoutMs: 60_000,
  });
  return specs.length;
}

export function kb(bytes) {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`;
}

/** Per entry: the smallest and the largest function, and what the largest pulls in. */
export function summarizeBundles(results) {
  const bySpec = new Map();
  for (const r of results) bySpec.set(r.spec, [...(bySpec.get(r.spec) ?? []), r]);
  return [...bySpec].map(([spec, rs]) => {
    rs.sort((a, b) => a.bytes - b.bytes);
    const min = rs[0],
      max = rs[rs.length - 1];
    return `  ${spec.padEnd(28)} ${String(rs.length).padStart(3)} exports  ${min.name} ${kb(min.bytes)} … ${max.name} ${kb(max.bytes)}${max.libraries.length ? ` (${max.libraries.join(', ')})` : ''}`;
  });
}
