import { describe, expect, it } from 'vitest';
import { GENERAL } from '../src/codes.js';
import { SunatSandboxError, startSunatSandbox } from '../src/index.js';
import { CLIENT } from './helpers.js';

describe("the manual's general errors and the sandbox's own options", () => {
  it('the general error table is exactly Anexo I: no status added, none missing', () => {
    expect(Object.keys(GENERAL).map(Number)).toEqual([400, 401, 403, 404, 405, 406, 415, 422, 500, 503]);
    expect(GENERAL[406]).toBe('Not Acceptable - El Recurso no puede responder al Cliente en el Media Type solicitado en el Request');
  });

  it('refuses a malformed fault rule or tokenErrorStyle with SunatSandboxError naming the field', async () => {
    await expect(
      startSunatSandbox({ clients: [CLIENT], tls: false, faults: [{ on: 'nowhere' as never, kind: 'reset' }] }),
    ).rejects.toSatisfy((e) => SunatSandboxError.isInstance(e) && e.field === 'faults.on');
    await expect(startSunatSandbox({ clients: [CLIENT], tls: false, tokenErrorStyle: 'xml' as never })).rejects.toSatisfy(
      (e) => SunatSandboxError.isInstance(e) && e.field === 'tokenErrorStyle',
    );
  });
});
