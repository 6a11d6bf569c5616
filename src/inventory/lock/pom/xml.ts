/**
 * A small XML element reader for pom.xml: elements (namespace prefixes dropped), their text, comments,
 * CDATA, processing instructions, the five predefined entities and character references. A DOCTYPE is
 * skipped and its entities are NOT expanded (no entity-expansion attacks). Attributes are read past, not kept.
 * Bounds: element depth MAX_XML_DEPTH and element count MAX_XML_ELEMENTS; a linear scan.
 */

export class XmlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmlError';
  }
}

export interface XmlElement {
  name: string;
  children: XmlElement[];
  text: string;
}

export const MAX_XML_DEPTH = 256;
export const MAX_XML_ELEMENTS = 1_000_000;

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9A-Fa-f]+|#[0-9]+|[A-Za-z]+);/g, (all, e: string) => {
    if (e[0] === '#') {
      const cp = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : all;
    }
    return ENTITIES[e] ?? all;
  });
}

function localName(qname: string): string {
  const colon = qname.indexOf(':');
  return colon >= 0 ? qname.slice(colon + 1) : qname;
}

export function parseXml(text: string): XmlElement {
  const root: XmlElement = { name: '#document', children: [], text: '' };
  const stack: XmlElement[] = [root];
  let count = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const lt = text.indexOf('<', i);
    const top = stack[stack.length - 1]!;
    if (lt < 0) {
      if (stack.length > 1) top.text += decode(text.slice(i));
      break;
    }
    if (lt > i && stack.length > 1) top.text += decode(text.slice(i, lt));
    if (text.startsWith('<!--', lt)) {
      const end = text.indexOf('-->', lt + 4);
      if (end < 0) throw new XmlError('unterminated comment');
      i = end + 3;
    } else if (text.startsWith('<![CDATA[', lt)) {
      const end = text.indexOf(']]>', lt + 9);
      if (end < 0) throw new XmlError('unterminated CDATA section');
      if (stack.length > 1) top.text += text.slice(lt + 9, end);
      i = end + 3;
    } else if (text.startsWith('<?', lt)) {
      const end = text.indexOf('?>', lt + 2);
      if (end < 0) throw new XmlError('unterminated processing instruction');
      i = end + 2;
    } else if (text.startsWith('<!', lt)) {
      // DOCTYPE (possibly with an internal subset in [ ]): skipped, entities not expanded.
      let j = lt + 2;
      let depth = 0;
      for (; j < n; j++) {
        const c = text[j];
        if (c === '[') depth++;
        else if (c === ']') depth--;
        else if (c === '>' && depth <= 0) break;
      }
      if (j >= n) throw new XmlError('unterminated declaration');
      i = j + 1;
    } else if (text[lt + 1] === '/') {
      const end = text.indexOf('>', lt);
      if (end < 0) throw new XmlError('unterminated end tag');
      const name = localName(text.slice(lt + 2, end).trim());
      if (stack.length <= 1 || top.name !== name) throw new XmlError(`end tag </${name}> does not close <${top.name}>`);
      stack.pop();
      i = end + 1;
    } else {
      // Start tag: read to the `>` outside quoted attribute values.
      let j = lt + 1;
      let quote = '';
      for (; j < n; j++) {
        const c = text[j];
        if (quote) {
          if (c === quote) quote = '';
        } else if (c === '"' || c === "'") quote = c;
        else if (c === '>') break;
      }
      if (j >= n) throw new XmlError('unterminated start tag');
      const inner = text.slice(lt + 1, j);
      const selfClosing = inner.endsWith('/');
      const m = /^([^\s/>]+)/.exec(inner);
      if (!m) throw new XmlError('start tag without a name');
      const el: XmlElement = { name: localName(m[1]!), children: [], text: '' };
      if (++count > MAX_XML_ELEMENTS) throw new XmlError(`more than ${MAX_XML_ELEMENTS} elements`);
      top.children.push(el);
      if (!selfClosing) {
        if (stack.length > MAX_XML_DEPTH) throw new XmlError(`elements nested deeper than ${MAX_XML_DEPTH}`);
        stack.push(el);
      }
      i = j + 1;
    }
  }
  if (stack.length > 1) throw new XmlError(`<${stack[stack.length - 1]!.name}> is not closed`);
  return root;
}

export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return el?.children.find((c) => c.name === name);
}

export function childText(el: XmlElement | undefined, name: string): string | null {
  const c = child(el, name);
  return c ? c.text.trim() : null;
}
