import * as asn1js from 'asn1js';

/** PKCS#8 with the given privateKey field (default cryptopro-a), built independently of the code under test. */
export function pkcs8With(keyField: asn1js.AsnType, alg = '1.2.643.7.1.1.1.1', paramSet = '1.2.643.2.2.35.1'): Uint8Array {
  return new Uint8Array(
    new asn1js.Sequence({
      value: [
        new asn1js.Integer({ value: 0 }),
        new asn1js.Sequence({
          value: [
            new asn1js.ObjectIdentifier({ value: alg }),
            new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: paramSet })] }),
          ],
        }),
        keyField,
      ],
    }).toBER(),
  );
}
