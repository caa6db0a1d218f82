import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { JwsError, joseSigner, joseVerifier } from '../src/index.js';

describe('alg names that are Object.prototype members', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])('%s is an unsupported alg, not a crash', (alg) => {
    for (const make of [() => joseSigner(privateKey, alg), () => joseVerifier(publicKey, alg)]) {
      expect(make).toThrow(JwsError);
      expect(make).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_ALG' }));
    }
  });
});
