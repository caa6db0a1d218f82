// The release test (`pnpm test:release`): the project's own release flow, run for real against a private registry.
//
// 1. Verdaccio on 127.0.0.1 (free port, storage in a temporary folder; config scripts/release/verdaccio.yaml): our
//    package names live only there, everything else comes through its uplink.
// 2. A scratch clone of HEAD (`pnpm install --frozen-lockfile`), configured as a maintainer configures a registry:
//    `registry=` and an auth token in its .npmrc. There: `pnpm version-packages` (changeset version), then
//    `pnpm release` (build, lint, changeset publish): the root scripts .github/workflows/release.yml runs.
//    npm cannot make provenance outside a CI provider with OIDC, so NPM_CONFIG_PROVENANCE=false turns off the
//    `publishConfig.provenance` of our packages here; .github/workflows/release.yml publishes with it.
// 3. Consumers outside the workspace install every package from the registry with npm and with pnpm: no
//    `workspace:` range left, only dist/ (bin/ for the CLIs), README, LICENSE and CHANGELOG in each tarball, types
//    resolve for import and require (tsc, module node16). Then the README examples runner, when present.
// 4. Independent versions: a minor changeset for one leaf (jws-base64url) releases that leaf and the dependents the
//    workspace graph says must follow, nothing else; a snapshot (`--snapshot next`, `--tag next`) the same, with
//    dist-tag `next` on the snapshot and `latest` unmoved.
// Every step has a time limit and is named when it fails; Verdaccio and every child are killed on every exit path.
// RELEASE_TEST_KEEP=1 keeps the scratch folder (its path is printed) for a look after a failure.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import semver from 'semver';
import { entrySpecifiers } from './pack/load.mjs';

const root = resolve(import.meta.dirname, '..');
const started = Date.now();
const scratch = mkdtempSync(join(tmpdir(), 'edocs-release-'));
const keep = process.env.RELEASE_TEST_KEEP === '1';
const LEAF = 'jws-base64url';
const SNAPSHOT_LEAF = 'sber-digest';
const DEP_FIELDS = ['dependencies', 'optionalDependencies', 'peerDependencies'];

// ── processes: every child runs in its own process group, killed whole when its step ends or this script exits.
const groups = new Set();
const killGroup = (pid, signal = 'SIGKILL') => {
  try {
    process.kill(-pid, signal);
  } catch {}
};
process.on('exit', () => {
  for (const pid of groups) killGroup(pid);
  if (keep) console.log(`release test: scratch folder kept: ${scratch}`);
  else rmSync(scratch, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    console.error(`release test: ${signal} received, stopping Verdaccio and every child`);
    process.exit(1);
  });
}

class StepError extends Error {
  constructor(message, output = '') {
    super(message);
    this.output = output;
  }
}

// The environment of every child: ours, not the npm_* variables of the `pnpm test:release` that started us.
let registry = '';
function childEnv(extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(npm_(config|package|lifecycle)_|PNPM_SCRIPT_SRC_DIR$)/i.test(k)) env[k] = v;
  const merged = {
    ...env,
    TURBO_TELEMETRY_DISABLED: '1',
    TURBO_NO_UPDATE_NOTIFIER: '1',
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    // A stalled registry fails the step instead of hanging it.
    npm_config_fetch_timeout: '60000',
    npm_config_fetch_retries: '2',
    npm_config_fetch_retry_maxtimeout: '20000',
    // changeset publish asks the registry in npm_config_registry which versions exist, then publishes there.
    ...(registry ? { npm_config_registry: registry } : {}),
    // The repository's .npmrc asks for provenance on every publish; there is no OIDC provider here to make it, so
    // this run turns it off through configuration, as documented in the .npmrc. The release workflow keeps it.
    NPM_CONFIG_PROVENANCE: 'false',
    ...extra,
  };
  for (const [k, v] of Object.entries(merged)) if (v === undefined) delete merged[k];
  return merged;
}

