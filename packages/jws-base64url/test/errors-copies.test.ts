import { describe, expect, it } from 'vitest';
import { Base64UrlError, base64url, JwsBase64UrlError, JwsError, parseCompact } from '../src/index.js';

describe('jws-base64url errors across copies of the package', () => {
  it('errors made by a second copy of the module are recognised here, and instanceof agrees', async () => {
    const copyPath = '../src/errors.ts?copy';
    const copy = (await import(/* @vite-ignore */ copyPath)) as typeof import('../src/errors');
    expect(copy.JwsError).not.toBe(JwsError); // really another class
    const jws = new copy.JwsError('MALFORMED', 'not three parts');
    const b64 = new copy.Base64UrlError('PADDING', 3, 'padding is not allowed');
    expect(JwsError.isInstance(jws) && jws instanceof JwsError && jws instanceof JwsBase64UrlError).toBe(true);
    expect(Base64UrlError.isInstance(b64) && b64 instanceof Base64UrlError && JwsBase64UrlError.isInstance(b64)).toBe(true);
    expect(JwsError.isInstance(b64) || b64 instanceof JwsError || Base64UrlError.isInstance(jws)).toBe(false);
    expect(copy.JwsError.isInstance(new JwsError('BAD_KEY', 'x'))).toBe(true);
    expect([jws.name, b64.name, b64.position]).toEqual(['JwsError', 'Base64UrlError', 3]);
    expect(JwsBase64UrlError.isInstance(new Error('plain'))).toBe(false);
  });

  it('a chained cause is an Error (the Base64Url refusal under a MALFORMED JWS)', () => {
    expect(() => base64url.decode('ab=')).toThrow(Base64UrlError);
    let caught: unknown;
    try {
      parseCompact('eyJhbGciOiJIUzI1NiJ9.e30.a*b');
    } catch (e) {
      caught = e;
    }
    expect(JwsError.isInstance(caught) && caught.code).toBe('MALFORMED');
    const cause = (caught as JwsError).cause;
    expect(cause).toBeInstanceOf(Error);
    expect(Base64UrlError.isInstance(cause)).toBe(true);
  });
});
