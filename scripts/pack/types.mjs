// What a TypeScript consumer meets: the .d.cts of every entry from a CommonJS (.cts) file with skipLibCheck off,
// and our options taking the app's own undici Agent as `dispatcher` (undici is a peer dependency).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './run.mjs';

export function tsc(root) {
  return join(root, 'node_modules/typescript/bin/tsc');
}

function compilerFlags(root, module) {
  const resolution =
    module === 'node16'
      ? ['--module', 'node16', '--moduleResolution', 'node16']
      : ['--module', 'preserve', '--moduleResolution', 'bundler'];
  return ['--noEmit', '--strict', '--target', 'es2022', ...resolution, '--types', 'node', '--typeRoots', join(root, 'node_modules/@types')];
}

/** A `.cts` file that imports every entry: TypeScript resolves them through the `require` condition (.d.cts). */
export function writeCtsConsumer(consumer, specs) {
  const dir = join(consumer.dir, 'cts');
  mkdirSync(dir, { recursive: true });
  const lines = specs.map((s, i) => `import * as m${i} from '${s}';\nvoid m${i};`);
  writeFileSync(join(dir, 'entries.cts'), `${lines.join('\n')}\nexport {};\n`);
  return join(dir, 'entries.cts');
}

/** Passing the app's undici Agent as `dispatcher`: TS2322 when our types see another undici than the app's. */
export function writeDispatcherConsumer(consumer) {
  const dir = join(consumer.dir, 'dispatcher');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'dispatcher.ts'),
    `
import { Agent } from 'undici';
import { createSunatAuth } from 'oauth-sunat';
import { createGreClient } from 'sunat-gre-client';
import { createSberAgent, createSberAuth, createSberClient, memorySberTokenStore } from 'sber-registry-client';
const dispatcher = new Agent();
const auth = createSunatAuth({ clientId: 'id', clientSecret: 's', ruc: '20123456786', solUser: 'MODDATOS', solPassword: 'p', dispatcher });
createGreClient({ auth, dispatcher });
const sberAgent: Agent = createSberAgent({ tls: { cert: 'c', key: 'k' } });
const sber = createSberAuth({ environment: 'test', clientId: 'c', clientSecret: 's', store: memorySberTokenStore(), dispatcher });
createSberClient({ environment: 'test', auth: sber, dispatcher: sberAgent });
export {};
`,
  );
  return join(dir, 'dispatcher.ts');
}

/**
 * `bundler` is module `preserve` + moduleResolution `bundler` (TypeScript's setting for bundled apps), which
 * also accepts the CommonJS README blocks (`import x = require(...)`).
 * One tsc run over many consumer files (tsc's start-up dominates on a loaded machine). `node16` runs with
 * skipLibCheck off, so every .d.ts/.d.cts our packages ship is checked too.
 */
export function typecheck(root, consumer, module, files, what) {
  const lib = module === 'node16' ? ['--skipLibCheck', 'false'] : ['--skipLibCheck', 'true'];
  run(
    `${consumer.pm}: tsc --strict (${module}${module === 'node16' ? ', skipLibCheck false' : ''}) on ${what}`,
    'node',
    [tsc(root), ...compilerFlags(root, module), ...lib, ...files],
    { cwd: consumer.dir, timeoutMs: 180_000 },
  );
}
