import { spawnSync } from 'node:child_process';
import { commandOrSkip, scratchDir } from '@internal/testkit';
import { DOMParser } from '@xmldom/xmldom';
import fc from 'fast-check';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { C14nCanonicalization } from 'xml-crypto';
import { canonicalize } from '../src/gre/c14n.js';
import { buildDespatchAdvice, findGuideProblems, type Guide, signXml } from '../src/gre/index.js';
import { carrierGuide, makeTestKey, RUC, senderGuide, type TestKey } from './gre-fixtures.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
let key: TestKey;
beforeAll(async () => {
  key = await makeTestKey();
});

/** Any text XML 1.0 can carry (what validateGuide accepts), including markup characters, CR and astral code points. */
const xmlText = (max: number) =>
  fc
    .string({
      unit: fc.oneof(
        fc.constantFrom('&', '<', '>', '"', "'", ']]>', '\r\n', '\r', '\n', '\t', ' ', 'ñ', 'Á', '€', '😀'),
        fc.string({ unit: 'grapheme', maxLength: 1 }),
      ),
      minLength: 1,
      maxLength: max,
    })
    .filter((s) => s.trim() !== '' && s.length <= max);

const digits = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });
const ruc = digits(10).map((base) => {
  const w = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
  const sum = w.reduce((a, x, i) => a + x * Number(base[i]), 0);
  return `${base}${(11 - (sum % 11)) % 10}`;
});
const upper = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789'), minLength: min, maxLength: max });
const date = fc
  .date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const place = fc.record({ ubigeo: digits(6), address: xmlText(100) });
const driver = fc.record({
  documentType: fc.constantFrom('1' as const, '4' as const, '7' as const),
  documentNumber: digits(8),
  firstNames: xmlText(40),
  lastNames: xmlText(40),
  license: upper(9, 10),
});
const line = fc.record({
  quantity: fc.oneof(
    fc.integer({ min: 1, max: 1e6 }),
    fc.tuple(fc.integer({ min: 0, max: 999 }), digits(3)).map(([i, d]) => `${i}.${d}1`),
  ),
  unitCode: fc.constantFrom('NIU', 'KGM', 'ZZ', 'BX'),
  description: xmlText(200),
  code: fc.option(upper(1, 20), { nil: undefined }),
});

/** Random guides of both types that pass validation. */
const guide: fc.Arbitrary<Guide> = fc
  .record({
    type: fc.constantFrom('09' as const, '31' as const),
    seriesTail: upper(3, 3),
    number: fc.integer({ min: 1, max: 99_999_999 }),
    issueDate: date,
    issuer: fc.record({ ruc, name: xmlText(100) }),
    other: fc.record({ ruc, name: xmlText(100) }),
    note: fc.option(xmlText(250), { nil: undefined }),
    reason: fc.constantFrom('01' as const, '02' as const, '04' as const, '08' as const, '14' as const),
    weight: fc.double({ min: 0.001, max: 1e7, noNaN: true }),
    start: place,
    arrival: place,
    plates: fc.array(upper(6, 6), { minLength: 1, maxLength: 3 }),
    drivers: fc.array(driver, { minLength: 1, maxLength: 2 }),
    lines: fc.array(line, { minLength: 1, maxLength: 8 }),
  })
  .map((r): Guide => {
    const shipment = {
      grossWeight: r.weight,
      weightUnit: 'KGM' as const,
      startDate: r.issueDate,
      start: r.start,
      arrival: r.arrival,
      vehicles: r.plates.map((plate) => ({ plate })),
      drivers: r.drivers,
    };
    const base = {
      series: `${r.type === '09' ? 'T' : 'V'}${r.seriesTail}`,
      number: r.number,
      issueDate: r.issueDate,
      issueTime: '12:00:00',
      issuer: r.issuer,
      recipient: { documentType: '6' as const, documentNumber: r.other.ruc, name: r.other.name },
      note: r.note,
      lines: r.lines,
    };
    return r.type === '09'
      ? { ...base, type: '09', shipment: { ...shipment, reason: r.reason, mode: '02' } }
      : { ...base, type: '31', sender: { documentType: '6', documentNumber: RUC.sender, name: r.other.name }, shipment };
  })
  .filter((g) => findGuideProblems(g).length === 0);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  trimValues: false,
  isArray: (n) => n === 'cac:DespatchLine',
});
const eol = (s: string): string => s.replace(/\r\n?/g, '\n');

