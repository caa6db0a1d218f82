/** Object identifiers of CMS (RFC 5652) and of GOST 2012 as OpenSSL's GOST engine writes them (RFC 9215). */
export const OID = {
  /** id-data: the content type of the signed digest. */
  data: '1.2.840.113549.1.7.1',
  /** id-signedData. */
  signedData: '1.2.840.113549.1.7.2',
  /** The contentType signed attribute. */
  contentType: '1.2.840.113549.1.9.3',
  /** The messageDigest signed attribute. */
  messageDigest: '1.2.840.113549.1.9.4',
  /** The signingTime signed attribute. */
  signingTime: '1.2.840.113549.1.9.5',
  /** id-tc26-gost3411-12-256: Streebog-256. */
  gost3411_256: '1.2.643.7.1.1.2.2',
  /** id-tc26-gost3411-12-512: Streebog-512. */
  gost3411_512: '1.2.643.7.1.1.2.3',
  /** id-tc26-gost3410-12-256: OpenSSL's signatureAlgorithm in CMS for a 256-bit key. */
  gost3410_256: '1.2.643.7.1.1.1.1',
  /** id-tc26-gost3410-12-512: the same for a 512-bit key. */
  gost3410_512: '1.2.643.7.1.1.1.2',
  /** id-tc26-signwithdigest-gost3410-12-256, which CryptoPro may write instead. */
  signWithDigest256: '1.2.643.7.1.1.3.2',
  /** id-tc26-signwithdigest-gost3410-12-512. */
  signWithDigest512: '1.2.643.7.1.1.3.3',
} as const;
