export {
  type CertificateSubject,
  type CreateCertificateOptions,
  createCertificate,
  type GostCertificate,
  importCertificate,
  verifyCertificateSignature,
} from './certificate.js';
export { GostError, type GostErrorCode } from './errors.js';
export { type GostPrivateKey, type GostPublicKey, generateKeyPair, getPublicKey, privateKeyFromRaw, publicKeyFromRaw } from './keys.js';
export {
  OID_GOST3410_12_256,
  OID_GOST3410_12_512,
  OID_GOST3411_12_256,
  OID_GOST3411_12_512,
  OID_SIGNWITHDIGEST_GOST3410_12_256,
  OID_SIGNWITHDIGEST_GOST3410_12_512,
  PARAM_SET_NAMES,
  PARAM_SET_OIDS,
  type ParamSetName,
} from './params.js';
export { exportPrivateKeyPem, exportPublicKeyPem, importPrivateKey, importPublicKey } from './pkcs.js';
export { type SignatureLayout, type SignOptions, sign, signHash, type VerifyOptions, verify, verifyHash } from './signature.js';
export { createStreebog256, createStreebog512, type Hasher, streebog256, streebog512 } from './streebog.js';
