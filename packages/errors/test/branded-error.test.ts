import { describe, expect, it } from 'vitest';
import { BrandedError } from '../src/index.js';

describe('BrandedError', () => {
  abstract class FamError extends BrandedError<'A' | 'B'> {
    static override readonly family = 'test-family';
    static override readonly className: string = 'FamError';
  }
  class AError extends FamError {
    static override readonly className: string = 'AError';
    readonly code = 'A' as const;
  }
  class BError extends FamError {
    static override readonly className: string = 'BError';
    static override readonly errorName = 'AbortError';
    readonly code = 'B' as const;
  }
  it('isInstance and instanceof follow the brand, also for a copy made by another bundle', () => {
    const a = new AError('x', { cause: new Error('root') });
    expect(a.name).toBe('AError');
    expect((a.cause as Error).message).toBe('root');
    expect(AError.isInstance(a) && FamError.isInstance(a) && a instanceof FamError && a instanceof Error).toBe(true);
    expect(BError.isInstance(a) || a instanceof BError).toBe(false);
    const b = new BError('y');
    expect(b.name).toBe('AbortError');
    expect(b instanceof BError && b instanceof FamError).toBe(true);
    // what another copy of the package would make: the same Symbol.for brand, another class
    const foreign = Object.assign(new Error('z'), { [Symbol.for('test-family.error')]: ['AError', 'FamError'] });
    expect(foreign instanceof AError && FamError.isInstance(foreign)).toBe(true);
    expect(foreign instanceof BError).toBe(false);
  });
});

describe('BrandedError.isInstance detached', () => {
  abstract class FamError extends BrandedError<'A'> {
    static override readonly family = 'test-detached';
    static override readonly className: string = 'FamError';
  }
  class AError extends FamError {
    static override readonly className: string = 'AError';
    readonly code = 'A' as const;
  }
  it('works as a callback, bound to the class it was read from', () => {
    const items: unknown[] = [new AError('x'), new Error('y'), 'z'];
    expect(items.filter(AError.isInstance)).toHaveLength(1);
    const check: (x: unknown) => boolean = FamError.isInstance;
    expect(check(items[0]) && !check(items[1])).toBe(true);
    expect(AError.isInstance).not.toBe(FamError.isInstance);
  });
});