/** Runs one named step with a time limit; its output is kept and shown only when it fails. */
function run(step, cmd, args, { cwd, timeoutS, env = {}, show = false }) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { cwd, env: childEnv(env), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    groups.add(child.pid);
    let output = '';
    let timedOut = false;
    let exit;
    const collect = (chunk) => {
      output += chunk;
      if (show) process.stdout.write(chunk);
      if (output.length > 400_000) output = output.slice(-200_000);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, timeoutS * 1000);
    const settle = () => {
      clearTimeout(timer);
      killGroup(child.pid); // anything the step left behind in its group
      groups.delete(child.pid);
      const what = `${cmd} ${args.join(' ')} (in ${cwd})`;
      if (timedOut) reject(new StepError(`step "${step}" did not finish within ${timeoutS}s: ${what}`, output));
      else if (exit.code !== 0) reject(new StepError(`step "${step}" failed (exit ${exit.code ?? exit.signal}): ${what}`, output));
      else resolvePromise(output);
    };
    child.on('error', (error) => {
      clearTimeout(timer);
      groups.delete(child.pid);
      reject(new StepError(`step "${step}" could not start ${cmd}: ${error.message}`));
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      // A grandchild that keeps our pipes open must not hold the step: settle shortly after the exit anyway.
      const grace = setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        settle();
      }, 5000);
      child.on('close', () => {
        clearTimeout(grace);
        settle();
      });
    });
  });
}

async function step(name, fn) {
  const t0 = Date.now();
  console.log(`release test: ── ${name}`);
  const result = await fn();
  console.log(`release test:    ${name}: done in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  return result;
}

// What a consumer gets is checked in full even when one check fails: those failures are collected, reported
// together at the end, and fail the test; the release flow itself stops at its first failure.
const findings = [];
async function consumerCheck(name, fn) {
  try {
    return await step(name, fn);
  } catch (error) {
    if (!(error instanceof StepError)) throw error;
    if (error.output) console.error(error.output.split('\n').slice(-30).join('\n'));
    console.error(`release test:    FAILED: ${error.message}`);
    findings.push(`${name}: ${error.message}`);
  }
}

function check(condition, message) {
  if (!condition) throw new StepError(`check failed: ${message}`);
}

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));
const freePort = () =>
  new Promise((res, rej) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => res(port));
    });
    server.on('error', rej);
  });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** fetch with a deadline that names what it was fetching. */
async function get(url, what, init = {}, timeoutMs = 30_000) {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new StepError(`${what}: ${url}: ${error.name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000}s` : error.message}`);
  }
}

/** The workspace's published packages (name, folder, manifest), read from a checkout. */
function workspacePackages(repo) {
  return readdirSync(join(repo, 'packages'))
    .map((dir) => ({ dir: join(repo, 'packages', dir), manifest: readJson(join(repo, 'packages', dir, 'package.json')) }))
    .filter(({ manifest }) => !manifest.private);
}

// ── Verdaccio
async function startRegistry() {
  const dir = join(scratch, 'registry');
  mkdirSync(dir);
  const upstream = (await run('npm config get registry', 'npm', ['config', 'get', 'registry'], { cwd: scratch, timeoutS: 60 })).trim();
  const config = join(dir, 'config.yaml');
  writeFileSync(
    config,
    readFileSync(join(root, 'scripts/release/verdaccio.yaml'), 'utf8').replace(/^(\s+url: )UPSTREAM_REGISTRY$/m, `$1${upstream}`),
  );

  // Our names must be served by this registry alone; anything else must come through the uplink.
  const requireFromVerdaccio = createRequire(createRequire(import.meta.url).resolve('verdaccio/package.json'));
  const { parseConfigFile, getProxiesForPackage } = requireFromVerdaccio('@verdaccio/config');
  const { packages: access } = parseConfigFile(config);
  for (const { manifest } of workspacePackages(root)) {
    check(
      access[manifest.name],
      `scripts/release/verdaccio.yaml has no packages entry for ${manifest.name}: add it (access/publish, no proxy)`,
    );
    check(
      getProxiesForPackage(manifest.name, access).length === 0,
      `scripts/release/verdaccio.yaml proxies ${manifest.name} to an uplink; our names must not be proxied`,
    );
  }
  check(getProxiesForPackage('undici', access).length > 0, 'third-party packages (undici) are not proxied to the uplink');

  let lastError;
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = await freePort();
    const log = join(dir, `verdaccio-${attempt}.log`);
    const fd = openSync(log, 'w');
    const bin = createRequire(import.meta.url).resolve('verdaccio/bin/verdaccio');
    const child = spawn(process.execPath, [bin, '--config', config, '--listen', `127.0.0.1:${port}`], {
      cwd: dir,
      env: childEnv(),
      detached: true,
      stdio: ['ignore', fd, fd],
    });
    groups.add(child.pid);
    let exited = null;
    child.on('exit', (code, signal) => (exited = code ?? signal));
    const url = `http://127.0.0.1:${port}/`;
    // Readiness: /-/ping answers ok. Bounded at 60 s; a port taken between our probe and its bind means a retry.
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && exited === null) {
      try {
        const res = await fetch(`${url}-/ping`, { signal: AbortSignal.timeout(2000) });
        if (res.ok) {
          return {
            url,
            stop: async () => {
              killGroup(child.pid, 'SIGTERM');
              for (let i = 0; i < 50 && exited === null; i++) await sleep(100);
              killGroup(child.pid);
              groups.delete(child.pid);
            },
          };
        }
      } catch {}
      await sleep(200);
    }
    killGroup(child.pid);
    groups.delete(child.pid);
    lastError = `Verdaccio on port ${port} ${exited === null ? 'did not answer /-/ping within 60s' : `exited (${exited})`}:\n${readFileSync(log, 'utf8').slice(-3000)}`;
    if (!/EADDRINUSE/.test(lastError)) break;
  }
  throw new StepError(`step "start Verdaccio" failed: ${lastError}`);
}

