/**
 * A small, strict XML 1.0 well-formedness checker for the JUnit reporter's
 * tests (no XML parser is installed, and the project adds no dependency for
 * one). It throws on anything a conforming parser must reject in the subset
 * atrest writes — characters outside XML's Char production, an unescaped `<`
 * or `&`, an unknown entity, a character reference to a forbidden character,
 * `]]>` in text, an unquoted or duplicated attribute, a mismatched or
 * unclosed tag, more than one root element, content after the root — and
 * returns the element tree with attribute values and text decoded, so tests
 * can compare what a reader gets back with what went in.
 *
 * Supported: the XML declaration, elements, attributes, text, the five
 * predefined entities, decimal and hex character references, comments and
 * CDATA sections. Not supported (rejected): DOCTYPE and processing
 * instructions other than the declaration.
 */

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (not its children's), decoded. */
  text: string;
}

export class XmlError extends Error {}

const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const NAME = /^[A-Za-z_:][A-Za-z0-9._:-]*/;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function isXmlChar(code: number): boolean {
  return code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
}

export function parseXml(input: string): XmlElement {
  const bad = NOT_XML_CHAR.exec(input);
  if (bad) throw new XmlError(`character U+${bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} is not allowed in XML 1.0 (offset ${bad.index})`);
  // End-of-line handling (XML 1.0 §2.11): a parser sees CR LF and lone CR as LF.
  const doc = input.replace(/\r\n?/g, '\n');
  let pos = 0;
  const fail = (message: string): never => {
    throw new XmlError(`${message} at offset ${pos}: ${JSON.stringify(doc.slice(pos, pos + 40))}`);
  };

  const decl = /^<\?xml\s+version\s*=\s*("1\.0"|'1\.0')(\s+encoding\s*=\s*("[A-Za-z][A-Za-z0-9._-]*"|'[A-Za-z][A-Za-z0-9._-]*'))?(\s+standalone\s*=\s*("(yes|no)"|'(yes|no)'))?\s*\?>/.exec(doc);
  if (doc.startsWith('<?xml') && !decl) fail('malformed XML declaration');
  if (decl) pos = decl[0].length;

  const skipMisc = (): void => {
    for (;;) {
      const ws = /^\s*/.exec(doc.slice(pos))![0];
      pos += ws.length;
      if (doc.startsWith('<!--', pos)) comment();
      else return;
    }
  };
  const comment = (): void => {
    const end = doc.indexOf('-->', pos + 4);
    if (end < 0) fail('unterminated comment');
    if (doc.slice(pos + 4, end).includes('--')) fail('"--" inside a comment');
    pos = end + 3;
  };
  const reference = (): string => {
    // pos is at '&'
    const m = /^&(#x[0-9A-Fa-f]+|#[0-9]+|[A-Za-z_:][A-Za-z0-9._:-]*);/.exec(doc.slice(pos, pos + 20));
    if (!m) return fail('"&" that does not start an entity or character reference');
    const body = m[1]!;
    let value: string;
    if (body.startsWith('#')) {
      const code = body.startsWith('#x') ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      if (!isXmlChar(code)) fail(`character reference &${body}; names a character XML forbids`);
      value = String.fromCodePoint(code);
    } else {
      if (!(body in ENTITIES)) fail(`undeclared entity &${body};`);
      value = ENTITIES[body]!;
    }
    pos += m[0].length;
    return value;
  };
  const attrValue = (): string => {
    const quote = doc[pos];
    if (quote !== '"' && quote !== "'") return fail('attribute value not quoted');
    pos += 1;
    let value = '';
    for (;;) {
      if (pos >= doc.length) fail('unterminated attribute value');
      const ch = doc[pos]!;
      if (ch === quote) {
        pos += 1;
        return value;
      }
      if (ch === '<') fail('"<" in an attribute value');
      if (ch === '&') value += reference();
      else {
        // Attribute-value normalisation: literal whitespace characters become spaces (references survive).
        value += ch === '\t' || ch === '\n' ? ' ' : ch;
        pos += 1;
      }
    }
  };
  const element = (): XmlElement => {
    if (doc[pos] !== '<') fail('expected an element');
    pos += 1;
    const name = NAME.exec(doc.slice(pos))?.[0];
    if (!name) return fail('expected an element name');
    pos += name.length;
    const el: XmlElement = { name, attrs: {}, children: [], text: '' };
    for (;;) {
      const ws = /^\s*/.exec(doc.slice(pos))![0];
      pos += ws.length;
      if (doc.startsWith('/>', pos)) {
        pos += 2;
        return el;
      }
      if (doc[pos] === '>') {
        pos += 1;
        break;
      }
      if (ws.length === 0) fail('attributes must be separated by whitespace');
      const attr = NAME.exec(doc.slice(pos))?.[0];
      if (!attr) fail('expected an attribute name');
      pos += attr!.length;
      const eq = /^\s*=\s*/.exec(doc.slice(pos));
      if (!eq) fail('expected "=" after an attribute name');
      pos += eq![0].length;
      if (Object.prototype.hasOwnProperty.call(el.attrs, attr!)) fail(`duplicate attribute ${attr}`);
      el.attrs[attr!] = attrValue();
    }
    // Content.
    for (;;) {
      if (pos >= doc.length) fail(`element <${name}> is not closed`);
      if (doc.startsWith('</', pos)) {
        pos += 2;
        const close = NAME.exec(doc.slice(pos))?.[0];
        if (close !== name) fail(`</${close}> closes <${name}>`);
        pos += name.length;
        const tail = /^\s*>/.exec(doc.slice(pos));
        if (!tail) fail('malformed end tag');
        pos += tail![0].length;
        return el;
      }
      if (doc.startsWith('<!--', pos)) comment();
      else if (doc.startsWith('<![CDATA[', pos)) {
        const end = doc.indexOf(']]>', pos + 9);
        if (end < 0) fail('unterminated CDATA section');
        el.text += doc.slice(pos + 9, end);
        pos = end + 3;
      } else if (doc.startsWith('<?', pos) || doc.startsWith('<!', pos)) fail('processing instructions and declarations are not supported here');
      else if (doc[pos] === '<') el.children.push(element());
      else if (doc[pos] === '&') el.text += reference();
      else {
        if (doc.startsWith(']]>', pos)) fail('"]]>" in text');
        el.text += doc[pos];
        pos += 1;
      }
    }
  };

  skipMisc();
  if (doc.startsWith('<!DOCTYPE', pos)) fail('DOCTYPE is not supported here');
  const root = element();
  skipMisc();
  if (pos !== doc.length) fail('content after the root element');
  return root;
}

/** Every element of the tree named `name`, depth first. */
export function findAll(root: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (el: XmlElement): void => {
    if (el.name === name) out.push(el);
    el.children.forEach(walk);
  };
  walk(root);
  return out;
}
