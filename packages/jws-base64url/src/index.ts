export { base64url } from './base64url.js';
export { Base64UrlError, JwsError, JwsBase64UrlError, type Base64UrlErrorCode, type JwsErrorCode } from './errors.js';
export {
  signCompact,
  parseCompact,
  verifyCompact,
  type Signer,
  type Verifier,
  type SignCompactOptions,
  type ParseCompactOptions,
  type ParsedCompact,
  type VerifyCompactOptions,
} from './compact.js';
export { joseSigner, joseVerifier, JOSE_ALGORITHMS, type JoseKey, type JoseJwk } from './jose-signer.js';
export { gostSigner, gostVerifier, GOST_JWS_ALG } from './gost-signer.js';
