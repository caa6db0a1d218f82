import { type GostCertificate, importCertificate } from 'gost2012';
import { gostVerifier, parseCompact } from 'jws-base64url';
import {
  buildDebtRegistryDigest,
  type DebtRegistryDigestInput,
  SberDigestValidationError,
  validateDebtRegistry,
  verifyDigestSignature,
} from 'sber-digest';
import type { Verification } from './verification.js';

/**
 * Signature checks over gost2012 (certificates), jws-base64url (strict JWS parsing, GOST JWS verification) and
 * sber-digest (model rules, digest text, raw/CMS digest signatures).
 */
export function gostVerification(): Verification {
  // Certificates are registered once and checked many times: parse each once (per sandbox).
  const parsed = new Map<string | Uint8Array, GostCertificate>();
  function certificateOf(certificate: string | Uint8Array): GostCertificate {
    let cert = parsed.get(certificate);
    if (!cert) {
      cert = importCertificate(certificate);
      parsed.set(certificate, cert);
    }
    return cert;
  }
  return {
    validateRegistry(registry) {
      try {
        validateDebtRegistry(registry);
        return undefined;
      } catch (error) {
        if (SberDigestValidationError.isInstance(error)) {
          const prefix = `${error.field}: `;
          return { field: error.field, rule: error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message };
        }
        throw error;
      }
    },
    assertCertificate(certificate) {
      certificateOf(certificate);
    },
    isActive(certificate, at) {
      const cert = certificateOf(certificate);
      return cert.notBefore <= at && at <= cert.notAfter;
    },
    describeCertificate(certificate) {
      const cert = certificateOf(certificate);
      return {
        serialNumber: cert.serialNumber,
        subject: cert.subject,
        issuer: cert.issuer,
        validFrom: cert.notBefore.toISOString(),
        validTo: cert.notAfter.toISOString(),
      };
    },
    parseJws(text) {
      const { protectedHeader, payload, signature, signingInput } = parseCompact(text);
      return { header: protectedHeader, payload, signature, signingInput };
    },
    verifyJws(signingInput, signature, certificate, layout) {
      return gostVerifier({ publicKey: certificateOf(certificate).publicKey, layout }).verify(signingInput, signature);
    },
    verifyDigest(registry, signature, certificate, options) {
      const digest = buildDebtRegistryDigest(registry as unknown as DebtRegistryDigestInput, {
        attachments: options.attachments,
        emptyFields: options.emptyFields,
      });
      return verifyDigestSignature(digest, signature.base64Encoded, {
        certificate: certificateOf(certificate),
        layout: options.layout,
        encoding: options.encoding,
        format: options.format,
      });
    },
  };
}
