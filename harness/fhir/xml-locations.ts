/**
 * Where each element of a FHIR XML document starts, by the path the validator names it with, so issues
 * found on the JSON FHIR.js made of it point back at the XML's lines and columns. One pass over the
 * start and end tags; comments, processing instructions and CDATA are skipped, and the XHTML of a
 * narrative is one element (its inside is not FHIR).
 */

export interface XmlLocation {
  line: number;
  column: number;
}

interface Frame {
  path: string;
  /** How many children of each name were met so far: the next one's index. */
  counts: Map<string, number>;
}

const TAG = /<(\/?)([A-Za-z_][\w.-]*)((?:[^>"']|"[^"]*"|'[^']*')*?)(\/?)>|<!--|<\?|<!\[CDATA\[/g;
const SKIP_TO: Record<string, string> = { '<!--': '-->', '<?': '?>', '<![CDATA[': ']]>' };

/**
 * The places of a document's elements, for `locateInXml`: by element path with the `[0]`s left out
 * (`Patient.name[1].given`), so a path reads the same whether or not the element repeats.
 */
export function xmlElementLocations(xml: string): Map<string, XmlLocation> {
  const places = new Map<string, XmlLocation>();
  const stack: Frame[] = [];
  const position = positions(xml);
  TAG.lastIndex = 0;
  for (let match = TAG.exec(xml); match; match = TAG.exec(xml)) {
    const skip = SKIP_TO[match[0]];
    if (skip !== undefined) {
      const end = xml.indexOf(skip, match.index + match[0].length);
      if (end === -1) break;
      TAG.lastIndex = end + skip.length;
      continue;
    }
    const [, closing, name = '', , selfClosing] = match;
    if (closing) {
      stack.pop();
      continue;
    }
    const parent = stack[stack.length - 1];
    let path: string;
    if (!parent) path = name;
    else if (/^[A-Z]/.test(name))
      path = parent.path; // a resource inside contained or entry.resource
    else {
      const index = parent.counts.get(name) ?? 0;
      parent.counts.set(name, index + 1);
      path = `${parent.path}.${name}[${index}]`;
    }
    const key = withoutFirstIndexes(path);
    if (!places.has(key)) places.set(key, position(match.index));
    if (selfClosing) continue;
    if (name === 'div' && /xmlns\s*=\s*["']http:\/\/www\.w3\.org\/1999\/xhtml["']/.test(match[3] ?? '')) {
      TAG.lastIndex = endOfElement(xml, 'div', TAG.lastIndex);
      continue;
    }
    stack.push({ path, counts: new Map() });
  }
  return places;
}

/** Where the element whose start tag ended at `from` closes: past its matching end tag. */
function endOfElement(xml: string, name: string, from: number): number {
  const tags = new RegExp(`<(/?)${name}\\b[^>]*?(/?)>`, 'g');
  tags.lastIndex = from;
  let depth = 1;
  for (let match = tags.exec(xml); match; match = tags.exec(xml)) {
    if (match[1]) depth--;
    else if (!match[2]) depth++;
    if (depth === 0) return tags.lastIndex;
  }
  return xml.length;
}

/** Line and column of offsets asked for in increasing order. */
function positions(text: string): (offset: number) => XmlLocation {
  let line = 1;
  let lineStart = 0;
  let next = text.indexOf('\n');
  return (offset) => {
    while (next !== -1 && next < offset) {
      line++;
      lineStart = next + 1;
      next = text.indexOf('\n', lineStart);
    }
    return { line, column: offset - lineStart + 1 };
  };
}

/**
 * The place of the element an issue's expression names, or of its nearest ancestor the XML shows:
 * `Bundle.entry[0].resource/*Patient/x*\/.value.ofType(Quantity)` is looked up as
 * `Bundle.entry.resource.valueQuantity`.
 */
export function locateInXml(places: Map<string, XmlLocation>, expression: string): XmlLocation | undefined {
  let key = withoutFirstIndexes(
    expression
      .replace(/\/\*.*?\*\//g, '')
      .replace(
        /\.ofType\(([A-Za-z]+)\)/g,
        (_all, type: string) => type.charAt(0).toUpperCase() + type.slice(1),
      ),
  );
  for (;;) {
    const found = places.get(key);
    if (found) return found;
    const cut = key.lastIndexOf('.');
    if (cut === -1) return undefined;
    key = key.slice(0, cut);
  }
}

const withoutFirstIndexes = (path: string) => path.replace(/\[0\]/g, '');
