import { inspect } from 'node:util';

/**
 * Every text an error (or a hook payload) can show a user or a log: message, stack, String(), toJSON(),
 * JSON.stringify and util.inspect (showHidden, deep) of it and of each link of its `cause` chain (and of an
 * AggregateError's `errors`). Pass the result to `expectNoSecret`.
 */
export function surfacesOf(value: unknown): string[] {
  const out: string[] = [];
  const seen = new Set<unknown>();
  const attempt = (fn: () => unknown): void => {
    try {
      const text = fn();
      if (text !== undefined) out.push(String(text));
    } catch (error) {
      out.push(`<threw: ${String(error)}>`);
    }
  };
  const visit = (v: unknown, depth: number): void => {
    if (depth > 10 || seen.has(v)) return;
    if (typeof v === 'object' && v !== null) seen.add(v);
    attempt(() => inspect(v, { depth: 10, showHidden: true, maxStringLength: Infinity, maxArrayLength: Infinity }));
    attempt(() => JSON.stringify(v));
    attempt(() => String(v));
    if (typeof v !== 'object' || v === null) return;
    const e = v as { message?: unknown; stack?: unknown; toJSON?: unknown; cause?: unknown; errors?: unknown };
    attempt(() => e.message);
    attempt(() => e.stack);
    if (typeof e.toJSON === 'function') attempt(() => JSON.stringify((e.toJSON as () => unknown).call(v)));
    if ('cause' in e) visit(e.cause, depth + 1);
    if (Array.isArray(e.errors)) for (const x of e.errors) visit(x, depth + 1);
  };
  visit(value, 0);
  return out;
}

/** A named secret: a string (a password, a token) or bytes (a key scalar). */
export type SecretValue = string | Uint8Array;

const WINDOW = 16;

/**
 * How a secret can show up: as is, URL-encoded, JSON-escaped, and the Base64 / Base64Url / hex of its bytes.
 * The Base64 forms are taken at the three byte alignments, so the secret is also found inside the Base64 of a
 * longer text (e.g. `Basic base64(id:secret)`).
 */
export function secretForms(value: SecretValue): string[] {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value);
  const forms = new Set<string>();
  if (typeof value === 'string') {
    forms.add(value);
    forms.add(encodeURIComponent(value));
    forms.add(JSON.stringify(value).slice(1, -1));
  }
  forms.add(bytes.toString('hex'));
  for (let shift = 0; shift < 3; shift++) {
    const padded = Buffer.concat([Buffer.alloc(shift), bytes]);
    for (const enc of ['base64', 'base64url'] as const) {
      let text = padded.toString(enc).replace(/=+$/, '');
      // the leading and trailing characters mix in bytes that are not the secret's
      if (shift > 0) text = text.slice(4);
      text = text.slice(0, Math.max(0, text.length - 4));
      if (text.length >= WINDOW) forms.add(text);
    }
  }
  return [...forms].filter((f) => f.length >= WINDOW);
}

/**
 * Throws when any text holds a secret, or any run of 16 characters of one of its forms (so a secret cut short
 * by a truncated body still counts). Secrets must be at least 16 characters long and random-looking.
 */
export function expectNoSecret(texts: readonly string[], secrets: Readonly<Record<string, SecretValue>>, where = 'value'): void {
  for (const [name, value] of Object.entries(secrets)) {
    if ((typeof value === 'string' ? value.length : value.length * 2) < WINDOW)
      throw new Error(`secret ${name} is too short to be searched for`);
    for (const form of secretForms(value)) {
      const lower = form.toLowerCase();
      const hex = /^[0-9a-f]+$/.test(lower);
      for (const text of texts) {
        const haystack = hex ? text.toLowerCase() : text;
        const needle = hex ? lower : form;
        for (let i = 0; i + WINDOW <= needle.length; i++) {
          const piece = needle.slice(i, i + WINDOW);
          if (haystack.includes(piece)) {
            const at = haystack.indexOf(piece);
            throw new Error(
              `${where}: secret ${name} leaks (${JSON.stringify(piece)} in …${JSON.stringify(text.slice(Math.max(0, at - 60), at + 60))}…)`,
            );
          }
        }
      }
    }
  }
}

/** Drives a call that must fail and returns what it threw (an Error when it did not throw). */
export async function failureOf(run: () => unknown): Promise<unknown> {
  try {
    const value = await run();
    return new Error(`expected a failure, got ${inspect(value, { depth: 2 })}`);
  } catch (error) {
    return error;
  }
}
