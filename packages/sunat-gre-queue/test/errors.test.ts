import { UnrecoverableError } from 'bullmq';
import { GreValidationError } from 'sunat-gre-client';
import { describe, expect, it } from 'vitest';
import {
  createGreQueue,
  documentIdOf,
  GreJobFailedError,
  GreJobPermanentError,
  GreQueueError,
  GreQueueTimeoutError,
  GreQueueValidationError,
} from '../src/index.js';

// Needs no Redis: every check here runs before a connection would be opened.
describe('sunat-gre-queue error family (docs/errors.md)', () => {
  it('bad input and options throw GreQueueValidationError naming the field and the rule, before Redis', () => {
    const e = (() => {
      try {
        documentIdOf({ ruc: '20100070970', type: '09', series: 'F001', number: 1, xml: '<x/>' });
      } catch (x) {
        return x;
      }
      return undefined;
    })();
    expect(GreQueueValidationError.isInstance(e) && GreQueueError.isInstance(e)).toBe(true);
    expect(e instanceof GreQueueValidationError && e instanceof GreQueueError).toBe(true);
    expect(GreValidationError.isInstance(e)).toBe(false);
    expect(e).toMatchObject({ name: 'GreQueueValidationError', code: 'VALIDATION', field: 'series' });
    expect((e as Error).message).toMatch(/^series: must be 4 characters/);
    expect(() => createGreQueue({ connection: 'redis://127.0.0.1:1', attempts: 0 })).toThrow(
      expect.objectContaining({ code: 'VALIDATION', field: 'attempts', rule: 'must be an integer ≥ 1' }),
    );
  });

  it('the brand is a Symbol.for key: a copy of the package made by another bundle is recognised', () => {
    // What another copy (ESM beside CJS) puts on its instances: only the brand, no shared prototype.
    const foreign = Object.assign(new Error('series: bad'), { code: 'VALIDATION' });
    Object.defineProperty(foreign, Symbol.for('sunat-gre-queue.error'), { value: ['GreQueueValidationError', 'GreQueueError'] });
    expect(GreQueueValidationError.isInstance(foreign)).toBe(true);
    expect(foreign instanceof GreQueueError).toBe(true);
    expect(GreJobFailedError.isInstance(foreign)).toBe(false);
  });

  it("a permanent step failure is named 'UnrecoverableError' (BullMQ's test) and keeps the real cause", () => {
    const cause = new Error('SUNAT said 401 invalid_client');
    const e = new GreJobPermanentError('20100070970-09-T001-1', 'refused credentials', { cause });
    expect(e.name).toBe('UnrecoverableError');
    expect(e.name).toBe(new UnrecoverableError('x').name);
    expect(e).toMatchObject({ code: 'PERMANENT', documentId: '20100070970-09-T001-1', cause });
    expect(e.message).toBe('20100070970-09-T001-1: refused credentials');
    expect(GreJobPermanentError.isInstance(e) && GreQueueError.isInstance(e)).toBe(true);
  });

  it('waiting errors carry what they are about', () => {
    const failed = new GreJobFailedError('20100070970-09-T001-2', 'boom');
    expect(failed).toMatchObject({ name: 'GreJobFailedError', code: 'JOB_FAILED', failedReason: 'boom' });
    expect(failed.message).toBe('20100070970-09-T001-2: the job failed: boom');
    const timeout = new GreQueueTimeoutError('20100070970-09-T001-3', 250);
    expect(timeout).toMatchObject({ name: 'GreQueueTimeoutError', code: 'TIMEOUT', timeoutMs: 250 });
  });
});
