/**
 * A small XHTML reader for Narrative.div: text in, a tree of elements, text and comments out, or the
 * first reason the text is not one well-formed `<div>` element. It reads what an XML parser reads
 * (tags, attributes in either quote, comments, CDATA, character and the five XML entities) and no
 * more: no DTD, no processing instructions (neither belongs in a narrative), and other named entities
 * stay as written so the narrative check can name them.
 *
 * Hand-written rather than a dependency: the validator runs offline with no XML library, and a
 * narrative is small, so one linear pass is enough.
 */

/** What a reader of the XHTML hears, in document order. Text arrives with its entities decoded. */
export interface XhtmlHandler {
  start(name: string, attributes: ReadonlyMap<string, string>): void;
  end(name: string): void;
  text(text: string): void;
}

/** Deeper nesting is refused: no real narrative comes near it, and element paths grow with depth. */
export const MAX_XHTML_DEPTH = 1000;

/** Shared by every element without attributes: a long narrative has a million of them. */
const NO_ATTRIBUTES: ReadonlyMap<string, string> = new Map();

const XML_ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function isWhitespace(ch: number): boolean {
  return ch === 0x20 || ch === 0x09 || ch === 0x0a || ch === 0x0d;
}

function isNameChar(ch: number): boolean {
  return (
    (ch >= 0x61 && ch <= 0x7a) ||
    (ch >= 0x41 && ch <= 0x5a) ||
    (ch >= 0x30 && ch <= 0x39) ||
    ch === 0x2d ||
    ch === 0x2e ||
    ch === 0x5f ||
    ch === 0x3a ||
    ch > 0x7f
  );
}

/** Character references and the five XML entities decoded; any other `&name;` kept as written. */
export function decodeXmlText(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z][A-Za-z0-9]*);/g, (whole, body: string) => {
    if (body.startsWith('#')) {
      const code = body[1] === 'x' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return XML_ENTITIES[body] ?? whole;
  });
}

/** Reads the attributes of a start tag from `i` (just after the name) to its `>`. */
function readAttributes(
  s: string,
  start: number,
  name: string,
): { attributes: ReadonlyMap<string, string>; end: number; selfClosing: boolean } | { problem: string } {
  let attributes: Map<string, string> | undefined;
  let i = start;
  for (;;) {
    while (i < s.length && isWhitespace(s.charCodeAt(i))) i++;
    if (i >= s.length) return { problem: `the tag <${name}> is not closed with '>'` };
    const ch = s.charCodeAt(i);
    if (ch === 0x3e) return { attributes: attributes ?? NO_ATTRIBUTES, end: i, selfClosing: false };
    if (ch === 0x2f && s.charCodeAt(i + 1) === 0x3e)
      return { attributes: attributes ?? NO_ATTRIBUTES, end: i + 1, selfClosing: true };
    if (ch === 0x3c) return { problem: `the tag <${name}> is not closed with '>'` };
    const nameStart = i;
    while (i < s.length && isNameChar(s.charCodeAt(i))) i++;
    if (i === nameStart) return { problem: `the tag <${name}> has a malformed attribute` };
    const attribute = s.slice(nameStart, i);
    while (i < s.length && isWhitespace(s.charCodeAt(i))) i++;
    if (s.charCodeAt(i) !== 0x3d)
      return { problem: `the attribute '${attribute}' on <${name}> has no value (write ${attribute}="...")` };
    i++;
    while (i < s.length && isWhitespace(s.charCodeAt(i))) i++;
    const quote = s.charCodeAt(i);
    if (quote !== 0x22 && quote !== 0x27)
      return { problem: `the value of the attribute '${attribute}' on <${name}> is not quoted` };
    const close = s.indexOf(String.fromCharCode(quote), i + 1);
    if (close < 0) return { problem: `the tag <${name}> is not closed with '>'` };
    attributes ??= new Map();
    if (attributes.has(attribute))
      return { problem: `the attribute '${attribute}' appears twice on <${name}>` };
    attributes.set(attribute, decodeXmlText(s.slice(i + 1, close)));
    i = close + 1;
    const after = s.charCodeAt(i);
    if (i < s.length && !isWhitespace(after) && after !== 0x3e && after !== 0x2f)
      return { problem: `the attributes of <${name}> must be separated by white space` };
  }
}

/**
 * Reads a narrative, which must be exactly one `<div>` element with nothing but white space around it,
 * telling the handler what it meets. Returns why the text is not well formed, or undefined. Nothing is
 * kept: a long narrative has a million elements, and a tree of them would cost more than the reading.
 */
export function scanXhtml(s: string, handler?: XhtmlHandler): string | undefined {
  let i = 0;
  while (i < s.length && isWhitespace(s.charCodeAt(i))) i++;
  if (!s.startsWith('<div', i) || isNameChar(s.charCodeAt(i + 4))) return 'it must be a single <div> element';
  const open: string[] = [];
  let rootClosed = false;
  while (i < s.length) {
    const lt = s.indexOf('<', i);
    const text = s.slice(i, lt < 0 ? s.length : lt);
    if (rootClosed && text.trim() !== '') return 'there is content after the closing </div>';
    if (text !== '' && open.length > 0) handler?.text(decodeXmlText(text));
    if (lt < 0) break;
    if (s.startsWith('<!--', lt)) {
      const end = s.indexOf('-->', lt + 4);
      if (end < 0) return 'a comment is not closed';
      i = end + 3;
      continue;
    }
    if (s.startsWith('<![CDATA[', lt)) {
      const end = s.indexOf(']]>', lt + 9);
      if (end < 0) return 'a CDATA section is not closed';
      if (rootClosed) return 'there is content after the closing </div>';
      handler?.text(s.slice(lt + 9, end));
      i = end + 3;
      continue;
    }
    if (s.startsWith('<!DOCTYPE', lt) || s.startsWith('<!doctype', lt))
      return 'a DOCTYPE declaration is not allowed in a narrative';
    if (rootClosed) return 'there is content after the closing </div>';
    const closing = s.charCodeAt(lt + 1) === 0x2f;
    let j = closing ? lt + 2 : lt + 1;
    const nameStart = j;
    while (j < s.length && isNameChar(s.charCodeAt(j))) j++;
    if (j === nameStart)
      return `a '<' at position ${lt + 1} does not start a tag (write &lt; for a literal <)`;
    const name = s.slice(nameStart, j);
    if (closing) {
      while (j < s.length && isWhitespace(s.charCodeAt(j))) j++;
      if (s.charCodeAt(j) !== 0x3e) return `the tag </${name}> is not closed with '>'`;
      const expected = open.pop();
      if (expected !== name)
        return expected === undefined
          ? `the closing tag </${name}> has no opening tag`
          : `the closing tag </${name}> does not match <${expected}>`;
      handler?.end(name);
      if (open.length === 0) rootClosed = true;
      i = j + 1;
      continue;
    }
    const read = readAttributes(s, j, name);
    if ('problem' in read) return read.problem;
    handler?.start(name, read.attributes);
    if (read.selfClosing) {
      handler?.end(name);
      if (open.length === 0) rootClosed = true;
    } else if (open.push(name) > MAX_XHTML_DEPTH)
      return `the elements are nested deeper than ${MAX_XHTML_DEPTH} levels`;
    i = read.end + 1;
  }
  const unclosed = open[open.length - 1];
  if (unclosed !== undefined) return `the element <${unclosed}> is not closed`;
  return undefined;
}