/** Registers the publisher, as `npm adduser` does, and returns its token. */
async function addUser() {
  const name = 'release-test';
  const res = await get(`${registry}-/user/org.couchdb.user:${name}`, 'add a publisher to Verdaccio', {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password: `pw-${process.pid}-${Date.now()}`, type: 'user', roles: [] }),
  });
  const body = await res.json().catch(() => ({}));
  check(res.status === 201 && body.token, `Verdaccio did not register the publisher (HTTP ${res.status})`);
  return body.token;
}

/** `npm view` of one package on our registry: its versions and dist-tags (E404: not there). */
async function view(name) {
  const res = await get(`${registry}${name}`, `read ${name} from the registry`);
  if (res.status === 404) return { versions: [], tags: {}, manifests: {} };
  check(res.ok, `the registry answered ${res.status} for ${name}`);
  const doc = await res.json();
  return { versions: Object.keys(doc.versions).sort(semver.compare), tags: doc['dist-tags'], manifests: doc.versions };
}

async function viewAll(names) {
  return Object.fromEntries(await Promise.all(names.map(async (name) => [name, await view(name)])));
}

// ── which packages a set of changesets must release: changesets' rule, computed from the workspace graph
// A dependent (through dependencies, optionalDependencies or peerDependencies; devDependencies never release)
// is released when the next version of what it depends on leaves its range (`workspace:^` = ^current);
// `updateInternalDependencies: "patch"` then rewrites the range of every released dependent. A dependent that is
// released becomes, in turn, a reason for its own dependents. Peer dependents of a minor or major go major.
function expectedReleases(packages, bumps) {
  const byName = new Map(packages.map((p) => [p.manifest.name, p.manifest]));
  const releases = new Map(Object.entries(bumps));
  const queue = [...releases.keys()];
  while (queue.length > 0) {
    const name = queue.shift();
    const current = byName.get(name).version;
    const next = semver.inc(current, releases.get(name));
    for (const [dependent, manifest] of byName) {
      for (const field of DEP_FIELDS) {
        const spec = manifest[field]?.[name];
        if (!spec) continue;
        const range = spec.startsWith('workspace:') ? workspaceRange(spec, current) : spec;
        const type =
          field === 'peerDependencies' && releases.get(name) !== 'patch' ? 'major' : semver.satisfies(next, range) ? null : 'patch';
        if (!type) continue;
        const had = releases.get(dependent);
        if (!had || rank(type) > rank(had)) {
          releases.set(dependent, type);
          queue.push(dependent);
        }
      }
    }
  }
  return releases;
}
const rank = (type) => ['patch', 'minor', 'major'].indexOf(type);
function workspaceRange(spec, version) {
  const range = spec.slice('workspace:'.length);
  return range === '*' ? version : range === '^' || range === '~' ? `${range}${version}` : range;
}

function writeChangeset(repo, file, name, type, summary) {
  writeFileSync(join(repo, '.changeset', file), `---\n"${name}": ${type}\n---\n\n${summary}\n`);
}

