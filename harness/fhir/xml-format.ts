/**
 * The FHIR XML format (xml.html), read and written with FHIR.js (the `fhir` package), whose R4 model
 * ships with it. The conversion is lossy in two known ways it cannot report itself: elements it does
 * not know are dropped, and decimals come back as text. `fromXml` repairs the second and refuses the
 * first, so nobody loses data silently. The server speaks it at its edge; `validate` reads XML files.
 */
import { Fhir } from 'fhir';

const FHIR_NAMESPACE = 'http://hl7.org/fhir';
const ROOT_NAMESPACE = /\sxmlns\s*=\s*(["'])http:\/\/hl7\.org\/fhir\1/;

interface PropertyDefinition {
  _name: string;
  _type?: string;
  _properties?: PropertyDefinition[];
}
type ParsedTypes = Record<string, { _properties?: PropertyDefinition[] } | undefined>;

let fhirInstance: Fhir | undefined;
/** Built on first use: FHIR.js loads its whole R4 model (a few MB), which a JSON-only run never needs. */
function fhir(): Fhir {
  fhirInstance ??= new Fhir();
  return fhirInstance;
}

export type XmlResult = { ok: true; xml: string } | { ok: false; message: string };

/** A resource as FHIR XML, or why it could not be written. Never throws. */
export function tryToXml(resource: object): XmlResult {
  try {
    if (!('resourceType' in resource) || typeof resource.resourceType !== 'string') {
      return { ok: false, message: 'the object has no resourceType' };
    }
    return { ok: true, xml: fhir().objToXml(resource) };
  } catch (error) {
    return { ok: false, message: `cannot write XML: ${errorText(error)}` };
  }
}

/**
 * A resource as FHIR XML. Never throws: should the conversion fail (only for an object that is not a
 * valid resource, which the server never stores), the answer is an OperationOutcome in XML saying so.
 * Callers that want to pick the status themselves use `tryToXml`.
 */
export function toXml(resource: object): string {
  const result = tryToXml(resource);
  if (result.ok) return result.xml;
  const outcome = {
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'fatal', code: 'exception', diagnostics: result.message }],
  };
  const fallback = tryToXml(outcome);
  return fallback.ok ? fallback.xml : `<OperationOutcome xmlns="${FHIR_NAMESPACE}"/>`;
}

/**
 * Reads a FHIR XML resource. Never throws. Refused: a DOCTYPE (FHIR XML has none; refusing it stops
 * entity expansion and external entities before parsing, and sax never expands declared entities
 * anyway), a root outside the FHIR namespace, elements FHIR.js does not know (it would drop them
 * silently), malformed XML and values of the wrong type. Comments and processing instructions are
 * ignored.
 */
export function fromXml(text: string): { ok: true; resource: object } | { ok: false; message: string } {
  try {
    // Comments and PIs go first: FHIR.js wants a single root node, and turns comments into the
    // DSTU2 `fhir_comments` property, which R4 JSON does not have.
    const xml = withoutMarkup(withoutMarkup(text, '<!--', '-->'), '<?', '?>');
    if (xml === undefined)
      return { ok: false, message: 'invalid FHIR XML: an unterminated comment or processing instruction' };
    if (/<!DOCTYPE/i.test(xml) || /<!ENTITY/i.test(xml)) {
      return {
        ok: false,
        message: 'XML with a DOCTYPE or entity declarations is not accepted (FHIR XML has no DTD)',
      };
    }
    const root = rootStartTag(xml);
    if (!root) return { ok: false, message: 'the XML holds no element' };
    if (!ROOT_NAMESPACE.test(root.attributes)) {
      return {
        ok: false,
        message: `the root element <${root.name}> must be in the FHIR namespace ${FHIR_NAMESPACE}`,
      };
    }
    const resource: unknown = fhir().xmlToObj(xml);
    if (typeof resource !== 'object' || resource === null)
      return { ok: false, message: 'the XML holds no resource' };
    restoreDecimals(resource as Record<string, unknown>, undefined, fhir().parser.parsedStructureDefinitions);
    const lost = lostElements(xml, resource);
    if (lost) return { ok: false, message: lost };
    return { ok: true, resource };
  } catch (error) {
    return { ok: false, message: `invalid FHIR XML: ${errorText(error)}` };
  }
}

