// Writes the figures of the last packaging test (node_modules/.pack-test-figures.json) into each package README,
// between <!-- figures:start --> and <!-- figures:end -->: install size against jose's, and what bundling each
// public function costs. Run `node scripts/pack-test.mjs` first, then `node scripts/pack/readme-figures.mjs`.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { kb } from './bundle.mjs';
import { publishablePackages } from './source.mjs';

const root = resolve(import.meta.dirname, '../..');
const figures = JSON.parse(readFileSync(join(root, 'node_modules', '.pack-test-figures.json'), 'utf8'));
const START = '<!-- figures:start -->';
const END = '<!-- figures:end -->';

for (const { dir, manifest } of publishablePackages(root)) {
  const path = join(dir, 'README.md');
  const readme = readFileSync(path, 'utf8');
  if (!readme.includes(START)) {
    console.log(`${manifest.name}: no ${START} marker, skipped`);
    continue;
  }
  const size = figures.sizes[manifest.name];
  const jose = figures.sizes.jose;
  const lines = [
    START,
    `Install size (npm, measured by the packaging test): **${kb(size.total)}** with its dependencies (${size.packages} packages, peers not counted); the package alone ${kb(size.own)}. For scale: jose, 0 dependencies, ${kb(jose.total)}.`,
    '',
    'What bundling one function adds (esbuild, minified, `platform: node`); functions grouped by the libraries they pull in:',
    '',
    '| entry | functions | bundle | libraries |',
    '| --- | --- | --- | --- |',
  ];
  for (const spec of [
    ...new Set(figures.bundles.filter((b) => b.spec === manifest.name || b.spec.startsWith(`${manifest.name}/`)).map((b) => b.spec)),
  ]) {
    const groups = new Map();
    for (const b of figures.bundles.filter((x) => x.spec === spec)) {
      const key = b.libraries.join(', ');
      groups.set(key, [...(groups.get(key) ?? []), b]);
    }
    for (const [libraries, items] of [...groups].sort(
      (a, b) => Math.min(...a[1].map((i) => i.bytes)) - Math.min(...b[1].map((i) => i.bytes)),
    )) {
      const sizes = items.map((i) => i.bytes);
      const lo = Math.min(...sizes),
        hi = Math.max(...sizes);
      const names = items.map((i) => `\`${i.name}\``).join(', ');
      lines.push(`| \`${spec}\` | ${names} | ${lo === hi ? kb(lo) : `${kb(lo)} – ${kb(hi)}`} | ${libraries || 'none'} |`);
    }
  }
  lines.push(
    '',
    'A function costs about as much as its whole entry: each entry is one file that imports its libraries at the top, and bundlers keep a library that is not marked side-effect free. Checks that must stay light live in their own entries (`/validate`).',
  );
  lines.push(END);
  const next = readme.slice(0, readme.indexOf(START)) + lines.join('\n') + readme.slice(readme.indexOf(END) + END.length);
  writeFileSync(path, next);
  console.log(`${manifest.name}: figures written`);
}
