export const REDACTED = '[REDACTED]';

export interface RedactorOptions {
  /** The secrets the client was created with (client secret, password, passphrase): kept for the redactor's whole life. */
  secrets?: readonly (string | undefined)[];
  /** Shapes of secrets to mask whatever their value (a JWT, `"access_token":"…"`). A capture group 1 is kept as a prefix. */
  patterns?: readonly RegExp[];
  /** How many registered tokens are remembered; past it the oldest token is forgotten (never a creation secret). Default 4096. */
  maxTokens?: number;
  /** Shorter values are not registered: they would mask innocent text. Default 6. */
  minLength?: number;
  /** Another redactor applied as well (a client sharing its token provider's secrets). */
  parent?: Redactor;
}

/**
 * One client's secret hygiene. Each client object owns one: it holds that client's secrets, so two clients (or
 * an ESM and a CJS copy of the package) never share or evict each other's, and nothing is process-wide.
 * Creation secrets are kept for the redactor's life; tokens registered later are bounded (oldest forgotten
 * first), which only matters for a very long-lived client whose old tokens have long expired.
 */
export class Redactor {
  /** Each secret with the other forms it takes once sent (computed once). */
  readonly #secrets = new Map<string, string[]>();
  readonly #tokens = new Map<string, string[]>();
  readonly #patterns: readonly RegExp[];
  readonly #maxTokens: number;
  readonly #minLength: number;
  readonly #parent: Redactor | undefined;

  constructor(o: RedactorOptions = {}) {
    this.#patterns = o.patterns ?? [];
    this.#maxTokens = o.maxTokens ?? 4096;
    this.#minLength = o.minLength ?? 6;
    this.#parent = o.parent;
    for (const s of o.secrets ?? []) this.addSecret(s);
  }

  /** A secret for the redactor's whole life (never evicted): a changed client secret, a passphrase. */
  addSecret(value: string | undefined): void {
    if (typeof value === 'string' && value.length >= this.#minLength) this.#secrets.set(value, encodings(value));
  }

  /** A token seen at run time (access, refresh, id token). Bounded: past `maxTokens` the oldest token is forgotten. */
  addToken(value: string | undefined): void {
    if (typeof value !== 'string' || value.length < this.#minLength || this.#secrets.has(value)) return;
    this.#tokens.delete(value); // re-registering makes it the newest
    if (this.#tokens.size >= this.#maxTokens) this.#tokens.delete(this.#tokens.keys().next().value as string);
    this.#tokens.set(value, encodings(value));
  }

  /** The text without any known secret (as is, URL/form-encoded or JSON-escaped) and without any secret-shaped run. */
  redact(text: string): string {
    let out = text;
    for (const set of [this.#secrets, this.#tokens])
      for (const [s, forms] of set) {
        if (out.includes(s)) out = out.split(s).join(REDACTED);
        for (const form of forms) if (out.includes(form)) out = out.split(form).join(REDACTED);
      }
    for (const p of this.#patterns)
      out = out.replace(p, (_m, prefix: unknown) => (typeof prefix === 'string' ? prefix + REDACTED : REDACTED));
    return this.#parent ? this.#parent.redact(out) : out;
  }

  /**
   * Redacts an error in place before it leaves the client: message, stack, every string (also inside plain
   * objects and arrays) of its own properties, and the same for each error of its `cause` chain.
   */
  redactError<T>(error: T): T {
    this.#redactObject(error, new WeakSet(), 0);
    return error;
  }

  #redactObject(x: unknown, seen: WeakSet<object>, depth: number): void {
    if (typeof x !== 'object' || x === null || seen.has(x) || depth > 8) return;
    seen.add(x);
    if (x instanceof Error && typeof x.stack === 'string') {
      // V8 keeps `stack` as an accessor on some versions: read and write it through the property itself
      const r = this.redact(x.stack);
      if (r !== x.stack) trySet(() => (x.stack = r));
    }
    for (const key of Reflect.ownKeys(x)) {
      const d = Object.getOwnPropertyDescriptor(x, key);
      if (!d || !('value' in d)) continue; // accessors compute from the fields redacted here
      const v: unknown = d.value;
      if (typeof v === 'string') {
        const r = this.redact(v);
        if (r !== v) trySet(() => Object.defineProperty(x, key, { ...d, value: r }));
      } else if (
        typeof v === 'object' &&
        v !== null &&
        (Array.isArray(v) || v instanceof Error || Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null)
      ) {
        this.#redactObject(v, seen, depth + 1);
      } else if (typeof v === 'object' && v !== null && key === 'cause') this.#redactObject(v, seen, depth + 1);
    }
  }
}

/** A frozen or non-configurable property stays as it is (it was not built from a response). */
function trySet(set: () => unknown): void {
  try {
    set();
  } catch {
    // see above
  }
}

/** How a secret appears once sent: URL-encoded, form-encoded (spaces as `+`), JSON-escaped. */
function encodings(s: string): string[] {
  let uri: string | undefined;
  try {
    uri = encodeURIComponent(s);
  } catch {
    uri = undefined; // a lone surrogate cannot be URL-encoded (nor sent so)
  }
  return [...new Set([uri, new URLSearchParams({ x: s }).toString().slice(2), JSON.stringify(s).slice(1, -1)])].filter(
    (f): f is string => !!f && f !== s,
  );
}

/** A JWT (SUNAT's and most OAuth servers' access tokens): masked even before the client knows its value. */
export const JWT_PATTERN = /eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;