describe('property: random valid guides', () => {
  it('build and sign (both algorithms): well-formed, one enveloped signature, nothing else changed', () => {
    fc.assert(
      fc.property(guide, fc.constantFrom('rsa-sha256' as const, 'rsa-sha1' as const), (g, algorithm) => {
        const signed = signXml(buildDespatchAdvice(g), { privateKey: key.privateKeyPem, certificate: key.certificatePem }, { algorithm });
        expect(XMLValidator.validate(signed)).toBe(true);
        expect(signed.match(/<ds:Signature /g)).toHaveLength(1);
        // the signed document minus the signature is the unsigned one (enveloped), byte for byte
        expect(signed.replace(/<ds:Signature [\s\S]*<\/ds:Signature>/, '')).toBe(buildDespatchAdvice(g));
      }),
      { numRuns: Math.min(RUNS, 150) },
    );
  });

  it('text fields are escaped: the XML stays well-formed and every value round-trips', () => {
    fc.assert(
      fc.property(guide, (g) => {
        const xml = buildDespatchAdvice(g);
        expect(XMLValidator.validate(xml)).toBe(true);
        const d = parser.parse(xml).DespatchAdvice;
        expect(d['cac:DespatchSupplierParty']['cac:Party']['cac:PartyLegalEntity']['cbc:RegistrationName']).toBe(eol(g.issuer.name));
        expect(d['cac:DeliveryCustomerParty']['cac:Party']['cac:PartyLegalEntity']['cbc:RegistrationName']).toBe(eol(g.recipient.name));
        expect(d['cbc:Note']).toBe(g.note === undefined ? undefined : eol(g.note));
        expect(d['cac:Shipment']['cac:Delivery']['cac:DeliveryAddress']['cac:AddressLine']['cbc:Line']).toBe(
          eol(g.shipment.arrival.address),
        );
        expect(d['cac:DespatchLine'].map((l: Record<string, any>) => l['cac:Item']['cbc:Description'])).toEqual(
          g.lines.map((l) => eol(l.description)),
        );
      }),
      { numRuns: RUNS },
    );
  });

  const hasXmlsec = commandOrSkip('xmlsec1', 'xmlsec1');
  it.skipIf(!hasXmlsec)('xmlsec1 verifies random guides of both types, both algorithms', () => {
    const s = scratchDir('gre-prop-');
    try {
      const cert = s.write('c.pem', key.certificatePem);
      fc.assert(
        fc.property(guide, fc.constantFrom('rsa-sha256' as const, 'rsa-sha1' as const), (g, algorithm) => {
          const file = s.write(
            'd.xml',
            signXml(buildDespatchAdvice(g), { privateKey: key.privateKeyPem, certificate: key.certificatePem }, { algorithm }),
          );
          const r = spawnSync('xmlsec1', ['--verify', '--enabled-reference-uris', 'empty', '--trusted-pem', cert, file], {
            encoding: 'utf8',
          });
          expect(r.status, r.stderr).toBe(0);
        }),
        { numRuns: Math.min(RUNS, 40) },
      );
    } finally {
      s.cleanup();
    }
  });
});

