// Scaffolds one publishable package the way every package here is laid out. Usage: node scripts/new-package.mjs NAME "description"
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [name, description] = process.argv.slice(2);
if (!name || !description) throw new Error('usage: new-package.mjs NAME "description"');
const dir = join('packages', name);
if (existsSync(dir)) throw new Error(`${dir} exists`);
mkdirSync(join(dir, 'src'), { recursive: true });
mkdirSync(join(dir, 'test'), { recursive: true });
const pkg = {
  name,
  version: '0.0.0',
  description,
  license: 'MIT',
  type: 'module',
  sideEffects: false,
  engines: { node: '>=20.19.0' },
  main: './dist/index.cjs',
  module: './dist/index.js',
  types: './dist/index.d.cts',
  exports: {
    '.': {
      import: { types: './dist/index.d.ts', default: './dist/index.js' },
      require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
    },
    './package.json': './package.json',
  },
  files: ['dist'],
  publishConfig: { access: 'public', provenance: true },
  scripts: {
    build: 'tsup',
    typecheck: 'tsc --noEmit -p .',
    lint: 'publint --strict && attw --pack .',
    test: 'vitest run',
    bench: 'node bench/run.mjs',
  },
  keywords: [],
};
writeFileSync(join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
writeFileSync(
  join(dir, 'tsconfig.json'),
  `${JSON.stringify({ extends: '../../tsconfig.base.json', include: ['src', 'test', 'bench', '*.ts'] }, null, 2)}\n`,
);
writeFileSync(
  join(dir, 'tsup.config.ts'),
  "import { defineConfig } from 'tsup';\nimport { packageBuild } from '../../tsup.base';\n\nexport default defineConfig(packageBuild());\n",
);
writeFileSync(
  join(dir, 'vitest.config.ts'),
  `import { packageTests } from '../../vitest.shared';\n\nexport default packageTests('${name}');\n`,
);
writeFileSync(join(dir, 'src', 'index.ts'), 'export {};\n');
writeFileSync(join(dir, 'README.md'), `# ${name}\n\n${description}\n`);
copyFileSync('LICENSE', join(dir, 'LICENSE'));
