// The README runner: every ```ts block of every package README and of the root README is type-checked with
// `tsc --strict` (module/moduleResolution node16 and bundler) and run with Node (ESM; CommonJS when the block
// uses require) in the scratch consumers, where our packages come from the chosen install source. A block
// that is deliberately incomplete says so with `<!-- example: partial -->` on the line before its fence; the
// first block of each package README is its quick start and may not be partial. Quick starts talk to the
// sandboxes over loopback and must exit on their own. Every package a runnable block imports must be named
// by that README's install lines (pnpm would not let it resolve otherwise). A block that reads
// `process.env.REDIS_URL` runs against the Redis that REDIS_URL names; without it the block is type-checked but
// not run, with a loud line naming it, and under CI=true that is a failure (as the tests do: testkit redisUrlOrSkip).

import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { basename, join } from 'node:path';
import { runAsync, StepError } from './run.mjs';

const PARTIAL = '<!-- example: partial -->';

export function readmeFiles(root, packages) {
  return [
    ...packages.map(({ dir, manifest }) => ({ name: manifest.name, path: join(dir, 'README.md') })),
    { name: 'root', path: join(root, 'README.md') },
  ];
}

/** The ```lang blocks of a README, each with whether the line before its fence marks it partial. */
export function extractBlocks(markdown, lang) {
  const lines = markdown.split('\n');
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== `\`\`\`${lang}`) continue;
    let end = i + 1;
    while (end < lines.length && lines[end].trim() !== '```') end++;
    let before = i - 1;
    while (before >= 0 && lines[before].trim() === '') before--;
    blocks.push({ line: i + 1, code: lines.slice(i + 1, end).join('\n'), partial: before >= 0 && lines[before].trim() === PARTIAL });
    i = end;
  }
  return blocks;
}

