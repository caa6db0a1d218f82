// Every entry point loads under Node's ESM loader and its CommonJS loader, with the same exports. The CommonJS
// run turns off require(esm): a CommonJS entry must not lean on it (Jest and older tools have no such thing).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './run.mjs';

export function entrySpecifiers(packages) {
  const specs = [];
  for (const { manifest } of packages) {
    for (const [subpath, target] of Object.entries(manifest.exports)) {
      if (subpath === './package.json' || typeof target !== 'object') continue;
      specs.push(subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`);
    }
  }
  return specs;
}

export function checkLoad(consumer, specs) {
  writeFileSync(
    join(consumer.dir, 'load-esm.mjs'),
    `
    const out = {};
    for (const s of ${JSON.stringify(specs)}) out[s] = Object.keys(await import(s)).filter((k) => k !== 'default').sort();
    console.log(JSON.stringify(out));`,
  );
  writeFileSync(
    join(consumer.dir, 'load-cjs.cjs'),
    `
    const out = {};
    for (const s of ${JSON.stringify(specs)}) out[s] = Object.keys(require(s)).sort();
    console.log(JSON.stringify(out));`,
  );
  const esm = JSON.parse(run(`${consumer.pm}: import() every entry`, 'node', ['load-esm.mjs'], { cwd: consumer.dir, timeoutMs: 60_000 }));
  const cjs = JSON.parse(
    run(`${consumer.pm}: require() every entry (no require(esm))`, 'node', ['--no-experimental-require-module', 'load-cjs.cjs'], {
      cwd: consumer.dir,
      timeoutMs: 60_000,
    }),
  );
  for (const s of specs) {
    if (esm[s].join(',') !== cjs[s].join(',')) throw new Error(`${s}: require() exports [${cjs[s]}] but import() exports [${esm[s]}]`);
  }
  return { esm: Object.keys(esm).length, cjs: Object.keys(cjs).length, exports: esm };
}

/**
 * The dual-package hazard: an app that imports gost2012 while one of its dependencies requires it holds two
 * copies. Keys and errors made by one must be accepted and recognised by the other.
 */
export function checkDualPackage(consumer) {
  writeFileSync(
    join(consumer.dir, 'dual.mjs'),
    `
    import { createRequire } from 'node:module';
    import assert from 'node:assert/strict';
    const require = createRequire(import.meta.url);
    const esm = await import('gost2012');
    const cjs = require('gost2012');
    assert.notEqual(esm.sign, cjs.sign, 'expected two copies of gost2012 (ESM and CJS)');
    const { privateKey, publicKey } = esm.generateKeyPair('tc26-256-a');
    const signature = cjs.sign('hello', privateKey);
    assert.equal(esm.verify(signature, 'hello', publicKey), true, 'a signature by the CJS copy with an ESM key verifies');
    assert.equal(cjs.verify(esm.sign('hello', privateKey), 'hello', publicKey), true, 'an ESM public key works in the CJS copy');
    assert.equal(cjs.exportPrivateKeyPem(privateKey), esm.exportPrivateKeyPem(privateKey));
    // Through a dependent package that requires the other copy:
    const digest = require('sber-digest');
    const signer = digest.rawGostSigner({ privateKey, certificateUuid: '22a6dd81-103a-4d3a-8e9b-0ba4b527f5f6' });
    const signed = await digest.signDigest('externalId=1', signer);
    assert.equal(typeof signed.base64Encoded, 'string');
    // Errors from one copy are recognised by the other.
    let caught;
    try { cjs.sign('x', { type: 'private', paramSet: 'tc26-256-a', size: 256 }); } catch (e) { caught = e; }
    assert.equal(esm.GostError.isInstance(caught), true, 'GostError.isInstance across copies');
    assert.equal(caught.code, 'INVALID_PRIVATE_KEY');
    const jws = await import('jws-base64url'), jwsCjs = require('jws-base64url');
    try { jwsCjs.base64url.decode('***'); } catch (e) { caught = e; }
    assert.equal(jws.Base64UrlError.isInstance(caught), true, 'Base64UrlError.isInstance across copies');
    console.log('ok');`,
  );
  run(`${consumer.pm}: ESM key used through require() (dual package)`, 'node', ['dual.mjs'], { cwd: consumer.dir, timeoutMs: 60_000 });
}
