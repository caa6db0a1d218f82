/**
 * Base of every error family (one per package; see docs/errors.md). A family's base class sets `family`; each
 * class sets `className`. Every instance carries, under `Symbol.for('<family>.error')`, the class names of its
 * chain, so `isInstance` (and `instanceof`, through `Symbol.hasInstance`) holds across duplicated copies of a
 * package (ESM + CJS, two bundles, two versions): a check never depends on which copy made the error.
 * `name` is the class name unless a class says otherwise (aborts use the platform's 'AbortError').
 */
export abstract class BrandedError<Code extends string = string> extends Error {
  /** The family: the Symbol.for key is `${family}.error`. Set once, on the family's base class. */
  static readonly family: string = '';
  /** This class's name in the brand (bundlers may rename classes; this string is what checks compare). */
  static readonly className: string = 'BrandedError';
  abstract readonly code: Code;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    const kinds: string[] = [];
    for (let c: unknown = new.target; typeof c === 'function' && c !== BrandedError; c = Object.getPrototypeOf(c))
      if (Object.hasOwn(c, 'className')) kinds.push((c as typeof BrandedError).className);
    const family = (new.target as unknown as typeof BrandedError).family;
    Object.defineProperty(this, 'name', {
      value: (new.target as unknown as typeof BrandedError).errorName ?? kinds[0],
      enumerable: false,
      writable: true,
      configurable: true,
    });
    Object.defineProperty(this, Symbol.for(`${family}.error`), { value: Object.freeze(kinds), enumerable: false });
  }

  /** `name` of the instances when it is not the class name (e.g. 'AbortError'). */
  static readonly errorName: string | undefined = undefined;

  /**
   * True when `x` was made by this class or a subclass, in any copy of the package. Works detached too
   * (`errors.filter(GostError.isInstance)`, `expect(p).rejects.toSatisfy(X.isInstance)`): it is a getter that
   * returns a check bound to its class (defined below the class).
   */
  declare static readonly isInstance: <T>(
    this: { readonly prototype: T; readonly family: string; readonly className: string },
    x: unknown,
  ) => x is T;

  /** `instanceof` follows `isInstance`, so it too holds across copies of the package. */
  static override [Symbol.hasInstance](x: unknown): boolean {
    return (this as unknown as typeof BrandedError).isInstance(x);
  }
}

/** One bound check per class, made on first use. */
const checks = new WeakMap<object, (x: unknown) => boolean>();
Object.defineProperty(BrandedError, 'isInstance', {
  configurable: true,
  get(this: typeof BrandedError): (x: unknown) => boolean {
    let check = checks.get(this);
    if (check === undefined) {
      const brand = Symbol.for(`${this.family}.error`);
      const className = this.className;
      check = (x) => {
        if (typeof x !== 'object' || x === null) return false;
        const kinds = (x as Record<symbol, unknown>)[brand];
        return Array.isArray(kinds) && kinds.includes(className);
      };
      checks.set(this, check);
    }
    return check;
  },
});
