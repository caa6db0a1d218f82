import { execFileSync, spawnSync } from 'node:child_process';
import { inspect } from 'node:util';
import { commandOrSkip, hasCommand, scratchDir } from '@internal/testkit';
import { DOMParser } from '@xmldom/xmldom';
import { beforeAll, describe, expect, it } from 'vitest';
import { C14nCanonicalization, SignedXml } from 'xml-crypto';
import { canonicalize } from '../src/gre/c14n.js';
import { buildDespatchAdvice, GreValidationError, type SignatureAlgorithm, signXml } from '../src/gre/index.js';
import { carrierGuide, makeTestKey, senderGuide, type TestKey } from './gre-fixtures.js';

let key: TestKey;
let other: TestKey;
beforeAll(async () => {
  [key, other] = await Promise.all([makeTestKey(), makeTestKey('OTHER')]);
});

/** xml-crypto (an independent XMLDSig implementation on a DOM) checks the signature against the embedded certificate. */
function xmlCryptoVerifies(xml: string): boolean {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const signature = doc.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'Signature')[0]!;
  const verifier = new SignedXml({ getCertFromKeyInfo: SignedXml.getCertFromKeyInfo });
  verifier.loadSignature(signature as unknown as Parameters<SignedXml['loadSignature']>[0]);
  try {
    return verifier.checkSignature(xml);
  } catch {
    return false;
  }
}

const ALGORITHMS: SignatureAlgorithm[] = ['rsa-sha256', 'rsa-sha1'];

