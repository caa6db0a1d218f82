import { REDACTED, Redactor } from '@internal/http-core';

/**
 * Secret hygiene. Each SberAuth and SberClient owns a Redactor holding its own secrets (client secret,
 * passphrase: for its whole life; tokens: the latest 4,096), and every error leaves it through that redactor.
 * Nothing is process-wide, so no client evicts another's secrets and an ESM and a CJS copy behave the same.
 */
const SHAPES: RegExp[] = [
  // Sber: "accessToken not found by value =<token>"
  /(by value\s*=\s*)[^\s"',}]+/gi,
  // OAuth fields in JSON or form bodies, and SberTokens' own fields (a token store's error may quote its record)
  /("?(?:access_?token|refresh_?token|reserve_?refresh_?token|id_?token|(?:new_?)?client_?secret|passphrase|password)"?\s*[:=]\s*"?)[^"&\s,}]+/gi,
  /(Bearer\s+)[^\s"',}]+/gi,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
];

const shapes = new Redactor({ patterns: SHAPES });

/** Masks what looks like a secret whatever its value (token fields, Bearer headers, PEM keys). */
export function redactShapes(text: string): string {
  return shapes.redact(text);
}

/** A redactor for one client object: `secrets` for its whole life, tokens as they come, plus the shapes above. */
export function createRedactor(secrets: (string | undefined)[], parent?: Redactor): Redactor {
  return new Redactor({ secrets, patterns: SHAPES, parent });
}

/** Where a SberAuth keeps its redactor, so a SberClient built on it removes the same secrets (any copy of the package). */
export const REDACTOR = Symbol.for('sber-registry-client.redactor');

/** An object whose fields print as `[REDACTED]` in util.inspect / JSON / String. Holds a secret without leaking it. */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return REDACTED;
  }
  toJSON(): string {
    return REDACTED;
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return REDACTED;
  }
}

/** Runs `fn`; an error it throws leaves through `redactor` (message, stack, fields, cause chain). */
export async function guarded<T>(redactor: Redactor, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw redactor.redactError(e);
  }
}
