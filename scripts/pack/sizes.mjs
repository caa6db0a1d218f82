// Install size per package in an npm consumer: the package alone, and with everything it installs (its
// dependency closure, each package counted once; peers such as undici not counted). jose (0 dependencies)
// is the yardstick.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

function dirSize(dir) {
  let total = 0;
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules') continue;
    const path = join(dir, name);
    const st = statSync(path);
    total += st.isDirectory() ? dirSize(path) : st.size;
  }
  return total;
}

function resolveDir(from, name, top) {
  for (let dir = from; dir.startsWith(top); dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === top) break;
  }
  return undefined;
}

export function installSizes(consumer, names) {
  const top = consumer.dir;
  const sizes = {};
  for (const name of [...names, 'jose']) {
    const seen = new Set();
    const walk = (dir) => {
      if (seen.has(dir)) return;
      seen.add(dir);
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      for (const dep of Object.keys(manifest.dependencies ?? {})) {
        const found = resolveDir(dir, dep, top);
        if (found) walk(found);
      }
    };
    const own = resolveDir(top, name, top);
    walk(own);
    let total = 0;
    for (const dir of seen) total += dirSize(dir);
    sizes[name] = { own: dirSize(own), total, packages: seen.size };
  }
  return sizes;
}
