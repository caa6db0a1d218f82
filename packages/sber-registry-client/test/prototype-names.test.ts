import { describe, expect, it } from 'vitest';
import { parseErrorBody } from '../src/errors.js';
import { SberApiError } from '../src/index.js';

describe('a hostile `cause` that names an Object.prototype member', () => {
  it.each(['constructor', '__proto__', 'toString', 'valueOf'])('%s still gives a SberApiError', (cause) => {
    const e = parseErrorBody(400, JSON.stringify({ cause, message: 'x', referenceId: 'r' }));
    expect(SberApiError.isInstance(e)).toBe(true);
    expect(e.sberCause).toBe(cause);
    expect(e.cause).toBeUndefined();
    expect(e.status).toBe(400);
  });
});
