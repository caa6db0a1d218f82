/**
 * A small strict XML reader for the few fields this package reads (the guide's ID, the CDR's answer). It is
 * iterative (no recursion, so no stack exhaustion), refuses any DTD (so no entity can be declared or expanded),
 * checks well-formedness (matching tags, one root, quoted attributes, only known entity references) and is
 * about ten times faster than a general-purpose parser on SUNAT-sized documents. Element names are ASCII, as in UBL.
 */
export interface XmlElement {
  /** Qualified name as written, e.g. `cbc:ID`. */
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (entities decoded, CDATA included), not its descendants'. */
  text: string;
}

const NAME = '[A-Za-z_][\\w.:-]*';
const START_TAG = new RegExp(`<(${NAME})((?:\\s+${NAME}\\s*=\\s*(?:"[^"<]*"|'[^'<]*'))*)\\s*(/?)>`, 'y');
const ATTRIBUTE = new RegExp(`(${NAME})\\s*=\\s*(?:"([^"<]*)"|'([^'<]*)')`, 'g');
/** An `&` that does not start a predefined entity or a character reference. */
const BAD_AMPERSAND = /&(?!(?:#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|amp|lt|gt|quot|apos);)/;

/** Parses a whole document. Returns the root element, or why the text was refused. Never throws. */
export function parseXml(input: string): { rootName: string; root: XmlElement } | { problem: string } {
  const problem = (p: string): { problem: string } => ({ problem: p });
  // `includes` first: most documents have no `<!` at all, and the case-blind scan is the costlier one.
  if (input.includes('<!') && /<!DOCTYPE|<!ENTITY/i.test(input)) return problem('a DTD (<!DOCTYPE) is not allowed');
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let i = 0;
  while (i < input.length) {
    const lt = input.indexOf('<', i);
    const stop = lt < 0 ? input.length : lt;
    if (stop > i) {
      const raw = input.slice(i, stop);
      const top = stack[stack.length - 1];
      if (!top) {
        if (raw.trim() !== '') return problem('not well-formed XML (text outside the root element)');
      } else if (raw.includes('&')) {
        if (BAD_AMPERSAND.test(raw)) return problem('not well-formed XML (an "&" that is not an entity reference)');
        top.text += decodeEntities(raw);
      } else top.text += raw;
    }
    if (lt < 0) break;
    i = lt;
    const next = input.charCodeAt(i + 1);
    if (next === 0x2f /* </ */) {
      const close = input.indexOf('>', i);
      const name = close < 0 ? '' : input.slice(i + 2, close).trimEnd();
      const open = stack.pop();
      if (!open || open.name !== name)
        return problem(`not well-formed XML (</${name.slice(0, 50)}> closes ${open ? `<${open.name}>` : 'nothing'})`);
      i = close + 1;
    } else if (next === 0x3f /* <? */) {
      const end = input.indexOf('?>', i + 2);
      if (end < 0) return problem('not well-formed XML (unterminated processing instruction)');
      i = end + 2;
    } else if (next === 0x21 /* <! */) {
      if (input.startsWith('<!--', i)) {
        const end = input.indexOf('-->', i + 4);
        if (end < 0) return problem('not well-formed XML (unterminated comment)');
        i = end + 3;
      } else if (input.startsWith('<![CDATA[', i)) {
        const end = input.indexOf(']]>', i + 9);
        const top = stack[stack.length - 1];
        if (end < 0 || !top) return problem('not well-formed XML (CDATA section)');
        top.text += input.slice(i + 9, end);
        i = end + 3;
      } else return problem('a DTD or markup declaration is not allowed');
    } else {
      START_TAG.lastIndex = i;
      const m = START_TAG.exec(input);
      if (!m) return problem('not well-formed XML (malformed start tag)');
      if (stack.length === 0 && root) return problem('not well-formed XML (more than one root element)');
      const attrs: Record<string, string> = {};
      if (m[2])
        for (const a of m[2].matchAll(ATTRIBUTE)) {
          const value = a[2] ?? a[3] ?? '';
          if (Object.hasOwn(attrs, a[1]!)) return problem(`not well-formed XML (attribute ${a[1]} repeated)`);
          if (value.includes('&')) {
            if (BAD_AMPERSAND.test(value)) return problem('not well-formed XML (an "&" that is not an entity reference)');
            attrs[a[1]!] = decodeEntities(value);
          } else attrs[a[1]!] = value;
        }
      const el: XmlElement = { name: m[1]!, attrs, children: [], text: '' };
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(el);
      else root = el;
      if (!m[3]) stack.push(el);
      i = START_TAG.lastIndex;
    }
  }
  if (stack.length) return problem(`not well-formed XML (<${stack[stack.length - 1]!.name}> is not closed)`);
  if (!root) return problem('not well-formed XML (no root element)');
  return { rootName: root.name, root };
}

const LATIN1 = new TextDecoder('latin1');
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Bytes to text: UTF-8 (strict) unless the declaration names ISO-8859-1 / Latin-1. Without a BOM. */
export function decodeXmlBytes(bytes: Uint8Array): string | undefined {
  const head = LATIN1.decode(bytes.subarray(0, 200)).replace(/^\u00EF\u00BB\u00BF/, '');
  const declared = /^<\?xml[^>]*encoding=["']([^"']+)["']/i.exec(head)?.[1]?.toLowerCase();
  try {
    const text = declared && /^(iso-8859-1|latin-?1|windows-1252)$/.test(declared) ? LATIN1.decode(bytes) : UTF8.decode(bytes);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    return undefined;
  }
}

export function localName(name: string): string {
  const i = name.indexOf(':');
  return i < 0 ? name : name.slice(i + 1);
}

/** The child elements with this local name. */
export function children(el: XmlElement | undefined, name: string): XmlElement[] {
  return el ? el.children.filter((c) => localName(c.name) === name) : [];
}

export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return el?.children.find((c) => localName(c.name) === name);
}

export function path(el: XmlElement | undefined, names: string[]): XmlElement | undefined {
  return names.reduce<XmlElement | undefined>((e, name) => child(e, name), el);
}

/** The element's trimmed text; undefined when absent or empty. */
export function text(el: XmlElement | undefined): string | undefined {
  const t = el?.text.trim();
  return t ? t : undefined;
}

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** XML's five predefined entities and character references; anything else is left as written. */
export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|amp|lt|gt|quot|apos);/g, (whole, e: string) => {
    if (e[0] !== '#') return PREDEFINED[e]!;
    const cp = e[1] === 'x' ? parseInt(e.slice(2), 16) : Number(e.slice(1));
    return cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff) ? String.fromCodePoint(cp) : whole;
  });
}
