import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ActionAccessError,
  DeserializationFaultError,
  JwsExpectedError,
  parseErrorBody,
  ResourceNotFoundError,
  SberApiError,
  SberError,
  SberTimeoutError,
  SberValidationError,
  SignCheckError,
  UnauthorizedError,
  UnavailableResourceError,
  UnknownExceptionError,
  ValidationFaultError,
  WorkflowFaultError,
} from '../src/index.js';
import { createRedactor } from '../src/secrets.js';

const runs = Number(process.env.FUZZ_RUNS ?? 500);

describe('parseErrorBody', () => {
  const cases: [number, string, typeof SberApiError][] = [
    [400, 'DESERIALIZATION_FAULT', DeserializationFaultError],
    [400, 'WORKFLOW_FAULT', WorkflowFaultError],
    [400, 'VALIDATION_FAULT', ValidationFaultError],
    [400, 'SIGN_CHECK_EXCEPTION', SignCheckError],
    [401, 'UNAUTHORIZED', UnauthorizedError],
    [403, 'ACTION_ACCESS_EXCEPTION', ActionAccessError],
    [415, 'JWS_EXCEPTED', JwsExpectedError],
    [500, 'UNKNOWN_EXCEPTION', UnknownExceptionError],
    [503, 'UNAVAILABLE_RESOURCE_EXCEPTION', UnavailableResourceError],
  ];
  it.each(cases)('%i %s → its own class with every field', (status, cause, Ctor) => {
    const body = JSON.stringify({
      cause,
      referenceId: 'ref-1',
      message: 'Ошибка',
      internalErrorCode: 'E1',
      checks: [{ level: 'ERROR', message: 'orgTaxNumber: bad', fields: ['orgTaxNumber'] }],
      fieldNames: ['orgTaxNumber'],
    });
    const e = parseErrorBody(status, body, 'rid-9');
    expect(e).toBeInstanceOf(Ctor);
    expect(Ctor.isInstance(e)).toBe(true);
    expect(SberApiError.isInstance(e)).toBe(true);
    expect(SberError.isInstance(e)).toBe(true);
    expect(SberTimeoutError.isInstance(e)).toBe(false);
    expect(e.cause).toBeUndefined(); // Sber's code is `sberCause`: `cause` is only ever a chained error
    expect(e).toMatchObject({
      status,
      sberCause: cause,
      code: cause,
      message: 'Ошибка',
      referenceId: 'ref-1',
      internalErrorCode: 'E1',
      requestId: 'rid-9',
      fieldNames: ['orgTaxNumber'],
      body,
    });
    expect(e.checks).toEqual([{ level: 'ERROR', message: 'orgTaxNumber: bad', fields: ['orgTaxNumber'] }]);
  });

  it('falls back on the status when there is no cause, and keeps a non-JSON body', () => {
    const e = parseErrorBody(503, '<html>down</html>');
    expect(UnavailableResourceError.isInstance(e)).toBe(true);
    expect(e.cause).toBeUndefined();
    expect(e.code).toBe('HTTP_503');
    expect(e.body).toBe('<html>down</html>');
    expect(ResourceNotFoundError.isInstance(parseErrorBody(404, '{}'))).toBe(true);
    const plain = parseErrorBody(418, 'teapot');
    expect(plain.constructor).toBe(SberApiError);
  });

  it('tells a duplicate from other workflow faults, and says in English what a duplicate means', () => {
    const dup = parseErrorBody(400, JSON.stringify({ cause: 'WORKFLOW_FAULT', message: 'Документ с такими реквизитами уже существует' }));
    expect(dup.message).toMatch(
      /^Документ с такими реквизитами уже существует\. In English: the bank already holds a document with these details .*getState\(externalId\)/,
    );
    const other = parseErrorBody(400, JSON.stringify({ cause: 'WORKFLOW_FAULT', message: 'Не указан идентификатор сертификата подписи' }));
    expect(WorkflowFaultError.isInstance(dup) && dup.isDuplicate).toBe(true);
    expect(WorkflowFaultError.isInstance(other) && other.isDuplicate).toBe(false);
  });

  it('never throws and always yields an SberApiError with the status (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 599 }),
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.object().map((o) => JSON.stringify(o)),
        ),
        (status, body) => {
          const e = parseErrorBody(status, body);
          expect(SberApiError.isInstance(e)).toBe(true);
          expect(e.status).toBe(status);
          expect(typeof e.message).toBe('string');
        },
      ),
      { numRuns: runs },
    );
  });

  it("redacts the access token Sber quotes in its 401 message, and a client's secrets anywhere", () => {
    const token = 'f8ad3141-b7e8-4924-92de-3de4fd0a464e-1';
    const e = parseErrorBody(401, JSON.stringify({ cause: 'UNAUTHORIZED', message: `accessToken not found by value =${token}` }));
    const redactor = createRedactor(['my-very-secret-value']);
    const e2 = redactor.redactError(
      parseErrorBody(500, JSON.stringify({ message: 'echo my-very-secret-value here', refresh_token: 'abcdefghijk' })),
    );
    for (const err of [e, e2]) {
      const all = [err.message, err.stack, err.body, JSON.stringify(err), inspect(err, { depth: 5 })].join('\n');
      expect(all).not.toContain(token);
      expect(all).not.toContain('my-very-secret-value');
      expect(all).not.toContain('abcdefghijk');
    }
    expect(e.message).toContain('[REDACTED]');
  });
});

describe('SberValidationError', () => {
  it('names the field and the rule', () => {
    const e = new SberValidationError('registry.orgTaxNumber', 'inn', { detail: 'must be an INN' });
    expect(e).toMatchObject({ code: 'VALIDATION', field: 'registry.orgTaxNumber', rule: 'inn', name: 'SberValidationError' });
    expect(e.message).toBe('registry.orgTaxNumber: must be an INN (rule: inn)');
    expect(SberValidationError.isInstance(e)).toBe(true);
    expect(SberApiError.isInstance(e)).toBe(false);
    expect(SberValidationError.isInstance({ code: 'VALIDATION' })).toBe(false);
  });
});

describe('redact (property)', () => {
  it("a client's secret never survives in an error message or body, whatever surrounds it", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 8, maxLength: 40 }).filter((x) => x.trim().length >= 8 && !x.includes('[REDACTED]')),
        fc.string(),
        fc.string(),
        (secret, before, after) => {
          const redactor = createRedactor([secret]);
          const e = redactor.redactError(
            parseErrorBody(400, redactor.redact(JSON.stringify({ cause: 'VALIDATION_FAULT', message: `${before}${secret}${after}` }))),
          );
          expect(e.message.includes(secret) || (e.body ?? '').includes(secret)).toBe(false);
        },
      ),
      { numRuns: runs },
    );
  });
});
