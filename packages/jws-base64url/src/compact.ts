import { base64url } from './base64url.js';
import { Base64UrlError, JwsError } from './errors.js';
import { checkCritUnderstood, checkHeader, checkKidUuid, type Header, parseHeaderJson } from './header.js';

/** Produces the signature of a JWS Signing Input: jose's algorithms, GOST, a hardware token behind a callback… */
export interface Signer {
  /** The JWS "alg" this signer produces; must equal the protected header's "alg". */
  alg: string;
  /** Resolves to the raw signature bytes over `signingInput`; a throw or a non-Uint8Array becomes JwsError `SIGNER_FAILED`. */
  sign(signingInput: Uint8Array): Promise<Uint8Array>;
}

/** Checks a signature over a JWS Signing Input; resolves false on a mismatch. */
export interface Verifier {
  /** The JWS "alg" this verifier checks; must equal the token's "alg". */
  alg: string;
  /** Resolves true if `signature` is valid over `signingInput`, false if not; a throw becomes JwsError `VERIFIER_FAILED`. */
  verify(signingInput: Uint8Array, signature: Uint8Array): Promise<boolean>;
}

/** Options of {@link signCompact}. */
export interface SignCompactOptions {
  /** The JWS Protected Header: an object (serialised with JSON.stringify), or its exact JSON text, kept byte for byte. */
  protectedHeader: Record<string, unknown> | string;
  /** Produces the signature; its `alg` must equal the header's "alg" ("none" is refused). */
  signer: Signer;
  /** Leave the payload out of the output (RFC 7515 Appendix F): `header..signature`. */
  detached?: boolean;
}

/** Options of {@link parseCompact}. */
export interface ParseCompactOptions {
  /** The payload of a detached JWS (`header..signature`): the original bytes (or a string, taken as UTF-8). */
  detachedPayload?: Uint8Array | string;
}

/** A JWS Compact Serialization split and decoded by {@link parseCompact}, not yet verified. */
export interface ParsedCompact {
  /** The decoded JWS Protected Header. */
  protectedHeader: Record<string, unknown>;
  /** The payload bytes (Base64Url-decoded, or taken as is when "b64" is false, or the detached payload). */
  payload: Uint8Array;
  /** The decoded signature bytes (empty for alg "none"). */
  signature: Uint8Array;
  /** ASCII(BASE64URL(header) || '.' || payload part): the exact bytes the signature covers. */
  signingInput: Uint8Array;
}

/** Options of {@link verifyCompact}. */
export interface VerifyCompactOptions extends ParseCompactOptions {
  /** Checks the signature; its `alg` must equal the token's "alg". */
  verifier: Verifier;
  /** Allowed "alg" values; default: only the verifier's. */
  algorithms?: string[];
  /** Accept an unsecured JWS (alg "none", empty signature) without checking anything. Default false. */
  allowNone?: boolean;
  /** Refuse a "kid" that is not a UUID (as Sber does). Default false. */
  requireKidUuid?: boolean;
  /** crit extensions the caller understands and processes itself ("b64" is always understood). */
  crit?: string[];
}

const encoder = new TextEncoder();

/** Signs a payload (bytes, a string as UTF-8, or an object as JSON) into a JWS Compact Serialization. */
export async function signCompact(payload: Uint8Array | string | object, options: SignCompactOptions): Promise<string> {
  const { protectedHeader, signer, detached = false } = options ?? ({} as SignCompactOptions);
  checkSigner(signer);
  const [header, headerJson] = readHeader(protectedHeader);
  const b64 = checkHeader(header);
  if (header.alg === 'none') throw new JwsError('ALG_NONE', 'signCompact does not produce unsecured JWS (alg "none")', { header: 'alg' });
  if (header.alg !== signer.alg) {
    throw new JwsError(
      'ALG_MISMATCH',
      `JWS header alg ${JSON.stringify(header.alg)} differs from the signer's ${JSON.stringify(signer.alg)}`,
      { header: 'alg' },
    );
  }
  const bytes = payloadBytes(payload);
  const encodedHeader = base64url.encode(headerJson);
  let encodedPayload: string;
  let signingInput: Uint8Array;
  if (b64) {
    encodedPayload = base64url.encode(bytes);
    signingInput = encoder.encode(`${encodedHeader}.${encodedPayload}`);
  } else {
    encodedPayload = detached ? '' : unencodedPayloadText(bytes);
    signingInput = concat(encoder.encode(`${encodedHeader}.`), bytes);
  }
  const signature = await callSigner(signer, signingInput);
  return `${encodedHeader}.${detached ? '' : encodedPayload}.${base64url.encode(signature)}`;
}

