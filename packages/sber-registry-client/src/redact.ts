/**
 * Secret hygiene. Every secret this package handles (client secret, tokens, passphrase, key material) is
 * registered here as it appears, and every text that may leave the package (error messages, raw bodies)
 * goes through `redact`. Sber's own 401 message quotes the access token ("accessToken not found by value =…").
 */
const secrets = new Set<string>();
const REDACTED = '[REDACTED]';
const MAX_SECRETS = 4096;

/** Remembers a secret value so that `redact` removes it from any text. Short values are ignored (false hits). */
export function registerSecret(value: string | undefined): void {
  if (typeof value !== 'string' || value.length < 6) return;
  if (secrets.size >= MAX_SECRETS) secrets.delete(secrets.values().next().value as string);
  secrets.add(value);
}

const PATTERNS: RegExp[] = [
  // Sber: "accessToken not found by value =<token>"
  /(by value\s*=\s*)[^\s"',}]+/gi,
  // OAuth fields in JSON or form bodies
  /("?(?:access_token|refresh_token|id_token|client_secret|new_client_secret|passphrase|password)"?\s*[:=]\s*"?)[^"&\s,}]+/gi,
  /(Bearer\s+)[^\s"',}]+/gi,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
];

export function redact(text: string): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join(REDACTED);
  for (const p of PATTERNS) out = out.replace(p, (_m, prefix: string | undefined) => (typeof prefix === 'string' ? prefix + REDACTED : REDACTED));
  return out;
}

/** An object whose fields print as `[REDACTED]` in util.inspect / JSON / String. Holds a secret without leaking it. */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
    registerSecret(value);
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