describe('signXml', () => {
  it('places one enveloped signature in the first empty ext:ExtensionContent, as SUNAT reads it', () => {
    const unsigned = buildDespatchAdvice(senderGuide());
    const signed = signXml(unsigned, { privateKey: key.privateKeyPem, certificate: key.certificatePem });
    const sig = /<ext:ExtensionContent>(<ds:Signature[\s\S]*<\/ds:Signature>)<\/ext:ExtensionContent>/.exec(signed)?.[1];
    expect(sig).toBeDefined();
    expect(sig).toContain('<ds:Signature Id="SignSUNAT">'); // the id cac:Signature's URI (#SignSUNAT) points at
    expect(sig).toContain('<ds:CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315">');
    expect(sig).toContain(
      '<ds:Reference URI=""><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"></ds:Transform></ds:Transforms>',
    );
    expect(sig).toContain('<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256">');
    expect(sig).toContain(`<ds:X509Certificate>${key.certificatePem.replace(/-----[A-Z ]+-----|\s/g, '')}</ds:X509Certificate>`);
    // everything else is byte for byte the unsigned document
    expect(signed.replace(sig!, '')).toBe(unsigned);
    expect(xmlCryptoVerifies(signed)).toBe(true);
  });

  it.each(ALGORITHMS)('%s: xml-crypto verifies it, and refuses it after a one-character change', (algorithm) => {
    const signed = signXml(buildDespatchAdvice(carrierGuide()), { pfx: key.pfx, passphrase: key.passphrase }, { algorithm });
    expect(signed).toContain(algorithm === 'rsa-sha1' ? 'xmldsig#rsa-sha1' : 'xmldsig-more#rsa-sha256');
    expect(xmlCryptoVerifies(signed)).toBe(true);
    expect(xmlCryptoVerifies(signed.replace('Raúl', 'Raúl '))).toBe(false);
  });

  it('uses the signature id of cac:Signature, or the one given', () => {
    const xml = buildDespatchAdvice(senderGuide({ signatureId: 'SIGN20100070970' }));
    expect(signXml(xml, { privateKey: key.privateKeyPem, certificate: key.certificatePem })).toContain(
      '<ds:Signature Id="SIGN20100070970">',
    );
    expect(signXml(xml, { privateKey: key.privateKeyPem, certificate: key.certificatePem }, { signatureId: 'Other' })).toContain(
      '<ds:Signature Id="Other">',
    );
  });

  it('refuses bad key material with a typed error that never shows the passphrase or the key', () => {
    const xml = buildDespatchAdvice(senderGuide());
    const attempts: Array<[() => unknown, string, string]> = [
      [() => signXml(xml, { pfx: key.pfx, passphrase: 'wrong-passphrase-XYZ' }), 'signing.pfx', 'pkcs12'],
      [() => signXml(xml, { pfx: new Uint8Array([1, 2, 3]), passphrase: key.passphrase }), 'signing.pfx', 'pkcs12'],
      [() => signXml(xml, { privateKey: key.privateKeyPem, certificate: other.certificatePem }), 'signing.certificate', 'key-match'],
      [
        () => signXml(xml, { privateKey: key.privateKeyPem.slice(0, 200), certificate: key.certificatePem }),
        'signing.privateKey',
        'private-key',
      ],
      [() => signXml(xml, { privateKey: key.privateKeyPem, certificate: 'nope' }), 'signing.certificate', 'x509'],
      [
        () => signXml(xml, { privateKey: key.privateKeyPem, certificate: key.certificatePem }, { algorithm: 'rsa-md5' as 'rsa-sha1' }),
        'signing.algorithm',
        'algorithm',
      ],
    ];
    const keyBody = key.privateKeyPem.split('\n')[3]!;
    for (const [attempt, field, rule] of attempts) {
      let error: unknown;
      try {
        attempt();
      } catch (e) {
        error = e;
      }
      expect(GreValidationError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ field, rule });
      const shown = [
        String(error),
        (error as Error).stack,
        inspect(error),
        JSON.stringify(error),
        String((error as Error).cause ?? ''),
      ].join('\n');
      for (const secret of ['wrong-passphrase-XYZ', key.passphrase, keyBody]) expect(shown).not.toContain(secret);
    }
  });

  it('refuses XML it cannot sign: no empty ext:ExtensionContent, DOCTYPE, not well-formed', () => {
    const k = { privateKey: key.privateKeyPem, certificate: key.certificatePem };
    const signed = signXml(buildDespatchAdvice(senderGuide()), k);
    expect(() => signXml(signed, k)).toThrow(expect.objectContaining({ field: 'xml', rule: 'signature-place' }));
    expect(() => signXml('<!DOCTYPE r [<!ENTITY a "b">]><r/>', k)).toThrow(expect.objectContaining({ field: 'xml', rule: 'well-formed' }));
    expect(() => signXml('<r><a></r>', k)).toThrow(expect.objectContaining({ rule: 'well-formed' }));
    expect(() => signXml('<r>&nbsp;</r>', k)).toThrow(expect.objectContaining({ rule: 'well-formed' }));
  });

  it('signs any UBL extension layout: a self-closing ExtensionContent after a filled one', () => {
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?>\n<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" xmlns:ext="urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2">' +
      '<ext:UBLExtensions><ext:UBLExtension><ext:ExtensionContent><x>1</x></ext:ExtensionContent></ext:UBLExtension><ext:UBLExtension><ext:ExtensionContent/></ext:UBLExtension></ext:UBLExtensions><ID>F001-1</ID></Invoice>';
    const signed = signXml(xml, { privateKey: key.privateKeyPem, certificate: key.certificatePem });
    expect(signed).toMatch(
      /<ext:ExtensionContent><x>1<\/x><\/ext:ExtensionContent><\/ext:UBLExtension><ext:UBLExtension><ext:ExtensionContent><ds:Signature Id="SignSUNAT" xmlns:ds=/,
    );
    expect(xmlCryptoVerifies(signed)).toBe(true);
  });

  const hasOpenssl = hasCommand('openssl');
  it.skipIf(!hasOpenssl)('reads a .pfx made by OpenSSL 3 (PBES2/AES-256, HMAC-SHA256) with its CA chain', () => {
    const s = scratchDir('gre-pfx-');
    try {
      s.write('k.pem', key.privateKeyPem);
      s.write('c.pem', key.certificatePem);
      s.write('o.pem', other.certificatePem);
      execFileSync(
        'openssl',
        [
          'pkcs12',
          '-export',
          '-inkey',
          s.path('k.pem'),
          '-in',
          s.path('c.pem'),
          '-certfile',
          s.path('o.pem'),
          '-passout',
          'pass:Clave-Ñ',
          '-out',
          s.path('k.pfx'),
        ],
        { stdio: 'ignore' },
      );
      const signed = signXml(buildDespatchAdvice(senderGuide()), { pfx: s.read('k.pfx'), passphrase: 'Clave-Ñ' });
      expect(signed).toContain(key.certificatePem.replace(/-----[A-Z ]+-----|\s/g, '').slice(0, 200));
      expect(xmlCryptoVerifies(signed)).toBe(true);
    } finally {
      s.cleanup();
    }
  });

  const hasXmlsec = commandOrSkip('xmlsec1', 'xmlsec1');
  describe.skipIf(!hasXmlsec)('xmlsec1 --verify (libxml2 C14N, an independent implementation)', () => {
    const verify = (xml: string, certificatePem: string): { ok: boolean; out: string } => {
      const s = scratchDir('gre-xmlsec-');
      try {
        const r = spawnSync(
          'xmlsec1',
          ['--verify', '--enabled-reference-uris', 'empty', '--trusted-pem', s.write('c.pem', certificatePem), s.write('d.xml', xml)],
          { encoding: 'utf8' },
        );
        return { ok: r.status === 0, out: `${r.stdout}${r.stderr}` };
      } finally {
        s.cleanup();
      }
    };

    it.each(ALGORITHMS)('%s: verifies both guide types, and a one-character change fails', (algorithm) => {
      for (const guide of [senderGuide(), carrierGuide()]) {
        const signed = signXml(
          buildDespatchAdvice(guide),
          { privateKey: key.privateKeyPem, certificate: key.certificatePem },
          { algorithm },
        );
        const good = verify(signed, key.certificatePem);
        expect(good.ok, good.out).toBe(true);
        expect(good.out).toContain('SignedInfo References (ok/all): 1/1');
        const tampered = signed.replace('Compañía Peruana', 'Compañía Peruanа'); // Latin a → Cyrillic а
        expect(tampered).not.toBe(signed);
        expect(verify(tampered, key.certificatePem).ok).toBe(false);
        // and a different trusted certificate does not verify it
        expect(verify(signed, other.certificatePem).ok).toBe(false);
      }
    });

    it('verifies a document full of C14N corner cases (CDATA, PIs, comments, xml:lang, xmlns="", char refs, CR)', () => {
      const xml =
        '\uFEFF<?xml version="1.0" encoding="UTF-8"?>\n<!-- before -->\n<?before pi?>\n<r xml:lang="es" xmlns:ext="urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2" xmlns="urn:x">' +
        '<a  z="1&#10;x\ty" b=\'&lt;q&gt; "\' xmlns:z="urn:z" z:k="v" xmlns:y="urn:y" y:k="w"><![CDATA[ <&> ]]>&#13;t\r\nu &#x1F600; é</a><!-- inside -->' +
        '<ext:UBLExtensions><ext:UBLExtension><ext:ExtensionContent>\n  </ext:ExtensionContent></ext:UBLExtension></ext:UBLExtensions><?pi   data ?><e xmlns=""/><f xmlns="urn:x"/><g xml:lang="en"><h/></g></r>\n<?after?>\n<!-- after -->';
      const signed = signXml(xml, { privateKey: key.privateKeyPem, certificate: key.certificatePem });
      const result = verify(signed, key.certificatePem);
      expect(result.ok, result.out).toBe(true);
      // xml-crypto does not carry an ancestor's xml:lang into the canonical SignedInfo (C14N 1.0 says to; libxml2
      // does), digests URI "" as the document element alone (C14N of the document keeps top-level PIs) and renders
      // a PI inside the document as bare text: without xml:lang and PIs, xml-crypto agrees too.
      // xmldom refuses the BOM, which C14N drops anyway.
      const simpler = xml.replace(' xml:lang="es"', '').replace(/<\?(?!xml )[^?]*\?>/g, '');
      const withoutLang = signXml(simpler, { privateKey: key.privateKeyPem, certificate: key.certificatePem });
      expect(verify(withoutLang, key.certificatePem).ok).toBe(true);
      expect(xmlCryptoVerifies(withoutLang.slice(1))).toBe(true);
    });
  });
});

describe('canonicalize (inclusive C14N 1.0)', () => {
  it('agrees with xml-crypto’s C14N on documents with namespaces, attributes and escapes', () => {
    const docs = [
      buildDespatchAdvice(senderGuide({ note: 'a & b < c > "d" \'e\'' })),
      '<r xmlns="urn:a" xmlns:b="urn:b"><b:x b:z="1" a="2" xmlns:c="urn:c"><c:y xmlns:b="urn:b" xmlns:c="urn:c2"/></b:x><n xmlns=""><m/></n></r>',
      '<r a="&#9;&#10;&#13;" b="x&amp;y&lt;"><![CDATA[&<>]]>&#13;</r>',
    ];
    for (const xml of docs) {
      const doc = new DOMParser().parseFromString(xml, 'text/xml');
      expect(canonicalize(xml)).toBe(new C14nCanonicalization().process(doc.documentElement as never, {}));
    }
  });
});
