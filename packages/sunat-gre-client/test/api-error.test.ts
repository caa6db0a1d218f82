import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeSunatCode, GreError, parseApiError, SunatApiError } from '../src/index.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 500);

describe('parseApiError', () => {
  it("the REST spec's shape: numeric cod, items {cod, msg}", () => {
    const e = parseApiError({
      status: 422,
      requestId: 'r-1',
      rawBody: JSON.stringify({
        cod: 422,
        msg: 'Unprocessable',
        errors: [{ cod: 501, msg: 'El valor de codCpe no permitido o no válido' }],
      }),
    });
    expect(e.cod).toBe('422');
    expect(e.errors).toEqual([{ code: '501', message: 'El valor de codCpe no permitido o no válido' }]);
    expect(e.requestId).toBe('r-1');
    expect(e.message).toMatch(/codCpe/);
  });

  it("the seed's shape: string cod, items {codError, desError}, exc kept", () => {
    const raw = JSON.stringify({
      cod: '422',
      msg: 'x',
      exc: 'trace',
      errors: [{ codError: '166', desError: 'Código de ticket no enviado.' }, { codError: '1033' }],
    });
    const e = parseApiError({ status: 422, rawBody: raw });
    expect(e.exc).toBe('trace');
    expect(e.errors[0]).toEqual({ code: '166', message: 'Código de ticket no enviado.' });
    // no text sent: SUNAT's catalogue text
    expect(e.errors[1]).toEqual({
      code: '1033',
      message: 'El comprobante fue registrado previamente con otros datos',
      catalogue: 'El comprobante fue registrado previamente con otros datos',
    });
    expect(e.rawBody).toBe(raw);
  });

  it('general errors and OAuth-style bodies', () => {
    const e = parseApiError({ status: 500, rawBody: '{"cod":"500","msg":"Internal Server Error","exc":"java.lang.NullPointerException"}' });
    expect([e.cod, e.msg, e.exc, e.retryable]).toEqual(['500', 'Internal Server Error', 'java.lang.NullPointerException', true]);
    const o = parseApiError({ status: 401, rawBody: '{"error":"invalid_token","error_description":"expired"}' });
    expect([o.cod, o.msg]).toEqual(['invalid_token', 'expired']);
    expect(o.hint).toMatch(/another SUNAT API/);
  });

  it('a gateway HTML page is a clear GATEWAY_HTML error, not a JSON crash', () => {
    const e = parseApiError({ status: 502, contentType: 'text/html', rawBody: '<html><head><title>502 Bad Gateway</title></head></html>' });
    expect(e.code).toBe('GATEWAY_HTML');
    expect(e.message).toMatch(/HTML page \("502 Bad Gateway"\)/);
    expect(parseApiError({ status: 503, rawBody: '' }).code).toBe('BAD_RESPONSE');
    expect(parseApiError({ status: 400, rawBody: '[1,2]' }).code).toBe('BAD_RESPONSE');
  });

  it('codes are looked up with or without the leading zero', () => {
    expect(describeSunatCode('0151')).toBe('El nombre del archivo ZIP es incorrecto');
    expect(describeSunatCode(151)).toBe('El nombre del archivo ZIP es incorrecto');
    expect(describeSunatCode('99999')).toBeUndefined();
  });

  it('errors have a stable code, a marker and safe JSON', () => {
    const e = parseApiError({ status: 422, rawBody: '{"cod":422}' });
    expect(GreError.isInstance(e) && SunatApiError.isInstance(e)).toBe(true);
    expect(SunatApiError.isInstance(new Error('x'))).toBe(false);
    expect(JSON.parse(JSON.stringify(e))).toMatchObject({ name: 'SunatApiError', code: 'SUNAT_API', status: 422, cod: '422' });
  });
});

describe('property: the error parser never throws and always yields a SunatApiError', () => {
  const check = (status: number, rawBody: string, contentType?: string): boolean => {
    const e = parseApiError({ status, rawBody, contentType });
    return (
      SunatApiError.isInstance(e) &&
      typeof e.cod === 'string' &&
      Array.isArray(e.errors) &&
      e.errors.every((i) => typeof i.code === 'string' && typeof i.message === 'string')
    );
  };

  it('random text', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 599 }), fc.string({ maxLength: 400 }), fc.option(fc.string()), (s, b, ct) =>
        check(s, b, ct ?? undefined),
      ),
      { numRuns: RUNS },
    );
  });

  it('random JSON, including both item shapes with odd types', () => {
    const item = fc.oneof(
      fc.record(
        { cod: fc.oneof(fc.integer(), fc.string(), fc.constant(null)), msg: fc.oneof(fc.string(), fc.integer(), fc.constant(null)) },
        { requiredKeys: [] },
      ),
      fc.record({ codError: fc.oneof(fc.string(), fc.double()), desError: fc.anything() }, { requiredKeys: [] }),
      fc.anything(),
    );
    const body = fc.oneof(
      fc.record(
        { cod: fc.anything(), msg: fc.anything(), exc: fc.anything(), errors: fc.oneof(fc.array(item), fc.anything()) },
        { requiredKeys: [] },
      ),
      fc.jsonValue(),
    );
    fc.assert(
      fc.property(body, (b) => check(422, JSON.stringify(b) ?? '')),
      { numRuns: RUNS },
    );
  });

  it('valid bodies truncated anywhere', () => {
    const raw = JSON.stringify({
      cod: '422',
      msg: 'x',
      exc: null,
      errors: [{ codError: '166', desError: 'Código de ticket no enviado.' }],
    });
    fc.assert(
      fc.property(fc.nat(raw.length), (n) => check(422, raw.slice(0, n))),
      { numRuns: RUNS },
    );
  });
});

describe('codes that name Object.prototype members', () => {
  it('are not in the catalogue and do not break the parser (found by the property above)', () => {
    for (const code of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) expect(describeSunatCode(code)).toBeUndefined();
    const e = parseApiError({
      status: 422,
      rawBody: JSON.stringify({ errors: [{ codError: '__proto__' }, { cod: 'constructor', msg: 'x' }] }),
    });
    expect(e.errors.map((i) => [i.code, typeof i.message])).toEqual([
      ['__proto__', 'string'],
      ['constructor', 'string'],
    ]);
  });
});