/** Splits and decodes a JWS Compact Serialization without verifying it; throws JwsError on any malformed part. */
export function parseCompact(jws: string, options: ParseCompactOptions = {}): ParsedCompact {
  if (typeof jws !== 'string') throw new JwsError('MALFORMED', 'a compact JWS must be a string');
  const first = jws.indexOf('.');
  const second = first === -1 ? -1 : jws.indexOf('.', first + 1);
  if (second === -1 || jws.indexOf('.', second + 1) !== -1) {
    throw new JwsError('MALFORMED', 'a compact JWS has exactly three parts separated by "."');
  }
  const encodedHeader = jws.slice(0, first);
  const encodedPayload = jws.slice(first + 1, second);
  if (encodedHeader === '') throw new JwsError('MALFORMED', 'the JWS protected header part is empty');
  const header = parseHeaderJson(decodePart(encodedHeader, 'header', true));
  const b64 = checkHeader(header);
  const signature = decodePart(jws.slice(second + 1), 'signature', false);
  const { detachedPayload } = options ?? {};
  if (detachedPayload !== undefined) {
    if (encodedPayload !== '') throw new JwsError('MALFORMED', 'a detached payload was given but the JWS carries its own payload');
    const payload = toBytes(detachedPayload, 'detachedPayload');
    const signingInput = b64
      ? encoder.encode(`${encodedHeader}.${base64url.encode(payload)}`)
      : concat(encoder.encode(`${encodedHeader}.`), payload);
    return { protectedHeader: header, payload, signature, signingInput };
  }
  const payload = b64 ? decodePart(encodedPayload, 'payload', false) : encoder.encode(encodedPayload);
  return { protectedHeader: header, payload, signature, signingInput: encoder.encode(`${encodedHeader}.${encodedPayload}`) };
}

/** Parses, applies the header rules, then checks the signature with the verifier. */
export async function verifyCompact(
  jws: string,
  options: VerifyCompactOptions,
): Promise<{
  /** The verified protected header. */
  protectedHeader: Record<string, unknown>;
  /** The verified payload bytes (the detached payload when one was given). */
  payload: Uint8Array;
}> {
  const {
    verifier,
    algorithms,
    allowNone = false,
    requireKidUuid = false,
    crit,
    detachedPayload,
  } = options ?? ({} as VerifyCompactOptions);
  if (algorithms !== undefined && !(Array.isArray(algorithms) && algorithms.every((a) => typeof a === 'string'))) {
    throw new JwsError('BAD_OPTIONS', 'options.algorithms must be an array of strings');
  }
  if (crit !== undefined && !(Array.isArray(crit) && crit.every((a) => typeof a === 'string'))) {
    throw new JwsError('BAD_OPTIONS', 'options.crit must be an array of strings');
  }
  const { protectedHeader, payload, signature, signingInput } = parseCompact(jws, { detachedPayload });
  checkCritUnderstood(protectedHeader, crit);
  if (requireKidUuid) checkKidUuid(protectedHeader);
  const alg = protectedHeader.alg as string;
  if (alg === 'none') {
    if (!allowNone)
      throw new JwsError('ALG_NONE', 'unsecured JWS (alg "none") refused; pass allowNone: true to accept it', { header: 'alg' });
    if (signature.length !== 0) throw new JwsError('MALFORMED', 'an unsecured JWS must have an empty signature');
    return { protectedHeader, payload };
  }
  if (algorithms !== undefined && !algorithms.includes(alg)) {
    throw new JwsError('UNSUPPORTED_ALG', `JWS alg ${JSON.stringify(alg)} is not among the allowed algorithms`, { header: 'alg' });
  }
  checkVerifier(verifier);
  if (alg !== verifier.alg) {
    throw new JwsError('ALG_MISMATCH', `JWS alg ${JSON.stringify(alg)} differs from the verifier's ${JSON.stringify(verifier.alg)}`, {
      header: 'alg',
    });
  }
  let ok: unknown;
  try {
    ok = await verifier.verify(signingInput, signature);
  } catch (cause) {
    if (JwsError.isInstance(cause)) throw cause;
    throw new JwsError('VERIFIER_FAILED', 'the verifier threw', { cause });
  }
  if (ok === false) throw new JwsError('SIGNATURE_MISMATCH', 'JWS signature does not verify');
  if (ok !== true) throw new JwsError('VERIFIER_FAILED', 'the verifier must resolve to true or false');
  return { protectedHeader, payload };
}

