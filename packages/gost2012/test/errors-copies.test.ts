import { describe, expect, it } from 'vitest';
import { GostError, publicKeyFromRaw } from '../src/index.js';

describe('GostError across copies of the package', () => {
  it('an error made by a second copy of the module is a GostError here, and instanceof agrees', async () => {
    const copyPath = '../src/errors.ts?copy';
    const copy = (await import(/* @vite-ignore */ copyPath)) as typeof import('../src/errors');
    expect(copy.GostError).not.toBe(GostError); // really another class
    const foreign = new copy.GostError('INVALID_INPUT', 'data must be bytes', { field: 'data' });
    expect(GostError.isInstance(foreign) && foreign instanceof GostError).toBe(true);
    const local = new GostError('INVALID_INPUT', 'x');
    expect(copy.GostError.isInstance(local) && local instanceof copy.GostError).toBe(true);
    expect([foreign.name, foreign.code, foreign.field]).toEqual(['GostError', 'INVALID_INPUT', 'data']);
    expect(GostError.isInstance(new Error('plain')) || GostError.isInstance({ code: 'INVALID_INPUT' })).toBe(false);
  });

  it('a chained cause is an Error (the curve library refusing a point)', () => {
    let caught: unknown;
    try {
      publicKeyFromRaw('cryptopro-a', new Uint8Array(64).fill(7));
    } catch (e) {
      caught = e;
    }
    expect(GostError.isInstance(caught) && caught.code).toBe('POINT_NOT_ON_CURVE');
    expect((caught as GostError).cause).toBeInstanceOf(Error);
  });
});