describe('property: canonicalize agrees with xml-crypto on random documents', () => {
  const name = fc.constantFrom('a', 'b', 'c:d', 'e:f', 'g');
  const value = fc.string({
    unit: fc.oneof(
      fc.constantFrom('&', '<', '>', '"', "'", '\t', '\n', '\r', ' ', 'ñ', '😀'),
      fc.string({ unit: 'grapheme-ascii', maxLength: 1 }),
    ),
    maxLength: 12,
  });
  const escAttr = (v: string, quote: '"' | "'", refs: boolean): string =>
    v.replace(/[&<"'\t\n\r]/g, (c) =>
      c === '&'
        ? '&amp;'
        : c === '<'
          ? '&lt;'
          : c === quote
            ? quote === '"'
              ? '&quot;'
              : '&apos;'
            : refs && /[\t\n\r]/.test(c)
              ? `&#${c.charCodeAt(0)};`
              : c,
    );
  const escText = (v: string, cdata: boolean): string =>
    cdata && !v.includes(']]>') ? `<![CDATA[${v}]]>` : v.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
  type Tree = {
    name: string;
    ns: Array<[string, string]>;
    attrs: Array<[string, string]>;
    text: string;
    cdata: boolean;
    children: Tree[];
    selfClose: boolean;
  };
  const node = (depth: number): fc.Arbitrary<Tree> =>
    fc.record({
      name,
      // a URI per prefix, so that two prefixed attributes never expand to the same name (not namespace-well-formed)
      ns: fc
        .uniqueArray(fc.tuple(fc.constantFrom('', 'c', 'e', 'x'), fc.constantFrom('1', '2', ' b')), { selector: (x) => x[0], maxLength: 3 })
        .map((decls) => decls.map(([p, v]): [string, string] => [p, `urn:${p}${v}`])),
      attrs: fc.uniqueArray(fc.tuple(fc.constantFrom('z', 'y', 'c:k', 'e:k', 'x:k', 'A'), value), { selector: (x) => x[0], maxLength: 4 }),
      text: value,
      cdata: fc.boolean(),
      children: depth === 0 ? fc.constant([]) : fc.array(node(depth - 1), { maxLength: 3 }),
      selfClose: fc.boolean(),
    });
  const tree = node(3);
  const serialize = (t: Tree, refs: boolean): string => {
    const decls = t.ns.map(([p, u]) => (p === '' ? ` xmlns="${u}"` : ` xmlns:${p}="${u}"`)).join('');
    const attrs = t.attrs.map(([n, v], i) => (i % 2 ? ` ${n}='${escAttr(v, "'", refs)}'` : ` ${n}="${escAttr(v, '"', refs)}"`)).join('');
    const body = escText(t.text, t.cdata) + t.children.map((c) => serialize(c, refs)).join('');
    return body === '' && t.selfClose ? `<${t.name}${decls}${attrs}/>` : `<${t.name}${decls}${attrs}>${body}</${t.name}>`;
  };
  it('for any tree with namespaces, attributes, CDATA, character references and line ends', () => {
    fc.assert(
      fc.property(tree, fc.boolean(), (t, refs) => {
        // every prefix used is declared at the root, so every generated document is namespace-well-formed
        const root: Tree = {
          ...t,
          ns: [...t.ns.filter(([p]) => p === '' || !['c', 'e', 'x'].includes(p)), ['c', 'urn:c'], ['e', 'urn:e'], ['x', 'urn:x']],
        };
        const xml = serialize(root, refs);
        fc.pre(XMLValidator.validate(xml) === true);
        const doc = new DOMParser({ onError: () => undefined }).parseFromString(xml, 'text/xml');
        expect(canonicalize(xml)).toBe(new C14nCanonicalization().process(doc.documentElement as never, {}));
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it('never throws anything but its own error on arbitrary input', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.oneof(
            fc.constantFrom('<', '>', '/', '=', '"', '&', ';', '!', '?', '-', '[', ']', 'a', ':', ' '),
            fc.string({ maxLength: 1 }),
          ),
          maxLength: 60,
        }),
        (s) => {
          try {
            canonicalize(s);
          } catch (e) {
            expect((e as Error).name).toBe('C14nError');
          }
        },
      ),
      { numRuns: RUNS * 5 },
    );
  });
});

it('sample guides used above are valid (the generators start from the same shape)', () => {
  expect(findGuideProblems(senderGuide())).toEqual([]);
  expect(findGuideProblems(carrierGuide())).toEqual([]);
});