/** Compares the registry before and after a publish: exactly `expected` got one new version, the one in package.json. */
function assertRepublished(label, before, after, packages, expected) {
  const republished = [];
  for (const { manifest } of packages) {
    const name = manifest.name;
    const added = after[name].versions.filter((v) => !before[name].versions.includes(v));
    const lost = before[name].versions.filter((v) => !after[name].versions.includes(v));
    check(lost.length === 0, `${label}: ${name} lost versions ${lost.join(', ')}`);
    if (expected.has(name)) {
      check(
        added.length === 1 && added[0] === manifest.version,
        `${label}: ${name} should have got ${manifest.version}, got [${added.join(', ')}]`,
      );
      republished.push(`${name}@${manifest.version}`);
    } else {
      check(added.length === 0, `${label}: ${name} has no changeset and no dependency that left its range, yet got [${added.join(', ')}]`);
    }
  }
  return republished;
}

// ── what a consumer gets
async function checkConsumers(packages) {
  const names = packages.map(({ manifest }) => manifest.name);
  const typescript = readJson(join(root, 'package.json')).devDependencies.typescript;
  const results = {};
  for (const client of ['npm', 'pnpm']) {
    const project = join(scratch, `consumer-${client}`);
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: `consumer-${client}`, private: true, version: '1.0.0' }, null, 2));
    writeFileSync(join(project, '.npmrc'), `registry=${registry}\n`);
    const specs = [...names.map((n) => `${n}@latest`)];
    const dev = [`typescript@${typescript}`, '@types/node@^20.19.0'];
    if (client === 'npm') {
      const opts = { cwd: project, timeoutS: 300, env: { npm_config_cache: join(scratch, 'npm-cache') } };
      await step(`npm install (consumer): ${names.length} packages from the registry`, () =>
        run('npm install (consumer)', 'npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...specs], opts),
      );
      await run(
        'npm install -D typescript (consumer)',
        'npm',
        ['install', '-D', '--no-audit', '--no-fund', '--loglevel=error', ...dev],
        opts,
      );
    } else {
      const opts = {
        cwd: project,
        timeoutS: 300,
        env: { npm_config_store_dir: join(scratch, 'pnpm-store'), npm_config_cache_dir: join(scratch, 'pnpm-cache') },
      };
      await step(`pnpm add (consumer): ${names.length} packages from the registry`, () =>
        run('pnpm add (consumer)', 'pnpm', ['add', ...specs], opts),
      );
      await run('pnpm add -D typescript (consumer)', 'pnpm', ['add', '-D', ...dev], opts);
    }

    // Installed manifests: real versions where the workspace had `workspace:`, and each range met by what got installed.
    await consumerCheck(`${client} consumer: installed manifests carry real versions`, async () => {
      for (const name of names) {
        const manifest = readJson(join(project, 'node_modules', name, 'package.json'));
        for (const field of [...DEP_FIELDS, 'devDependencies']) {
          for (const [dep, range] of Object.entries(manifest[field] ?? {})) {
            check(!range.startsWith('workspace:'), `${client}: ${name}'s ${field}.${dep} is still "${range}"`);
            if (field === 'devDependencies' || !names.includes(dep)) continue;
            check(semver.validRange(range), `${client}: ${name}'s ${field}.${dep} "${range}" is not a semver range`);
            const installed = readJson(join(project, 'node_modules', dep, 'package.json')).version;
            check(semver.satisfies(installed, range), `${client}: ${name} wants ${dep}@${range}, the consumer got ${installed}`);
          }
        }
      }
    });
    for (const module of ['node16', 'nodenext']) {
      await consumerCheck(
        `${client} consumer: types resolve for import (.mts) and require (.cts), module ${module}, skipLibCheck off`,
        () => typeCheck(project, packages, client, module),
      );
    }
    await consumerCheck(`${client} consumer: import() and require() load every entry point`, () => loadCheck(project, packages, client));
    results[client] = project;
  }
  return results;
}

