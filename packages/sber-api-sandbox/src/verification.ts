/** Byte layout of a GOST signature (as in gost2012). */
export type SignatureLayout = 'sr-be' | 'rs-be' | 'rs-le';

/** The byte-level guesses about digest signatures (docs/sber-signature-bytes.md), each selectable. */
export interface DigestOptions {
  layout: SignatureLayout;
  attachments: 'lines' | 'table';
  emptyFields: 'omit' | 'keep';
  encoding: 'utf-8' | 'windows-1251';
  /** 'auto': raw when the length is twice the key size, CMS detached otherwise. */
  format: 'auto' | 'raw' | 'cms';
}

export interface DigestSignatureInput {
  base64Encoded: string;
  certificateUuid: string;
}

/**
 * The cryptographic and semantic checks the server delegates to the leaf packages (gost2012, jws-base64url,
 * sber-digest). Kept behind this seam so the HTTP layer does not depend on how they are done.
 */
export interface Verification {
  /** Field and rule of the first semantic problem (UUID, INN checksum, date…), or undefined. */
  validateRegistry(registry: Record<string, unknown>): { field: string; rule: string } | undefined;
  /** Throws when the bytes are not a GOST 2012 certificate. */
  assertCertificate(certificate: string | Uint8Array): void;
  /** Whether the certificate is valid at `at` (notBefore ≤ at ≤ notAfter). */
  isActive(certificate: string | Uint8Array, at: Date): boolean;
  /** Certificate details listed by `/v1/crypto`. */
  describeCertificate(certificate: string | Uint8Array): {
    serialNumber?: string;
    subject?: string;
    issuer?: string;
    validFrom?: string;
    validTo?: string;
  };
  /** Splits and strictly decodes a JWS compact serialization; throws when it is malformed. */
  parseJws(text: string): { header: Record<string, unknown>; payload: Uint8Array; signature: Uint8Array; signingInput: Uint8Array };
  /** JWS signature over `signingInput` with the certificate's key. */
  verifyJws(signingInput: Uint8Array, signature: Uint8Array, certificate: string | Uint8Array, layout: SignatureLayout): Promise<boolean>;
  /** A digest signature (raw or CMS detached) over the registry's digest text. */
  verifyDigest(
    registry: Record<string, unknown>,
    signature: DigestSignatureInput,
    certificate: string | Uint8Array,
    options: DigestOptions,
  ): boolean;
}
