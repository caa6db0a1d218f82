import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

// Issue 18.3, checked on what consumers load: the built dist/ (turbo builds before it tests), ESM and CJS, each
// in a fresh Node process so that nothing vitest loaded counts.
const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const node = (args: string[]): unknown => JSON.parse(execFileSync(process.execPath, args, { cwd: dist, encoding: 'utf8' }));

describe('the built entry points', () => {
  beforeAll(() => {
    if (!existsSync(`${dist}index.js`))
      throw new Error('dist/ is missing: build first (npx -y pnpm@10.34.9 turbo run build --filter=sunat-gre-client)');
  });

  it.each([
    [
      'ESM',
      [
        '--input-type=module',
        '-e',
        `
      import { createRequire } from 'node:module';
      const root = await import('./index.js');
      const loadedByRoot = Object.keys(createRequire(import.meta.url).cache).some((k) => k.includes('node-forge'));
      const gre = await import('./gre.js');
      const e = new gre.GreValidationError('issuer.ruc', 'ruc-check-digit', 'bad check digit');
      const loadedByGre = Object.keys(createRequire(import.meta.url).cache).some((k) => k.includes('node-forge'));
      console.log(JSON.stringify({ loadedByRoot, loadedByGre, same: gre.GreValidationError === root.GreValidationError, rootBase: e instanceof root.GreError, rootClass: e instanceof root.GreValidationError, name: e.name }));
    `,
      ],
    ],
    [
      'CJS',
      [
        '-e',
        `
      const root = require('./index.cjs');
      const loadedByRoot = Object.keys(require.cache).some((k) => k.includes('node-forge'));
      const gre = require('./gre.cjs');
      const e = new gre.GreValidationError('issuer.ruc', 'ruc-check-digit', 'bad check digit');
      const loadedByGre = Object.keys(require.cache).some((k) => k.includes('node-forge'));
      console.log(JSON.stringify({ loadedByRoot, loadedByGre, same: gre.GreValidationError === root.GreValidationError, rootBase: e instanceof root.GreError, rootClass: e instanceof root.GreValidationError, name: e.name }));
    `,
      ],
    ],
  ])('%s: one GreValidationError for both entries, instanceof the root GreError; the root does not load node-forge', (_format, args) => {
    expect(node(args)).toEqual({
      loadedByRoot: false,
      loadedByGre: true,
      same: true,
      rootBase: true,
      rootClass: true,
      name: 'GreValidationError',
    });
  });

  it('an error thrown by the /gre entry (a guide it refuses) is instanceof the root GreError in both formats', () => {
    const guide = `{ type: '09', series: 'T001', number: '1' }`;
    const esm = node([
      '--input-type=module',
      '-e',
      `
      const root = await import('./index.js'); const gre = await import('./gre.js');
      let e; try { gre.buildDespatchAdvice(${guide}); } catch (x) { e = x; }
      console.log(JSON.stringify({ base: e instanceof root.GreError, validation: root.GreValidationError.isInstance(e) }));
    `,
    ]);
    const cjs = node([
      '-e',
      `
      const root = require('./index.cjs'); const gre = require('./gre.cjs');
      let e; try { gre.buildDespatchAdvice(${guide}); } catch (x) { e = x; }
      console.log(JSON.stringify({ base: e instanceof root.GreError, validation: root.GreValidationError.isInstance(e) }));
    `,
    ]);
    expect([esm, cjs]).toEqual([
      { base: true, validation: true },
      { base: true, validation: true },
    ]);
  });

  it("submitGuide on the root entry loads the signing code on first use, and its errors are the root's classes", () => {
    const run = `const c = root.createGreClient({ auth: { getToken: async () => 't', invalidate: async () => {} } });
      const e = await c.submitGuide({ type: '09' }, { signing: {} }).then(() => undefined, (x) => x);`;
    const esm = node([
      '--input-type=module',
      '-e',
      `
      const root = await import('./index.js'); ${run}
      console.log(JSON.stringify({ validation: e instanceof root.GreValidationError, name: e && e.name }));
    `,
    ]);
    const cjs = node([
      '-e',
      `(async () => {
      const root = require('./index.cjs'); ${run}
      const forge = Object.keys(require.cache).some((k) => k.includes('node-forge'));
      console.log(JSON.stringify({ validation: e instanceof root.GreValidationError, name: e && e.name, forge }));
    })()`,
    ]);
    expect([esm, cjs]).toEqual([
      { validation: true, name: 'GreValidationError' },
      { validation: true, name: 'GreValidationError', forge: true },
    ]);
  });
});
