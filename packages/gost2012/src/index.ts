export { GostError, type GostErrorCode } from './errors.js';
export { streebog256, streebog512, createStreebog256, createStreebog512, type Hasher } from './streebog.js';
export {
  type ParamSetName,
  PARAM_SET_NAMES,
  PARAM_SET_OIDS,
  OID_GOST3410_12_256,
  OID_GOST3410_12_512,
  OID_GOST3411_12_256,
  OID_GOST3411_12_512,
  OID_SIGNWITHDIGEST_GOST3410_12_256,
  OID_SIGNWITHDIGEST_GOST3410_12_512,
} from './params.js';
export { generateKeyPair, getPublicKey, publicKeyFromRaw, privateKeyFromRaw, type GostPrivateKey, type GostPublicKey } from './keys.js';
export { sign, verify, signHash, verifyHash, type SignatureLayout, type SignOptions, type VerifyOptions } from './signature.js';
export { importPrivateKey, importPublicKey, exportPublicKeyPem, exportPrivateKeyPem } from './pkcs.js';
export {
  createCertificate,
  importCertificate,
  verifyCertificateSignature,
  type GostCertificate,
  type CertificateSubject,
  type CreateCertificateOptions,
} from './certificate.js';
