const MARKER = Symbol.for('sunat-gre-sandbox.error');

/** A sandbox misuse (bad options): thrown to the caller before any socket is opened, never sent over the wire. */
export class SunatSandboxError extends Error {
  readonly [MARKER] = true;
  override readonly name = 'SunatSandboxError';
  constructor(
    readonly code: 'BAD_OPTION',
    message: string,
    /** The option at fault, e.g. `state.documents[2].polls`. */
    readonly field: string,
  ) {
    super(message);
  }
  /** Survives duplicated ESM/CJS copies of the package, unlike `instanceof`. */
  static isInstance(x: unknown): x is SunatSandboxError {
    return typeof x === 'object' && x !== null && (x as Record<symbol, unknown>)[MARKER] === true;
  }
}
