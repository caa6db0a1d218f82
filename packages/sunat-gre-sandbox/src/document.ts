import type { Guide } from '@internal/sunat-kit';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Code } from './codes.js';
import { readGuide } from './guide.js';

export const DESPATCH_ADVICE_NS = 'urn:oasis:names:specification:ubl:schema:xsd:DespatchAdvice-2';
const DSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';

/** What the sandbox reads from a DespatchAdvice. */
export interface DespatchAdvice {
  id?: string;
  typeCode?: string;
  customizationId?: string;
  supplierRuc?: string;
  recipientRuc?: string;
  grossWeight?: string;
  plates: string[];
  hasSignature: boolean;
  /** The guide in the shape SUNAT's rules read (@internal/sunat-kit), for the verdict after the sandbox's own checks. */
  guide: Guide;
}

/** A parsed element: children by qualified name, attributes as `@name`, text as `#text` next to attributes. */
export type Node = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: false,
  processEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: () => false,
});

/** Parses the XML and reads the fields, or names the catalogue code that refuses it. */
export function readDespatchAdvice(xml: Uint8Array): DespatchAdvice | { problem: Code } {
  if (xml.length === 0) return { problem: '0160' };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(xml);
  } catch {
    return { problem: '0306' };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // No DTDs: a UBL document never needs one, and entities are how XML bombs work.
  if (/<!DOCTYPE/i.test(text)) return { problem: '0306' };
  if (XMLValidator.validate(text) !== true) return { problem: '0306' };
  let doc: Node;
  try {
    doc = parser.parse(text) as Node;
  } catch {
    return { problem: '0306' };
  }
  const rootKey = Object.keys(doc).find((k) => !k.startsWith('?') && !k.startsWith('#'));
  if (!rootKey || localName(rootKey) !== 'DespatchAdvice') return { problem: '0301' };
  const root = doc[rootKey];
  if (!isNode(root)) return { problem: '0301' };
  const prefix = rootKey.includes(':') ? rootKey.slice(0, rootKey.indexOf(':')) : '';
  if (root[prefix ? `@xmlns:${prefix}` : '@xmlns'] !== DESPATCH_ADVICE_NS) return { problem: '0301' };

  const shipment = child(root, 'Shipment');
  return {
    id: text1(child(root, 'ID')),
    typeCode: text1(child(root, 'DespatchAdviceTypeCode')),
    customizationId: text1(child(root, 'CustomizationID')),
    supplierRuc: text1(path(root, ['DespatchSupplierParty', 'Party', 'PartyIdentification', 'ID'])),
    recipientRuc: text1(path(root, ['DeliveryCustomerParty', 'Party', 'PartyIdentification', 'ID'])),
    grossWeight: text1(child(shipment, 'GrossWeightMeasure')),
    plates: collectPlates(shipment),
    hasSignature: hasSignature(root, text),
    guide: readGuide(root),
  };
}

/** An enveloped XMLDSig in the first ext:ExtensionContent, as SUNAT places it. */
function hasSignature(root: Node, text: string): boolean {
  const content = path(root, ['UBLExtensions', 'UBLExtension', 'ExtensionContent']);
  if (!isNode(content)) return false;
  const key = Object.keys(content).find((k) => localName(k) === 'Signature');
  if (!key) return false;
  const prefix = key.includes(':') ? key.slice(0, key.indexOf(':')) : '';
  return text.includes(prefix ? `xmlns:${prefix}="${DSIG_NS}"` : `xmlns="${DSIG_NS}"`);
}

/** Plates as GRE 2.0 places them: TransportEquipment/ID, and RoadTransport/LicensePlateID (older layouts). */
function collectPlates(node: unknown): string[] {
  const out: string[] = [];
  const walk = (n: unknown, parent: string): void => {
    if (Array.isArray(n)) return n.forEach((x) => walk(x, parent));
    if (!isNode(n)) return;
    for (const [k, v] of Object.entries(n)) {
      if (k.startsWith('@')) continue;
      const name = localName(k);
      if (name === 'LicensePlateID' || (name === 'ID' && parent === 'TransportEquipment')) {
        const t = text1(v);
        if (t) out.push(t);
      } else walk(v, name);
    }
  };
  walk(node, '');
  return out;
}

/** XML tree helper (shared with guide.ts). */
export function localName(key: string): string {
  const i = key.indexOf(':');
  return i < 0 ? key : key.slice(i + 1);
}

/** XML tree helper (shared with guide.ts). */
export function isNode(x: unknown): x is Node {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** XML tree helper (shared with guide.ts). */
export function child(node: unknown, name: string): unknown {
  if (Array.isArray(node)) node = node[0];
  if (!isNode(node)) return undefined;
  for (const [k, v] of Object.entries(node)) if (!k.startsWith('@') && localName(k) === name) return v;
  return undefined;
}

/** XML tree helper (shared with guide.ts). */
export function path(node: unknown, names: string[]): unknown {
  return names.reduce<unknown>((n, name) => child(n, name), node);
}

/** XML tree helper (shared with guide.ts). */
export function text1(v: unknown): string | undefined {
  if (Array.isArray(v)) v = v[0];
  if (typeof v === 'string') return v.trim() || undefined;
  if (typeof v === 'number') return String(v);
  if (isNode(v) && typeof v['#text'] === 'string') return (v['#text'] as string).trim() || undefined;
  if (isNode(v) && typeof v['#text'] === 'number') return String(v['#text']);
  return undefined;
}