function checkSigner(signer: Signer): void {
  if (typeof signer !== 'object' || signer === null || typeof signer.alg !== 'string' || typeof signer.sign !== 'function') {
    throw new JwsError('BAD_OPTIONS', 'options.signer must be { alg: string, sign(signingInput) }');
  }
}

function checkVerifier(verifier: Verifier): void {
  if (typeof verifier !== 'object' || verifier === null || typeof verifier.alg !== 'string' || typeof verifier.verify !== 'function') {
    throw new JwsError('BAD_OPTIONS', 'options.verifier must be { alg: string, verify(signingInput, signature) }');
  }
}

async function callSigner(signer: Signer, signingInput: Uint8Array): Promise<Uint8Array> {
  let signature: unknown;
  try {
    signature = await signer.sign(signingInput);
  } catch (cause) {
    if (JwsError.isInstance(cause)) throw cause;
    throw new JwsError('SIGNER_FAILED', 'the signer threw', { cause });
  }
  if (!(signature instanceof Uint8Array)) throw new JwsError('SIGNER_FAILED', 'the signer must resolve to a Uint8Array');
  return signature;
}

function readHeader(protectedHeader: unknown): [Header, string] {
  if (typeof protectedHeader === 'string') return [parseHeaderJson(protectedHeader), protectedHeader];
  if (typeof protectedHeader !== 'object' || protectedHeader === null || Array.isArray(protectedHeader)) {
    throw new JwsError('BAD_OPTIONS', 'options.protectedHeader must be an object or its JSON text');
  }
  let json: string;
  try {
    json = JSON.stringify(protectedHeader);
  } catch (cause) {
    throw new JwsError('BAD_HEADER', 'options.protectedHeader cannot be serialised as JSON', { cause });
  }
  return [protectedHeader as Header, json];
}

function payloadBytes(payload: unknown): Uint8Array {
  if (payload instanceof Uint8Array) return payload;
  if (typeof payload === 'string') return encoder.encode(payload);
  if (typeof payload !== 'object' || payload === null || ArrayBuffer.isView(payload) || payload instanceof ArrayBuffer) {
    throw new JwsError('BAD_PAYLOAD', 'the payload must be a Uint8Array, a string or a JSON-serialisable object');
  }
  let json: string | undefined;
  try {
    json = JSON.stringify(payload);
  } catch (cause) {
    throw new JwsError('BAD_PAYLOAD', 'the payload object cannot be serialised as JSON', { cause });
  }
  if (json === undefined) throw new JwsError('BAD_PAYLOAD', 'the payload object serialises to nothing');
  return encoder.encode(json);
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** With b64:false the payload travels as text: it must be UTF-8 and hold no '.' (RFC 7797 §5.2). */
function unencodedPayloadText(bytes: Uint8Array): string {
  if (bytes.includes(0x2e))
    throw new JwsError('BAD_PAYLOAD', 'with b64:false an attached payload must not contain "." (RFC 7797 §5.2); use detached: true');
  try {
    return strictUtf8.decode(bytes);
  } catch (cause) {
    throw new JwsError('BAD_PAYLOAD', 'with b64:false an attached payload must be UTF-8 text', { cause });
  }
}

function decodePart(text: string, part: 'header', asText: true): string;
function decodePart(text: string, part: 'payload' | 'signature', asText: false): Uint8Array;
function decodePart(text: string, part: string, asText: boolean): string | Uint8Array {
  try {
    return asText ? base64url.decodeToString(text) : base64url.decode(text);
  } catch (cause) {
    const detail = Base64UrlError.isInstance(cause) ? `: ${cause.message}` : '';
    throw new JwsError('MALFORMED', `the JWS ${part} part is not canonical Base64Url${detail}`, { cause });
  }
}

function toBytes(value: unknown, field: string): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string') return encoder.encode(value);
  throw new JwsError('BAD_OPTIONS', `options.${field} must be a Uint8Array or a string`);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
