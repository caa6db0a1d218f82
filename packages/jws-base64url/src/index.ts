export { base64url } from './base64url.js';
export {
  type ParseCompactOptions,
  type ParsedCompact,
  parseCompact,
  type SignCompactOptions,
  type Signer,
  signCompact,
  type Verifier,
  type VerifyCompactOptions,
  verifyCompact,
} from './compact.js';
export { Base64UrlError, type Base64UrlErrorCode, JwsBase64UrlError, JwsError, type JwsErrorCode } from './errors.js';
export { GOST_JWS_ALG, gostSigner, gostVerifier } from './gost-signer.js';
export { JOSE_ALGORITHMS, type JoseJwk, type JoseKey, joseSigner, joseVerifier } from './jose-signer.js';