async function typeCheck(project, packages, client, module) {
  const specs = entrySpecifiers(packages);
  const imports = specs.map((s, i) => `import * as p${i} from '${s}';`).join('\n');
  // Each namespace is used, so no import is elided, and a module without types is an error (noImplicitAny).
  const use = `\nexport const all = [${specs.map((_, i) => `p${i}`).join(', ')}];\n`;
  writeFileSync(join(project, 'check-import.mts'), imports + use);
  writeFileSync(join(project, 'check-require.cts'), imports + use);
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        module,
        moduleResolution: module,
        target: 'es2022',
        strict: true,
        noEmit: true,
        types: ['node'],
        skipLibCheck: false,
      },
      files: ['check-import.mts', 'check-require.cts'],
    }),
  );
  await run(
    `tsc (module ${module}) in the ${client} consumer`,
    process.execPath,
    [join(project, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'],
    { cwd: project, timeoutS: 240 },
  );
}

async function loadCheck(project, packages, client) {
  const specs = entrySpecifiers(packages);
  writeFileSync(
    join(project, 'load.cjs'),
    `const specs = ${JSON.stringify(specs)};
(async () => {
  for (const s of specs) {
    const cjs = require(s), esm = await import(s);
    const a = Object.keys(cjs).sort().join(), b = Object.keys(esm).filter((k) => k !== 'default').sort().join();
    if (!a || a !== b) throw new Error(s + ': require() gives [' + a + '], import() gives [' + b + ']');
  }
})().catch((e) => { console.error(e); process.exit(1); });\n`,
  );
  await run(`load entry points in the ${client} consumer`, process.execPath, ['load.cjs'], { cwd: project, timeoutS: 60 });
}

/** Every tarball holds package.json, README, LICENSE, CHANGELOG and dist/ (bin/ for the CLIs), and nothing else. */
async function checkTarballs(packages, views) {
  const dir = join(scratch, 'tarballs');
  mkdirSync(dir);
  const report = [];
  for (const { manifest } of packages) {
    const { name, version } = manifest;
    const meta = views[name].manifests[version];
    const res = await get(meta.dist.tarball, `download ${name}@${version}`);
    check(res.ok, `download of ${name}@${version} answered ${res.status}`);
    const file = join(dir, `${name}-${version}.tgz`);
    const bytes = Buffer.from(await res.arrayBuffer());
    writeFileSync(file, bytes);
    const entries = (await run(`list ${name}'s tarball`, 'tar', ['-tzf', file], { cwd: dir, timeoutS: 30 })).trim().split('\n');
    const hasBin = Boolean(manifest.bin);
    const allowed = (f) =>
      /^package\/(package\.json|README\.md|LICENSE|CHANGELOG\.md)$/.test(f) ||
      f.startsWith('package/dist/') ||
      (hasBin && f.startsWith('package/bin/'));
    const stray = entries.filter((f) => !allowed(f));
    check(
      stray.length === 0,
      `${name}@${version} tarball holds files outside dist/${hasBin ? ', bin/' : ''}, README, LICENSE, CHANGELOG: ${stray.join(', ')}`,
    );
    for (const must of ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md'])
      check(entries.includes(`package/${must}`), `${name}@${version} tarball has no ${must}`);
    check(
      entries.some((f) => f.startsWith('package/dist/')),
      `${name}@${version} tarball has no dist/`,
    );
    if (hasBin)
      for (const target of Object.values(manifest.bin))
        check(entries.includes(`package/${target.replace(/^\.\//, '')}`), `${name}@${version} tarball has no ${target}`);
    check(!JSON.stringify(meta).includes('workspace:'), `${name}@${version} as published still has a workspace: range`);
    for (const key of ['repository', 'homepage', 'bugs', 'keywords', 'license'])
      check(meta[key] && (!Array.isArray(meta[key]) || meta[key].length >= 3), `${name}@${version} is published without ${key}`);
    report.push(`${name}@${version}: ${entries.length} files, tarball ${(bytes.length / 1024).toFixed(1)} KiB`);
  }
  return report;
}

/**
 * The packaging test (scripts/pack-test.mjs) again, now with every package installed from the registry: every
 * entry under each loader, the README quick starts and blocks type-checked and run, with npm and with pnpm.
 */
async function readmeExamples(repo) {
  const out = await step('the packaging test and every README example, installed from the registry', () =>
    run(
      'node scripts/pack-test.mjs --source registry',
      process.execPath,
      ['scripts/pack-test.mjs', '--source', `registry:${registry}#latest`],
      // The scratch clone's copy: it was built by `pnpm release`, which its RUC/INN check imports.
      { cwd: repo, timeoutS: 900, show: true },
    ),
  );
  return out;
}

// ── the test
async function main() {
  const head = (await run('git rev-parse HEAD', 'git', ['rev-parse', 'HEAD'], { cwd: root, timeoutS: 30 })).trim();
  const dirty = (await run('git status', 'git', ['status', '--porcelain'], { cwd: root, timeoutS: 30 })).trim();
  const pnpmVersion = (
    await run('pnpm --version', 'pnpm', ['--version'], { cwd: root, timeoutS: 120 }).catch(() => {
      throw new StepError('pnpm is not on PATH: run this through `npx -y pnpm@10.34.9 test:release`');
    })
  ).trim();
  console.log(
    `release test: HEAD ${head.slice(0, 10)}${dirty ? ' (uncommitted changes are not part of the test: it releases HEAD)' : ''}, pnpm ${pnpmVersion}, scratch ${scratch}`,
  );

  const verdaccio = await step('start Verdaccio on 127.0.0.1 (storage in the scratch folder)', startRegistry);
  try {
    registry = verdaccio.url;
    console.log(`release test:    registry ${registry}`);
    const token = await addUser();

    const repo = join(scratch, 'repo');
    await step('clone HEAD into a scratch folder', () =>
      run('git clone', 'git', ['clone', '--quiet', root, repo], { cwd: scratch, timeoutS: 120 }),
    );
    // How a maintainer points a checkout at a registry (npm login writes the same two lines into ~/.npmrc).
    const host = registry.replace(/^https?:/, '');
    writeFileSync(join(repo, '.npmrc'), `${readFileSync(join(repo, '.npmrc'), 'utf8')}registry=${registry}\n${host}:_authToken=${token}\n`);
    await step('pnpm install --frozen-lockfile (scratch clone)', () =>
      run('pnpm install --frozen-lockfile', 'pnpm', ['install', '--frozen-lockfile', '--reporter=append-only'], {
        cwd: repo,
        timeoutS: 420,
      }),
    );

    // Provenance is required by the checkout's own configuration, and off only through this run's environment.
    const provenance = (env) =>
      run('npm config get provenance', 'npm', ['config', 'get', 'provenance'], { cwd: repo, timeoutS: 60, env }).then((o) => o.trim());
    check(
      (await provenance({ NPM_CONFIG_PROVENANCE: undefined })) === 'true',
      'the repository .npmrc does not require provenance (provenance=true)',
    );
    check((await provenance({})) === 'false', 'NPM_CONFIG_PROVENANCE=false does not turn provenance off');
    console.log(
      'release test:    provenance: required by .npmrc, turned off for this run by NPM_CONFIG_PROVENANCE=false (no OIDC provider here)',
    );

    const names = workspacePackages(repo).map(({ manifest }) => manifest.name);
    const empty = await viewAll(names);
    for (const name of names)
      check(empty[name].versions.length === 0, `${name} is on the fresh registry before any publish: it came from an uplink`);

    // ── first release: every pending changeset
    await step('pnpm version-packages (changeset version: all pending changesets)', () =>
      run('pnpm version-packages', 'pnpm', ['version-packages'], { cwd: repo, timeoutS: 120 }),
    );
    let packages = workspacePackages(repo);
    for (const { manifest } of packages) check(manifest.version !== '0.0.0', `${manifest.name} was not versioned by changeset version`);
    await step('pnpm release (turbo run build lint && changeset publish)', () =>
      run('pnpm release', 'pnpm', ['release'], { cwd: repo, timeoutS: 900 }),
    );
    const first = await viewAll(names);
    const published = assertRepublished('first release', empty, first, packages, new Set(names));
    checkInternalRanges(packages, first);
    for (const { manifest } of packages)
      check(
        first[manifest.name].tags.latest === manifest.version,
        `latest of ${manifest.name} is ${first[manifest.name].tags.latest}, not ${manifest.version}`,
      );
    console.log(`release test:    published: ${published.join(', ')}`);

    const tarballs = await consumerCheck('tarball contents and published manifests', () => checkTarballs(packages, first));
    for (const line of tarballs ?? []) console.log(`release test:      ${line}`);
    await checkConsumers(packages);
    await readmeExamples(repo);

    // ── independent versions: one minor changeset for a leaf
    const bumps = expectedReleases(packages, { [LEAF]: 'minor' });
    writeChangeset(repo, 'release-test-leaf.md', LEAF, 'minor', 'A minor release of one leaf package, made by the release test.');
    await step(`pnpm version-packages (one minor changeset for ${LEAF})`, () =>
      run('pnpm version-packages', 'pnpm', ['version-packages'], { cwd: repo, timeoutS: 120 }),
    );
    packages = workspacePackages(repo);
    await step('pnpm release (after the one-leaf changeset)', () => run('pnpm release', 'pnpm', ['release'], { cwd: repo, timeoutS: 600 }));
    const second = await viewAll(names);
    const republished = assertRepublished(`after a minor of ${LEAF}`, first, second, packages, new Set(bumps.keys()));
    checkInternalRanges(packages, second);
    for (const name of names)
      check(
        second[name].tags.latest === packages.find((p) => p.manifest.name === name).manifest.version,
        `latest of ${name} did not follow its version`,
      );
    console.log(`release test:    expected from the dependency graph: ${[...bumps].map(([n, t]) => `${n} (${t})`).join(', ')}`);
    console.log(`release test:    republished: ${republished.join(', ')}; ${names.length - republished.length} others untouched`);

    // ── snapshot release under the dist-tag next
    const snapBumps = expectedReleases(packages, { [SNAPSHOT_LEAF]: 'minor' });
    writeChangeset(repo, 'release-test-snapshot.md', SNAPSHOT_LEAF, 'minor', 'A snapshot of one leaf package, made by the release test.');
    await step('pnpm version-packages --snapshot next', () =>
      run('pnpm version-packages --snapshot next', 'pnpm', ['version-packages', '--snapshot', 'next'], { cwd: repo, timeoutS: 120 }),
    );
    packages = workspacePackages(repo);
    await step('pnpm release --tag next (turbo run build lint && changeset publish --tag next)', () =>
      run('pnpm release --tag next', 'pnpm', ['release', '--tag', 'next'], { cwd: repo, timeoutS: 600 }),
    );
    const third = await viewAll(names);
    const snapshots = assertRepublished('snapshot', second, third, packages, new Set(snapBumps.keys()));
    checkInternalRanges(packages, third);
    for (const name of names) {
      check(
        third[name].tags.latest === second[name].tags.latest,
        `snapshot moved latest of ${name} from ${second[name].tags.latest} to ${third[name].tags.latest}`,
      );
      const version = packages.find((p) => p.manifest.name === name).manifest.version;
      if (snapBumps.has(name)) {
        check(
          semver.prerelease(version)?.[0]?.toString().startsWith('next'),
          `${name} snapshot version ${version} is not a next prerelease`,
        );
        check(third[name].tags.next === version, `dist-tag next of ${name} is ${third[name].tags.next}, not ${version}`);
        // useCalculatedVersion: a snapshot sorts after the release it previews, never below it.
        check(semver.gt(version, third[name].tags.latest), `snapshot ${name}@${version} sorts below latest ${third[name].tags.latest}`);
      } else check(!third[name].tags.next, `${name} got a next dist-tag without a snapshot`);
    }
    console.log(`release test:    snapshot (dist-tag next; latest unmoved): ${snapshots.join(', ')}`);
  } finally {
    await verdaccio.stop();
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  if (findings.length > 0) throw new StepError(`${findings.length} consumer check(s) failed (${seconds}s):\n  ${findings.join('\n  ')}`);
  console.log(`release test: passed in ${seconds}s`);
}

/** Each released package's internal dependency ranges admit the version of that dependency now published. */
function checkInternalRanges(packages, views) {
  const versions = new Map(packages.map(({ manifest }) => [manifest.name, manifest.version]));
  for (const { manifest } of packages) {
    const published = views[manifest.name].manifests[manifest.version];
    for (const field of DEP_FIELDS) {
      for (const [dep, range] of Object.entries(published?.[field] ?? {})) {
        if (!versions.has(dep)) continue;
        check(
          semver.satisfies(versions.get(dep), range, { includePrerelease: true }),
          `${manifest.name}@${manifest.version} wants ${dep}@${range}, but ${dep} is now ${versions.get(dep)}`,
        );
      }
    }
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    if (error instanceof StepError) {
      if (error.output) console.error(error.output.split('\n').slice(-60).join('\n'));
      console.error(`release test: ${error.message}`);
    } else console.error(error);
    process.exit(1);
  },
);
