// The packaging test: what a team meets when it installs our packages. Packs every publishable package as npm
// would publish it, installs the tarballs into scratch projects outside the workspace with npm AND pnpm, and
// checks there: every entry under Node ESM, Node CommonJS (without require(esm)), Jest 30 and a `.cts`
// TypeScript consumer; the dual-package hazard; the app's undici 6 and 7 as `dispatcher`; the bundle size of
// every public function (esbuild); the CLIs; install sizes; the README quick starts (scripts/pack/readme.mjs);
// and every RUC/INN in the docs. `--source registry:<url>[#tag]` runs the same against a registry.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { checkBundledEntries, kb, measureBundles, summarizeBundles } from './pack/bundle.mjs';
import { checkClis } from './pack/cli.mjs';
import { addToConsumer, createConsumer } from './pack/consumer.mjs';
import { checkIds } from './pack/ids.mjs';
import { checkJest } from './pack/jest.mjs';
import { checkDualPackage, checkLoad, entrySpecifiers } from './pack/load.mjs';
import { planReadmes, readmeDependencies, runReadmeBlocks, writeReadmeBlocks } from './pack/readme.mjs';
import { run, StepError } from './pack/run.mjs';
import { installSizes } from './pack/sizes.mjs';
import { installSource, publishablePackages } from './pack/source.mjs';
import { typecheck, writeCtsConsumer, writeDispatcherConsumer } from './pack/types.mjs';

const { values: args } = parseArgs({
  options: { source: { type: 'string', default: 'tarballs' }, keep: { type: 'boolean', default: false } },
});
const root = resolve(import.meta.dirname, '..');
const scratch = mkdtempSync(join(tmpdir(), 'edocs-pack-'));
const started = Date.now();
const failures = [];
const figures = {};
const step = (line) => console.log(`  [${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${line}`);
/** Independent checks: a failure is reported and the others still run, so one run shows every problem. */
async function check(fn) {
  try {
    await fn();
  } catch (error) {
    const message = error instanceof StepError ? error.message : (error?.stack ?? String(error));
    failures.push(message);
    console.log(`  [${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] FAILED: ${message.split('\n')[0]}`);
  }
}