/**
 * The text without every `open ... close` section, or undefined when one is not closed. Scans with
 * indexOf rather than a lazy regex, which takes quadratic time on many unclosed openings.
 */
function withoutMarkup(text: string | undefined, open: string, close: string): string | undefined {
  if (text === undefined) return undefined;
  let result = '';
  let from = 0;
  for (;;) {
    const start = text.indexOf(open, from);
    if (start === -1) return result + text.slice(from);
    const end = text.indexOf(close, start + open.length);
    if (end === -1) return undefined;
    result += text.slice(from, start);
    from = end + close.length;
  }
}

/** The first element's start tag. Linear: the name is matched at one place, the rest is an indexOf. */
function rootStartTag(xml: string): { name: string; attributes: string } | undefined {
  const start = /<[A-Za-z_]/.exec(xml)?.index;
  if (start === undefined) return undefined;
  const end = xml.indexOf('>', start);
  if (end === -1) return undefined;
  const tag = xml.slice(start + 1, end);
  const name = /^[^\s/]+/.exec(tag)?.[0] ?? '';
  return { name, attributes: tag.slice(name.length) };
}

function errorText(error: unknown): string {
  if (error instanceof RangeError) return 'the XML is nested too deeply';
  // sax reports "message\nLine: 0\nColumn: 61\nChar: >"; keep it on one line.
  return (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ', ');
}

/**
 * FHIR.js leaves decimals as their text (to keep precision in its own JSON writer); the server's
 * resources hold JSON numbers. Walks the object along FHIR.js's model and turns decimal text (already
 * checked against the decimal grammar by FHIR.js) into numbers.
 */
function restoreDecimals(
  value: Record<string, unknown>,
  properties: PropertyDefinition[] | undefined,
  types: ParsedTypes,
): void {
  const definitions =
    properties ??
    (typeof value.resourceType === 'string' ? types[value.resourceType]?._properties : undefined);
  if (!definitions) return;
  for (const property of definitions) {
    const item = value[property._name];
    if (item === undefined || item === null) continue;
    const type = property._type ?? '';
    if (type === 'decimal') {
      value[property._name] = Array.isArray(item) ? item.map(toDecimal) : toDecimal(item);
      continue;
    }
    // FHIR.js gives inline `_properties` to backbone elements, and an empty list to named types.
    const inline = property._properties?.length ? property._properties : undefined;
    const childProperties = type === 'Resource' ? undefined : (inline ?? propertiesOfType(type, types));
    if (type !== 'Resource' && !childProperties) continue; // a primitive
    for (const child of Array.isArray(item) ? item : [item]) {
      if (typeof child === 'object' && child !== null) {
        restoreDecimals(child as Record<string, unknown>, childProperties, types);
      }
    }
  }
}

function toDecimal(text: unknown): unknown {
  return typeof text === 'string' ? Number(text) : text;
}

/** The properties of a named type, or of a `#Type.path` reference to an element of another type. */
function propertiesOfType(type: string, types: ParsedTypes): PropertyDefinition[] | undefined {
  if (!type.startsWith('#')) return types[type]?._properties;
  const [typeName = '', ...path] = type.slice(1).split('.');
  let properties = types[typeName]?._properties;
  for (const name of path) properties = properties?.find((property) => property._name === name)?._properties;
  return properties;
}

/**
 * FHIR.js drops elements it does not know. Writing the result back and counting start tags per name
 * finds them (a name that occurs less often than in the input), without a second XML parser.
 */
function lostElements(xml: string, resource: object): string | undefined {
  const written = fhir().objToXml(resource);
  const before = countStartTags(xml);
  const after = countStartTags(written);
  const lost = [...before].filter(([name, count]) => (after.get(name) ?? 0) < count).map(([name]) => name);
  if (lost.length === 0) return undefined;
  return `the XML holds elements that are unknown, misplaced or empty here, which would be lost: <${lost.join('>, <')}>`;
}

function countStartTags(xml: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const match of xml.matchAll(/<([A-Za-z_][^\s/<>]*)/g)) {
    const name = match[1] ?? '';
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}
