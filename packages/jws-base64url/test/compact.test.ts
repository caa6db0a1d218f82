import { inspect } from 'node:util';
import fc from 'fast-check';
import { compactVerify, FlattenedSign, importJWK } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  Base64UrlError,
  base64url,
  JwsError,
  joseSigner,
  joseVerifier,
  parseCompact,
  type Signer,
  signCompact,
  type Verifier,
  verifyCompact,
} from '../src/index.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
const SECRET = new TextEncoder().encode('a-very-secret-hmac-key-0123456789abcdef');
const hs = joseSigner(SECRET, 'HS256');
const hv = joseVerifier(SECRET, 'HS256');
const KID = '8c5f3b1e-2a4d-4c6b-9e7f-0a1b2c3d4e5f';

const b64json = (json: string) => base64url.encode(json);
/** A JWS with an arbitrary header text, signed with the test HMAC key. */
async function withHeaderText(json: string, payload = 'hello'): Promise<string> {
  const input = `${b64json(json)}.${base64url.encode(payload)}`;
  const sig = await hs.sign(new TextEncoder().encode(input));
  return `${input}.${base64url.encode(sig)}`;
}
async function code(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!JwsError.isInstance(error)) throw new Error(`expected a JwsError, got ${String(error)}`);
  return error.code;
}
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('signCompact / verifyCompact', () => {
  it('signs bytes, strings and objects', async () => {
    for (const [payload, expected] of [
      [new Uint8Array([0, 1, 2, 255]), '\u0000\u0001\u0002\ufffd'],
      ['привет', 'привет'],
      [{ a: [1, 'два'] }, '{"a":[1,"два"]}'],
    ] as const) {
      const jws = await signCompact(payload, { protectedHeader: { alg: 'HS256', kid: KID }, signer: hs });
      const result = await verifyCompact(jws, { verifier: hv, requireKidUuid: true });
      expect(text(result.payload)).toBe(expected);
      expect(result.protectedHeader).toEqual({ alg: 'HS256', kid: KID });
    }
  });

  it('refuses payloads that cannot be signed', async () => {
    for (const payload of [42, null, undefined, true, new Uint16Array(2), new ArrayBuffer(2), { toJSON: () => undefined }, { n: 1n }]) {
      expect(await code(signCompact(payload as never, { protectedHeader: { alg: 'HS256' }, signer: hs }))).toBe('BAD_PAYLOAD');
    }
  });

  it('requires alg equal to the signer\'s and never signs alg "none"', async () => {
    expect(await code(signCompact('x', { protectedHeader: {}, signer: hs }))).toBe('BAD_HEADER');
    expect(await code(signCompact('x', { protectedHeader: { alg: 'HS384' }, signer: hs }))).toBe('ALG_MISMATCH');
    expect(
      await code(signCompact('x', { protectedHeader: { alg: 'none' }, signer: { alg: 'none', sign: async () => new Uint8Array() } })),
    ).toBe('ALG_NONE');
    expect(await code(signCompact('x', { protectedHeader: { alg: 'HS256' }, signer: {} as Signer }))).toBe('BAD_OPTIONS');
    expect(await code(signCompact('x', { protectedHeader: '{"alg":"HS256","alg":"HS256"}', signer: hs }))).toBe('DUPLICATE_HEADER');
  });

  it('wraps a failing signer and refuses a non-bytes result', async () => {
    const throwing: Signer = { alg: 'X', sign: async () => Promise.reject(new Error('token unplugged')) };
    const error = await signCompact('x', { protectedHeader: { alg: 'X' }, signer: throwing }).catch((e: JwsError) => e);
    expect(error).toMatchObject({ code: 'SIGNER_FAILED', cause: { message: 'token unplugged' } });
    expect(await code(signCompact('x', { protectedHeader: { alg: 'X' }, signer: { alg: 'X', sign: async () => 'sig' as never } }))).toBe(
      'SIGNER_FAILED',
    );
  });

  it('a hardware-token style callback signer sees exactly the signing input', async () => {
    const seen: Uint8Array[] = [];
    const token: Signer = { alg: 'HS256', sign: async (input) => (seen.push(input), hs.sign(input)) };
    const jws = await signCompact({ id: 1 }, { protectedHeader: { alg: 'HS256' }, signer: token });
    const [h, p] = jws.split('.');
    expect(text(seen[0]!)).toBe(`${h}.${p}`);
    expect(parseCompact(jws).signingInput).toEqual(seen[0]);
  });

  it('refuses alg "none", algorithms not allowed and a verifier of another alg', async () => {
    const none = `${b64json('{"alg":"none"}')}.${base64url.encode('x')}.`;
    expect(await code(verifyCompact(none, { verifier: hv }))).toBe('ALG_NONE');
    expect(await code(verifyCompact(`${`${none}AA`.replace('.AA', '.')}AA`, { verifier: hv, allowNone: true }))).toBe('MALFORMED');
    const jws = await signCompact('x', { protectedHeader: { alg: 'HS256' }, signer: hs });
    expect(await code(verifyCompact(jws, { verifier: hv, algorithms: ['RS256'] }))).toBe('UNSUPPORTED_ALG');
    expect(await code(verifyCompact(jws, { verifier: joseVerifier(SECRET, 'HS384') }))).toBe('ALG_MISMATCH');
    expect(await code(verifyCompact(jws, { verifier: joseVerifier(new TextEncoder().encode('other'), 'HS256') }))).toBe(
      'SIGNATURE_MISMATCH',
    );
    expect(await code(verifyCompact(jws, { verifier: { alg: 'HS256', verify: async () => 'yes' as never } }))).toBe('VERIFIER_FAILED');
    expect(await code(verifyCompact(jws, { verifier: { alg: 'HS256', verify: async () => Promise.reject(new Error('x')) } }))).toBe(
      'VERIFIER_FAILED',
    );
  });

  it('refuses duplicate header names, also escaped and nested ones', async () => {
    for (const json of [
      '{"alg":"HS256","alg":"HS256"}',
      '{"alg":"HS256","\\u0061lg":"HS256"}',
      '{"alg":"HS256","jwk":{"kty":"oct","kty":"oct"}}',
      '{"alg":"HS256","x":[{"a":1,"b":{"c":2},"a":3}]}',
    ]) {
      const error = await verifyCompact(await withHeaderText(json), { verifier: hv }).catch((e: JwsError) => e);
      expect(error).toMatchObject({ code: 'DUPLICATE_HEADER' });
    }
    // equal names in different objects, and look-alike strings in values, are fine
    const ok = await withHeaderText('{"alg":"HS256","a":{"alg":1},"b":[{"alg":2},{"alg":3}],"c":"\\"alg\\":"}');
    await verifyCompact(ok, { verifier: hv });
  });

  it('applies the crit rules of RFC 7515 §4.1.11', async () => {
    const cases: [string, string][] = [
      ['{"alg":"HS256","crit":[]}', 'BAD_HEADER'],
      ['{"alg":"HS256","crit":"exp"}', 'BAD_HEADER'],
      ['{"alg":"HS256","crit":["exp"]}', 'BAD_HEADER'], // listed but absent
      ['{"alg":"HS256","kid":"k","crit":["kid"]}', 'BAD_HEADER'], // registered name
      ['{"alg":"HS256","exp":1,"crit":["exp","exp"]}', 'BAD_HEADER'],
      ['{"alg":"HS256","exp":1,"crit":["exp"]}', 'UNSUPPORTED_CRIT'],
      ['{"alg":"HS256","b64":"no","crit":["b64"]}', 'BAD_HEADER'],
      ['{"alg":"HS256","b64":false}', 'BAD_HEADER'], // b64 must be in crit
      ['{"alg":""}', 'BAD_HEADER'],
      ['{"alg":7}', 'BAD_HEADER'],
      ['["alg"]', 'MALFORMED'],
      ['{"alg":"HS256"', 'MALFORMED'],
    ];
    for (const [json, expected] of cases) {
      expect([json, await code(verifyCompact(await withHeaderText(json), { verifier: hv }))]).toEqual([json, expected]);
    }
    const understood = await withHeaderText('{"alg":"HS256","exp":1,"crit":["exp"]}');
    expect((await verifyCompact(understood, { verifier: hv, crit: ['exp'] })).protectedHeader.exp).toBe(1);
  });

  it('requireKidUuid refuses a missing or non-UUID kid', async () => {
    for (const kid of [undefined, 'abc', 42, `${KID}x`, KID.replaceAll('-', '')]) {
      const jws = await signCompact('x', { protectedHeader: { alg: 'HS256', kid }, signer: hs });
      expect(await code(verifyCompact(jws, { verifier: hv, requireKidUuid: true }))).toBe('BAD_KID');
    }
    const upper = await signCompact('x', { protectedHeader: { alg: 'HS256', kid: KID.toUpperCase() }, signer: hs });
    await verifyCompact(upper, { verifier: hv, requireKidUuid: true });
  });

  it('detached payload (RFC 7515 Appendix F)', async () => {
    const payload = new TextEncoder().encode('{"amount":100}');
    const jws = await signCompact(payload, { protectedHeader: { alg: 'HS256' }, signer: hs, detached: true });
    expect(jws.split('.')[1]).toBe('');
    expect(text((await verifyCompact(jws, { verifier: hv, detachedPayload: payload })).payload)).toBe('{"amount":100}');
    expect(await code(verifyCompact(jws, { verifier: hv, detachedPayload: '{"amount":101}' }))).toBe('SIGNATURE_MISMATCH');
    expect(await code(verifyCompact(jws, { verifier: hv }))).toBe('SIGNATURE_MISMATCH'); // read as an empty payload
    const attached = await signCompact(payload, { protectedHeader: { alg: 'HS256' }, signer: hs });
    expect(await code(verifyCompact(attached, { verifier: hv, detachedPayload: payload }))).toBe('MALFORMED');
    // jose reads our detached JWS the same way
    const key = await importJWK({ kty: 'oct', k: base64url.encode(SECRET) }, 'HS256');
    const [h, , s] = jws.split('.');
    await compactVerify(`${h}.${base64url.encode(payload)}.${s}`, key);
  });

  it('unencoded payload b64:false (RFC 7797), attached and detached, interoperable with jose', async () => {
    const header = { alg: 'HS256', b64: false, crit: ['b64'] };
    const jws = await signCompact('$.02', { protectedHeader: { ...header }, signer: hs, detached: true });
    expect(text((await verifyCompact(jws, { verifier: hv, detachedPayload: '$.02' })).payload)).toBe('$.02');
    const attached = await signCompact('{"x":1}', { protectedHeader: header, signer: hs });
    expect(attached.split('.')[1]).toBe('{"x":1}');
    expect(text((await verifyCompact(attached, { verifier: hv })).payload)).toBe('{"x":1}');
    expect(await code(signCompact('a.b', { protectedHeader: header, signer: hs }))).toBe('BAD_PAYLOAD');
    expect(await code(signCompact(new Uint8Array([0xff]), { protectedHeader: header, signer: hs }))).toBe('BAD_PAYLOAD');
    const key = await importJWK({ kty: 'oct', k: base64url.encode(SECRET) }, 'HS256');
    const flat = await new FlattenedSign(new TextEncoder().encode('{"x":1}')).setProtectedHeader(header).sign(key);
    expect(`${flat.protected}.{"x":1}.${flat.signature}`).toBe(attached); // jose leaves an unencoded payload to the caller
    const verified = await compactVerify(attached, key);
    expect(text(verified.payload)).toBe('{"x":1}');
  });

  it('parseCompact refuses malformed structure with MALFORMED', () => {
    const good = `${b64json('{"alg":"HS256"}')}.${base64url.encode('x')}.AAAA`;
    for (const jws of [
      '',
      'a',
      'a.b',
      'a.b.c.d',
      `.${base64url.encode('x')}.AAAA`,
      good.replace('.AAAA', '.AAA='),
      good.replace('eyJ', 'ey J'),
      `${b64json('{"alg":"HS256"}')}.Zh.AAAA`,
      42,
    ]) {
      expect(() => parseCompact(jws as string)).toThrow(expect.objectContaining({ code: 'MALFORMED' }));
    }
    let error: JwsError | undefined;
    try {
      parseCompact(good.replace('.AAAA', '.AA+A'));
    } catch (e) {
      error = e as JwsError;
    }
    expect(Base64UrlError.isInstance(error?.cause) && error.cause.position).toBe(2);
    expect(error?.message).toContain('signature');
  });

  it('property: parseCompact never throws anything but JwsError on random strings', () => {
    const part = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.constantFrom(
        'eyJhbGciOiJIUzI1NiJ9',
        'e30',
        'bnVsbA',
        'W10',
        'eyJhbGciOiJub25lIn0',
        b64json('{"alg":"x","crit":["b64"],"b64":false}'),
        b64json('{"alg":"x","a":1,"a":2}'),
      ),
      fc.uint8Array({ maxLength: 30 }).map((b) => base64url.encode(b)),
      fc.json().map((j) => base64url.encode(j)),
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.tuple(part, part, part).map((p) => p.join('.')),
          fc.array(part, { maxLength: 5 }).map((p) => p.join('.')),
        ),
        (jws) => {
          try {
            const parsed = parseCompact(jws);
            expect(typeof parsed.protectedHeader.alg).toBe('string');
          } catch (error) {
            expect(JwsError.isInstance(error) || Base64UrlError.isInstance(error)).toBe(true);
          }
        },
      ),
      { numRuns: RUNS * 3 },
    );
  });

  it('property: sign → parse → verify round trips random headers and payloads', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 200 }),
        fc.dictionary(
          fc.string({ minLength: 1, maxLength: 8 }).filter((k) => !['alg', 'crit', 'b64', '__proto__'].includes(k)),
          fc.jsonValue(),
          { maxKeys: 4 },
        ),
        async (payload, extra) => {
          const header = { ...extra, alg: 'HS256' };
          const jws = await signCompact(payload, { protectedHeader: header, signer: hs });
          const result = await verifyCompact(jws, { verifier: hv });
          expect(result.payload).toEqual(payload);
          expect(result.protectedHeader).toEqual(JSON.parse(JSON.stringify(header)));
        },
      ),
      { numRuns: Math.min(RUNS, 300) },
    );
  });

  it('keeps key material out of errors and inspect output', async () => {
    const jwk = { kty: 'oct', k: base64url.encode(SECRET) };
    const signer = joseSigner(jwk, 'HS256');
    const leaks = [base64url.encode(SECRET), 'a-very-secret-hmac-key'];
    const errors = [
      await signCompact('x', { protectedHeader: { alg: 'HS256' }, signer: joseSigner({ ...jwk, alg: 'HS512' }, 'HS256') }).catch((e) => e),
      await signCompact('x', { protectedHeader: { alg: 'RS256' }, signer: joseSigner(jwk, 'RS256') }).catch((e) => e),
      await signCompact('x', { protectedHeader: { alg: 'RS256' }, signer: joseSigner(SECRET, 'RS256') }).catch((e) => e),
    ];
    for (const error of errors) {
      expect(JwsError.isInstance(error) && error.code).toBe('BAD_KEY');
      const shown = [inspect(error, { depth: 10, showHidden: true }), JSON.stringify(error), String(error.stack)].join('\n');
      for (const leak of leaks) expect(shown).not.toContain(leak);
    }
    for (const leak of leaks) expect(inspect(signer, { depth: 10, showHidden: true })).not.toContain(leak);
  });

  it('verifier and signer contracts are plain objects: a custom Verifier works', async () => {
    const custom: Verifier = { alg: 'HS256', verify: (input, sig) => hv.verify(input, sig) };
    const jws = await signCompact('x', { protectedHeader: { alg: 'HS256' }, signer: hs });
    await verifyCompact(jws, { verifier: custom });
  });
});