/** `npm install [--save-dev] a b@range` lines of a README → { name: range }. */
export function installLines(markdown) {
  const deps = {};
  for (const block of extractBlocks(markdown, 'sh')) {
    for (const line of block.code.split('\n')) {
      const m = /^npm (?:install|i)\b(.*)$/.exec(line.replace(/#.*/, '').trim());
      if (!m) continue;
      for (const word of m[1].trim().split(/\s+/)) {
        if (!word || word.startsWith('-')) continue;
        const at = word.lastIndexOf('@');
        if (at > 0) deps[word.slice(0, at)] = word.slice(at + 1);
        else deps[word] = 'latest';
      }
    }
  }
  return deps;
}

/** What the READMEs tell a team to install besides our packages (each at the README's range). */
export function readmeDependencies(root, packages) {
  const ours = new Set(packages.map((p) => p.manifest.name));
  const deps = {};
  for (const { path } of readmeFiles(root, packages)) {
    for (const [name, range] of Object.entries(installLines(readFileSync(path, 'utf8')))) if (!ours.has(name)) deps[name] = range;
  }
  return deps;
}

function importedPackages(code) {
  const names = new Set();
  for (const m of code.matchAll(/(?:from\s+|import\s*\(\s*|require\(\s*|import\s+)['"]([^'"]+)['"]/g)) {
    const spec = m[1];
    if (spec.startsWith('.') || spec.startsWith('node:') || builtinModules.includes(spec)) continue;
    names.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
  }
  return [...names];
}

/** Reads every README, checks its shape and install lines, and lists the runnable blocks. */
export function planReadmes(root, packages, { only } = {}) {
  const plan = [];
  for (const readme of readmeFiles(root, packages).filter((r) => !only || only.includes(r.name))) {
    const markdown = readFileSync(readme.path, 'utf8');
    const blocks = extractBlocks(markdown, 'ts');
    if (readme.name !== 'root' && (blocks.length === 0 || blocks[0].partial)) {
      throw new Error(`${readme.name}/README.md: the first \`\`\`ts block must be a complete quick start (not marked partial)`);
    }
    const named = new Set(Object.keys(installLines(markdown)));
    const runnable = blocks
      .filter((b) => !b.partial)
      .map((b, i) => ({
        ...b,
        cjs: /\brequire\(/.test(b.code),
        redis: /process\.env\.REDIS_URL\b/.test(b.code),
        file: `${readme.name}-${i + 1}`,
      }));
    for (const block of runnable) {
      const missing = importedPackages(block.code).filter((p) => !named.has(p));
      if (missing.length)
        throw new Error(
          `${readme.name}/README.md:${block.line}: the block imports ${missing.join(', ')}, which its install lines do not name`,
        );
    }
    plan.push({ readme, runnable, partial: blocks.length - runnable.length });
  }
  return plan;
}

/** Writes the blocks into the consumer (`readme/<package>-<n>.ts`, `.cts` for CommonJS); returns the files. */
export function writeReadmeBlocks(consumer, plan) {
  const dir = join(consumer.dir, 'readme');
  mkdirSync(dir, { recursive: true });
  const files = [];
  for (const { runnable } of plan) {
    for (const block of runnable) {
      const file = join(dir, `${block.file}.${block.cjs ? 'cts' : 'ts'}`);
      writeFileSync(file, `${block.code}\n${block.cjs ? '' : 'export {};\n'}`);
      files.push(file);
    }
  }
  return files;
}

/**
 * Runs every runnable block with Node from the consumer (ESM, or CommonJS), each in its own working folder,
 * three at a time: they spend their time waiting on loopback sockets, and each sandbox takes its own ports.
 * Blocks inherit this process's environment (REDIS_URL among it). Returns the runs per README and the blocks
 * skipped for want of REDIS_URL.
 */
export async function runReadmeBlocks(root, consumer, plan) {
  const esbuild = createRequire(realpathSync(join(root, 'node_modules/tsup/package.json')))('esbuild');
  const dir = join(consumer.dir, 'readme');
  const counts = {};
  const skipped = [];
  const jobs = [];
  const failures = [];
  for (const { readme, runnable } of plan) {
    counts[readme.name] = 0;
    for (const block of runnable) {
      if (block.redis && !process.env.REDIS_URL) {
        const where = `${readme.name}/README.md block at line ${block.line}`;
        if (process.env.CI === 'true') {
          failures.push(
            new StepError(
              `packaging test: ${consumer.pm}: CI=true but REDIS_URL is not set: ${where} needs Redis (apt-get install redis-server; export REDIS_URL=redis://127.0.0.1:PORT)`,
            ),
          );
        } else {
          console.warn(
            `\n*** SKIPPING ${consumer.pm}: ${where} (reads process.env.REDIS_URL): REDIS_URL is not set. Start Redis and export REDIS_URL=redis://127.0.0.1:PORT to run it (CI does). ***\n`,
          );
          skipped.push(where);
        }
        continue;
      }
      const js = (await esbuild.transform(block.code, { loader: 'ts', format: block.cjs ? 'cjs' : 'esm', target: 'node20' })).code;
      const out = join(dir, `${block.file}.${block.cjs ? 'cjs' : 'mjs'}`);
      writeFileSync(out, js);
      const cwd = join(dir, `${block.file}-cwd`);
      mkdirSync(cwd, { recursive: true });
      jobs.push(async () => {
        await runAsync(`${consumer.pm}: run ${readme.name}/README.md block at line ${block.line} (must exit on its own)`, 'node', [out], {
          cwd,
          timeoutMs: 90_000,
        });
        counts[readme.name]++;
      });
    }
  }
  const worker = async () => {
    for (let job = jobs.shift(); job; job = jobs.shift()) await job().catch((e) => failures.push(e));
  };
  await Promise.all([worker(), worker(), worker()]);
  if (failures.length) throw Object.assign(new StepError(failures.map((e) => e.message).join('\n\n')), { counts }); // the runs that passed still count
  return { counts, skipped };
}

// `node scripts/pack/readme.mjs`: print the blocks a README runner would see (for writing READMEs).
if (process.argv[1] && basename(process.argv[1]) === 'readme.mjs') {
  for (const path of process.argv.slice(2)) {
    if (!existsSync(path)) continue;
    for (const b of extractBlocks(readFileSync(path, 'utf8'), 'ts')) console.log(`${path}:${b.line} ${b.partial ? 'partial' : 'RUNNABLE'}`);
  }
}