try {
  await check(async () => {
    const ids = await checkIds(root);
    if (ids.wrong.length) throw new Error(`RUC/INN that fail their own check digits:\n  ${ids.wrong.join('\n  ')}`);
    step(`RUC/INN in READMEs, docs and source strings: ${ids.checked} checked, all valid`);
  });

  const packages = publishablePackages(root);
  const source = installSource(args.source, { root, scratch, packages });
  step(`source: ${source.label}`);
  const specs = entrySpecifiers(packages);
  // Everything the READMEs' install lines name (undici, jose…), as a team following them would install.
  const readmeDeps = readmeDependencies(root, packages);
  const npm = createConsumer({ dir: join(scratch, 'npm'), pm: 'npm', source, extra: { ...readmeDeps, jest: '^30.0.0' } });
  step(
    `npm consumer installed in ${npm.seconds.toFixed(0)} s (undici ${installedVersion(npm, 'undici')}, jest ${installedVersion(npm, 'jest')})`,
  );
  const pnpm = createConsumer({ dir: join(scratch, 'pnpm'), pm: 'pnpm', source, extra: { ...readmeDeps, undici: '7.0.0' } });
  step(
    `pnpm consumer installed in ${pnpm.seconds.toFixed(0)} s (undici ${installedVersion(pnpm, 'undici')}, the lowest 7.x of the peer range)`,
  );

  const plan = planReadmes(root, packages);
  let exportsBySpec = {};
  const readmeRuns = {};
  const readmeSkipped = [];
  for (const consumer of [npm, pnpm]) {
    await check(() => {
      const loaded = checkLoad(consumer, specs);
      exportsBySpec = loaded.exports;
      step(
        `${consumer.pm}: ${loaded.esm} entries load with Node ESM import(), ${loaded.cjs} with Node CommonJS require() (require(esm) off), same exports`,
      );
    });
    await check(() => {
      checkDualPackage(consumer);
      step(
        `${consumer.pm}: a gost2012 key made through import() signs through require() (gost2012, sber-digest); errors recognised across copies`,
      );
    });
    const cts = writeCtsConsumer(consumer, specs);
    const dispatcher = writeDispatcherConsumer(consumer);
    const blocks = writeReadmeBlocks(consumer, plan);
    const undici = installedVersion(consumer, 'undici');
    await check(() => {
      typecheck(
        root,
        consumer,
        'node16',
        [cts, dispatcher, ...blocks],
        `a .cts consumer of ${specs.length} entries, undici ${undici} Agent as dispatcher, ${blocks.length} README blocks`,
      );
      step(
        `${consumer.pm}: tsc --module node16, skipLibCheck false: ${specs.length} entries from a .cts file, the app's undici ${undici} Agent as dispatcher, ${blocks.length} README blocks`,
      );
    });
    await check(() => {
      typecheck(root, consumer, 'bundler', [dispatcher, ...blocks], `undici ${undici} Agent as dispatcher, ${blocks.length} README blocks`);
      step(`${consumer.pm}: tsc --moduleResolution bundler: undici ${undici} Agent as dispatcher, ${blocks.length} README blocks`);
    });
    await check(async () => {
      const record = (counts) => Object.entries(counts ?? {}).forEach(([name, n]) => (readmeRuns[name] ??= []).push(`${n} ${consumer.pm}`));
      const { counts, skipped } = await runReadmeBlocks(root, consumer, plan).catch((error) => {
        record(error.counts);
        throw error;
      });
      record(counts);
      readmeSkipped.push(...skipped.map((where) => `${consumer.pm}: ${where}`));
      step(`${consumer.pm}: ${Object.values(counts).reduce((a, b) => a + b, 0)} README blocks ran and exited on their own`);
    });
  }
  await check(() => {
    const out = checkJest(npm, specs);
    step(`npm: Jest 30 (CommonJS runtime) loads ${specs.length} entries and signs with gost2012/jws-base64url: ${out}`);
  });
  await check(() =>
    step(
      `npm: CLIs as installed: ${checkClis(npm, packages).join(', ')}: --version prints the version, an unknown flag or a bad number is one line and exit 2`,
    ),
  );

  await check(async () =>
    step(`npm: ${await checkBundledEntries(root, npm, specs)} entries bundled by esbuild (ESM, platform node) load from the bundle`),
  );
  await check(async () => {
    const bundles = await measureBundles(root, npm, exportsBySpec);
    figures.bundles = bundles;
    step(`esbuild bundle of each public function (minified, platform node), ${bundles.length} functions:`);
    for (const line of summarizeBundles(bundles)) step(line);
  });
  await check(() => {
    const sizes = installSizes(
      npm,
      packages.map((p) => p.manifest.name),
    );
    figures.sizes = sizes;
    step('install size (npm; own / with its dependencies, peers excluded):');
    for (const [name, s] of Object.entries(sizes))
      step(`  ${name.padEnd(22)} ${kb(s.own).padStart(9)} / ${kb(s.total).padStart(9)} (${s.packages} packages)`);
    step(`npm ls @noble/hashes: ${nobleHashes(npm)}`);
  });

  // undici 6 in the app (the pnpm consumer: its install is the quicker): its types fit `dispatcher`, and the
  // clients' quick starts run on it (peer range).
  await check(async () => {
    addToConsumer(pnpm, ['undici@6.21.0'], 'pnpm add undici@6.21.0 (consumer)');
    const undici = installedVersion(pnpm, 'undici');
    typecheck(root, pnpm, 'node16', [join(pnpm.dir, 'dispatcher', 'dispatcher.ts')], `undici ${undici} Agent as dispatcher`);
    const clients = planReadmes(root, packages, { only: ['oauth-sunat', 'sunat-gre-client', 'sber-registry-client'] }).map((p) => ({
      ...p,
      runnable: p.runnable.slice(0, 1),
    }));
    const { counts } = await runReadmeBlocks(root, pnpm, clients);
    step(`pnpm with undici ${undici}: its Agent type-checks as dispatcher; quick starts of ${Object.keys(counts).join(', ')} run`);
  });

  step('README blocks (type-checked under node16 and bundler in both consumers):');
  for (const { readme, runnable, partial } of plan)
    step(
      `  ${readme.name.padEnd(22)} ${runnable.length} runnable (runs: ${(readmeRuns[readme.name] ?? []).join(', ') || 'none'}), ${partial} marked partial`,
    );
  if (readmeSkipped.length) step(`*** NOT RUN (REDIS_URL not set), ${readmeSkipped.length}: ${readmeSkipped.join('; ')} ***`);

  // For scripts/pack/readme-figures.mjs, which writes these figures into the READMEs.
  writeFileSync(join(root, 'node_modules', '.pack-test-figures.json'), JSON.stringify(figures, null, 1));
  if (failures.length) {
    console.error(`\npackaging test: ${failures.length} check(s) failed:\n\n${failures.join('\n\n')}`);
    process.exitCode = 1;
  } else console.log(`\npackaging test passed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
} catch (error) {
  console.error(error instanceof StepError ? error.message : error);
  process.exitCode = 1;
} finally {
  if (args.keep) console.log(`scratch kept: ${scratch}`);
  else rmSync(scratch, { recursive: true, force: true });
}

function installedVersion(consumer, name) {
  return run(`${consumer.pm}: version of ${name}`, 'node', ['-p', `require('${name}/package.json').version`], {
    cwd: consumer.dir,
    timeoutMs: 30_000,
  }).trim();
}

function nobleHashes(consumer) {
  const out = run('npm ls @noble/hashes', 'npm', ['ls', '@noble/hashes', '--all', '--parseable', '--long'], {
    cwd: consumer.dir,
    timeoutMs: 60_000,
  });
  const versions = [
    ...new Set(
      out
        .trim()
        .split('\n')
        .map((l) => l.split(':')[1])
        .filter(Boolean),
    ),
  ];
  return versions.join(', ');
}
