/** Thin helpers over asn1js: PEM armour, strict DER parsing, and typed access with GostError on mismatch. */
import * as asn1js from 'asn1js';
import { GostError } from './errors.js';

/** PEM text (string or bytes) or DER bytes → DER bytes. `label` is the PEM type expected, e.g. 'PRIVATE KEY'. */
export function pemOrDerToDer(input: string | Uint8Array, labels: string[], field: string): Uint8Array {
  let text: string | undefined;
  if (typeof input === 'string') text = input;
  else if (input instanceof Uint8Array) {
    // DER always starts with a SEQUENCE tag (0x30); anything else is tried as PEM text.
    if (input[0] === 0x30) return input;
    text = new TextDecoder().decode(input);
  } else {
    throw new GostError('INVALID_INPUT', `${field} must be a PEM string or DER bytes`, { field });
  }
  const match = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/.exec(text);
  if (match === null) throw new GostError('MALFORMED_ASN1', `${field} is not PEM (no -----BEGIN …----- block) nor DER`, { field });
  if (!labels.includes(match[1]!)) {
    throw new GostError('MALFORMED_ASN1', `${field} must be a PEM "${labels.join('" or "')}" block, got "${match[1]}"`, { field });
  }
  const body = match[2]!.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body) || body.length % 4 !== 0) {
    throw new GostError('MALFORMED_ASN1', `${field} PEM body is not valid base64`, { field });
  }
  return new Uint8Array(Buffer.from(body, 'base64'));
}

export function toPem(der: Uint8Array, label: string): string {
  const b64 = Buffer.from(der)
    .toString('base64')
    .replace(/.{1,64}/g, '$&\n');
  return `-----BEGIN ${label}-----\n${b64}-----END ${label}-----\n`;
}

/** Parses exactly one DER value covering the whole input. */
export function parseDer(der: Uint8Array, field: string): asn1js.AsnType {
  let parsed: ReturnType<typeof asn1js.fromBER>;
  try {
    parsed = asn1js.fromBER(der);
  } catch (cause) {
    // asn1js throws on some malformed primitives (e.g. an impossible GeneralizedTime).
    throw new GostError('MALFORMED_ASN1', `${field} is not well-formed DER`, { field, cause });
  }
  if (parsed.offset === -1 || parsed.offset !== der.length) {
    throw new GostError('MALFORMED_ASN1', `${field} is not a single well-formed DER value`, { field });
  }
  return parsed.result;
}

export function malformed(field: string, what: string): GostError {
  return new GostError('MALFORMED_ASN1', `${field}: ${what}`, { field });
}

export function asSequence(node: unknown, field: string, what: string): asn1js.AsnType[] {
  if (!(node instanceof asn1js.Sequence)) throw malformed(field, `expected a SEQUENCE for ${what}`);
  return node.valueBlock.value;
}

export function asOid(node: unknown, field: string, what: string): string {
  if (!(node instanceof asn1js.ObjectIdentifier)) throw malformed(field, `expected an OBJECT IDENTIFIER for ${what}`);
  return node.valueBlock.toString();
}

export function asOctets(node: unknown, field: string, what: string): Uint8Array {
  if (!(node instanceof asn1js.OctetString)) throw malformed(field, `expected an OCTET STRING for ${what}`);
  return new Uint8Array(node.valueBlock.valueHexView);
}

export function asBitString(node: unknown, field: string, what: string): Uint8Array {
  if (!(node instanceof asn1js.BitString) || node.valueBlock.unusedBits !== 0) throw malformed(field, `expected a BIT STRING for ${what}`);
  return new Uint8Array(node.valueBlock.valueHexView);
}

/** The unsigned magnitude of a non-negative INTEGER, big-endian, without sign padding. */
export function asUnsignedInteger(node: unknown, field: string, what: string): Uint8Array {
  if (!(node instanceof asn1js.Integer)) throw malformed(field, `expected an INTEGER for ${what}`);
  const bytes = new Uint8Array(node.valueBlock.valueHexView);
  if (bytes.length > 0 && bytes[0]! & 0x80) throw malformed(field, `${what} must not be negative`);
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  return bytes.subarray(i);
}

export function derOf(block: asn1js.AsnType): Uint8Array {
  return new Uint8Array(block.toBER(false));
}

/** An INTEGER from unsigned big-endian bytes (adds the 0x00 sign byte when needed). */
export function unsignedInteger(bytes: Uint8Array): asn1js.Integer {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  const trimmed = bytes.subarray(i);
  const value = trimmed[0]! & 0x80 ? Uint8Array.of(0, ...trimmed) : trimmed;
  return new asn1js.Integer({ valueHex: value });
}

/** Runs a decoder so that anything but a GostError (a library throwing on odd input) becomes MALFORMED_ASN1. */
export function decoding<T>(field: string, fn: () => T): T {
  try {
    return fn();
  } catch (cause) {
    if (GostError.isInstance(cause)) throw cause;
    throw new GostError('MALFORMED_ASN1', `${field} could not be decoded`, { field, cause });
  }
}
