// Jest 30 runs test files as CommonJS with its own module loader (no require(esm)): every entry must load there.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './run.mjs';

export function checkJest(consumer, specs) {
  mkdirSync(join(consumer.dir, 'jest'), { recursive: true });
  writeFileSync(
    join(consumer.dir, 'jest', 'entries.test.cjs'),
    `
    const specs = ${JSON.stringify(specs)};
    test.each(specs)('require(%s) loads', (s) => {
      expect(Object.keys(require(s)).length).toBeGreaterThan(0);
    });
    test('gost2012 signs and jws-base64url encodes under Jest', async () => {
      const gost = require('gost2012');
      const { privateKey, publicKey } = gost.generateKeyPair('tc26-256-a');
      expect(gost.verify(gost.sign('m', privateKey), 'm', publicKey)).toBe(true);
      const jws = require('jws-base64url');
      const signed = await jws.signCompact({ a: 1 }, { protectedHeader: { alg: jws.GOST_JWS_ALG }, signer: jws.gostSigner({ privateKey }) });
      expect((await jws.verifyCompact(signed, { verifier: jws.gostVerifier({ publicKey }) })).protectedHeader.alg).toBe(jws.GOST_JWS_ALG);
      expect(require('sunat-gre-client/validate').isValidRuc('20123456786')).toBe(true);
    });`,
  );
  writeFileSync(
    join(consumer.dir, 'jest.config.cjs'),
    `module.exports = { testEnvironment: 'node', roots: ['<rootDir>/jest'], testMatch: ['**/*.test.cjs'], transform: {} };`,
  );
  const out = run(
    `${consumer.pm}: Jest 30 (CommonJS) loads every entry`,
    'node',
    ['node_modules/jest/bin/jest.js', '--ci', '--json', '--config', 'jest.config.cjs'],
    { cwd: consumer.dir, timeoutMs: 120_000 },
  );
  const report = JSON.parse(out);
  if (report.numFailedTests !== 0 || report.numPassedTests !== specs.length + 1)
    throw new Error(`Jest: ${report.numPassedTests} passed, ${report.numFailedTests} failed`);
  return `${report.numPassedTests} tests passed`;
}
