import { JwsError } from './errors.js';

export type Header = Record<string, unknown>;

/** Parameters RFC 7515 §4.1 and RFC 7518 define: §4.1.11 forbids listing them in crit. */
const REGISTERED = new Set(['alg', 'jku', 'jwk', 'kid', 'x5u', 'x5c', 'x5t', 'x5t#S256', 'typ', 'cty', 'crit']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Parses a header's JSON text: an object, with no member name twice at any depth. */
export function parseHeaderJson(json: string): Header {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (cause) {
    throw new JwsError('MALFORMED', 'JWS protected header is not valid JSON', { cause });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new JwsError('MALFORMED', 'JWS protected header must be a JSON object');
  }
  const duplicate = findDuplicateName(json);
  if (duplicate !== undefined) {
    throw new JwsError(
      'DUPLICATE_HEADER',
      `JWS protected header has the member ${JSON.stringify(duplicate)} more than once (RFC 7515 §4)`,
      { header: duplicate },
    );
  }
  return value as Header;
}

/**
 * JSON.parse keeps the last of two equal member names, so duplicates are found in the text itself. The text
 * is already known to be valid JSON: only strings and brackets matter. Names are compared after unescaping,
 * so "alg" and "\u0061lg" are the same name.
 */
export function findDuplicateName(json: string): string | undefined {
  const stack: (Set<string> | null)[] = []; // a Set per open object, null per open array
  let expectName = false;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c === 0x22 /* " */) {
      let end = i + 1;
      let escaped = false;
      for (; end < json.length; end++) {
        const d = json.charCodeAt(end);
        if (d === 0x5c) {
          end++;
          escaped = true;
        } else if (d === 0x22) break;
      }
      if (expectName) {
        const raw = json.slice(i, end + 1);
        const name = escaped ? (JSON.parse(raw) as string) : raw.slice(1, -1);
        const names = stack[stack.length - 1]!;
        if (names.has(name)) return name;
        names.add(name);
        expectName = false;
      }
      i = end;
    } else if (c === 0x7b /* { */) {
      stack.push(new Set());
      expectName = true;
    } else if (c === 0x5b /* [ */) {
      stack.push(null);
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
    } else if (c === 0x2c /* , */) {
      expectName = stack[stack.length - 1] instanceof Set;
    }
  }
  return undefined;
}

/**
 * The structural rules every protected header obeys (RFC 7515 §4.1.1, §4.1.11; RFC 7797 §3, §6). Returns
 * whether the payload is Base64Url-encoded (b64).
 */
export function checkHeader(header: Header): boolean {
  const { alg, crit, b64 } = header;
  if (typeof alg !== 'string' || alg === '') {
    throw new JwsError('BAD_HEADER', 'JWS header "alg" is required and must be a non-empty string (RFC 7515 §4.1.1)', { header: 'alg' });
  }
  if (crit !== undefined) {
    if (!Array.isArray(crit) || crit.length === 0 || !crit.every((n) => typeof n === 'string' && n !== '')) {
      throw new JwsError('BAD_HEADER', 'JWS header "crit" must be a non-empty array of names (RFC 7515 §4.1.11)', { header: 'crit' });
    }
    if (new Set(crit).size !== crit.length) {
      throw new JwsError('BAD_HEADER', 'JWS header "crit" lists a name twice', { header: 'crit' });
    }
    for (const name of crit as string[]) {
      if (REGISTERED.has(name)) {
        throw new JwsError(
          'BAD_HEADER',
          `JWS header "crit" must not list ${JSON.stringify(name)}, a parameter RFC 7515 defines (§4.1.11)`,
          { header: 'crit' },
        );
      }
      if (header[name] === undefined) {
        throw new JwsError('BAD_HEADER', `JWS header "crit" lists ${JSON.stringify(name)}, which the header does not contain (§4.1.11)`, {
          header: 'crit',
        });
      }
    }
  }
  if (b64 === undefined) return true;
  if (typeof b64 !== 'boolean') throw new JwsError('BAD_HEADER', 'JWS header "b64" must be a boolean (RFC 7797 §3)', { header: 'b64' });
  if (!(crit as string[] | undefined)?.includes('b64')) {
    throw new JwsError('BAD_HEADER', 'JWS header "b64" must be listed in "crit" (RFC 7797 §6)', { header: 'b64' });
  }
  return b64;
}

/** Refuses a crit extension the caller does not understand; b64 is understood by this package. */
export function checkCritUnderstood(header: Header, understood: readonly string[] = []): void {
  const crit = header.crit as string[] | undefined;
  if (crit === undefined) return;
  for (const name of crit) {
    if (name !== 'b64' && !understood.includes(name)) {
      throw new JwsError(
        'UNSUPPORTED_CRIT',
        `JWS header "crit" lists ${JSON.stringify(name)}, an extension not understood (pass it in options.crit once you process it)`,
        { header: 'crit' },
      );
    }
  }
}

export function checkKidUuid(header: Header): void {
  const { kid } = header;
  if (typeof kid !== 'string' || !UUID.test(kid)) {
    throw new JwsError('BAD_KID', 'JWS header "kid" must be a UUID (8-4-4-4-12 hex digits)', { header: 'kid' });
  }
}
