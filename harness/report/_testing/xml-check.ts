/**
 * A small, strict XML 1.0 well-formedness checker for tests: it rejects anything outside the subset
 * a JUnit file needs (no DOCTYPE, so no custom entities) and checks what matters for a fuzzer's
 * strings: every character is an XML `Char` (§2.2), references are the five predefined entities or
 * character references to legal characters, `<`/`&` never appear raw in text or attribute values,
 * `]]>` never appears in text, tags balance, attribute names are unique, and there is one root.
 * It returns the element tree with attribute values and text decoded, so tests can assert on what a
 * CI reader will see.
 * @internal
 */

export interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  /** Decoded character data directly inside this element (CDATA included). */
  readonly text: string;
}

const ENTITIES: Readonly<Record<string, string>> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };
const NAME = /[A-Za-z_:][-A-Za-z0-9_:.]*/y;

function isXmlChar(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

export class XmlError extends Error {}

export function parseXml(doc: string): XmlElement {
  // Every code point must be a Char; a lone surrogate shows up as a code point in D800–DFFF.
  for (let i = 0; i < doc.length; ) {
    const cp = doc.codePointAt(i) ?? 0;
    if (!isXmlChar(cp)) throw new XmlError(`illegal character U+${cp.toString(16).toUpperCase().padStart(4, "0")} at offset ${i}`);
    i += cp > 0xffff ? 2 : 1;
  }
  let pos = 0;
  const fail = (what: string): never => {
    throw new XmlError(`${what} at offset ${pos}: ${JSON.stringify(doc.slice(pos, pos + 40))}`);
  };
  const skipSpace = () => {
    while (pos < doc.length && /[ \t\r\n]/.test(doc[pos] ?? "")) pos++;
  };
  const name = (): string => {
    NAME.lastIndex = pos;
    const m = NAME.exec(doc);
    if (m === null) return fail("expected a name");
    pos += m[0].length;
    return m[0];
  };
  const reference = (): string => {
    const end = doc.indexOf(";", pos);
    if (end === -1) return fail("unterminated reference");
    const body = doc.slice(pos + 1, end);
    let out: string;
    if (/^#[0-9]+$/.test(body) || /^#x[0-9a-fA-F]+$/.test(body)) {
      const cp = body.startsWith("#x") ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      if (!isXmlChar(cp)) return fail(`character reference to an illegal character &${body};`);
      out = String.fromCodePoint(cp);
    } else {
      const e = ENTITIES[body];
      if (e === undefined) return fail(`undeclared entity &${body};`);
      out = e;
    }
    pos = end + 1;
    return out;
  };
  const misc = () => {
    for (;;) {
      skipSpace();
      if (doc.startsWith("<!--", pos)) {
        const end = doc.indexOf("-->", pos + 4);
        if (end === -1 || doc.slice(pos + 4, end).includes("--")) fail("bad comment");
        pos = end + 3;
      } else if (doc.startsWith("<?", pos) && !doc.startsWith("<?xml ", pos)) {
        const end = doc.indexOf("?>", pos);
        if (end === -1) fail("unterminated processing instruction");
        pos = end + 2;
      } else return;
    }
  };
  const element = (): XmlElement => {
    if (doc[pos] !== "<") fail("expected <");
    pos++;
    const tag = name();
    const attrs: Record<string, string> = {};
    for (;;) {
      const before = pos;
      skipSpace();
      if (doc.startsWith("/>", pos)) {
        pos += 2;
        return { name: tag, attrs, children: [], text: "" };
      }
      if (doc[pos] === ">") {
        pos++;
        break;
      }
      if (pos === before) fail("expected whitespace before an attribute");
      const attr = name();
      if (attr in attrs) fail(`duplicate attribute ${attr}`);
      skipSpace();
      if (doc[pos] !== "=") fail("expected =");
      pos++;
      skipSpace();
      const quote = doc[pos];
      if (quote !== '"' && quote !== "'") return fail("expected a quoted attribute value");
      pos++;
      let value = "";
      while (doc[pos] !== quote) {
        const c = doc[pos];
        if (c === undefined) fail("unterminated attribute value");
        if (c === "<") fail("raw < in an attribute value");
        if (c === "&") value += reference();
        else {
          value += /[\t\r\n]/.test(c ?? "") ? " " : c;
          pos++;
        }
      }
      pos++;
      attrs[attr] = value;
    }
    const children: XmlElement[] = [];
    let text = "";
    for (;;) {
      if (pos >= doc.length) fail(`unclosed <${tag}>`);
      if (doc.startsWith("</", pos)) {
        pos += 2;
        const closing = name();
        if (closing !== tag) fail(`</${closing}> closes <${tag}>`);
        skipSpace();
        if (doc[pos] !== ">") fail("expected > after end tag");
        pos++;
        return { name: tag, attrs, children, text };
      }
      if (doc.startsWith("<![CDATA[", pos)) {
        const end = doc.indexOf("]]>", pos);
        if (end === -1) fail("unterminated CDATA");
        text += doc.slice(pos + 9, end);
        pos = end + 3;
      } else if (doc.startsWith("<!--", pos) || doc.startsWith("<?", pos)) {
        misc();
      } else if (doc[pos] === "<") {
        children.push(element());
      } else if (doc[pos] === "&") {
        text += reference();
      } else {
        if (doc.startsWith("]]>", pos)) fail("]]> in character data");
        text += doc[pos];
        pos++;
      }
    }
  };

  if (doc.startsWith("<?xml ")) {
    const end = doc.indexOf("?>");
    if (end === -1) fail("unterminated XML declaration");
    pos = end + 2;
  }
  misc();
  if (doc.startsWith("<!DOCTYPE", pos)) fail("DOCTYPE is outside the checked subset");
  const root = element();
  misc();
  if (pos !== doc.length) fail("content after the root element");
  return root;
}

/** Every element named `name` in document order. */
export function findAll(root: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement) => {
    if (e.name === name) out.push(e);
    e.children.forEach(walk);
  };
  walk(root);
  return out;
}
