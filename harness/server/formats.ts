/**
 * Content negotiation (http.html#mime-type, #parameters `_format`) and the XML format (xml.html).
 *
 * JSON is the server's native format; XML is converted at the edge with FHIR.js (the `fhir` package),
 * whose R4 model ships with it. The conversion is lossy in two known ways it cannot report itself:
 * elements it does not know are dropped, and decimals come back as text. `fromXml` repairs the second
 * and refuses the first, so a client never loses data silently.
 */
import { Fhir } from 'fhir';

export type Format = 'json' | 'xml';

export const CONTENT_TYPES = {
  json: 'application/fhir+json; charset=utf-8',
  xml: 'application/fhir+xml; charset=utf-8',
} as const satisfies Record<Format, string>;

/**
 * The media types (and `_format` short names) of each format. The `+fhir` suffixes are the DSTU2
 * spellings many clients still send. `application/fhir json` is `application/fhir+json` after a query
 * string decoder turned an unencoded `+` into a space, a classic `_format` mistake servers tolerate.
 */
const MEDIA_TYPES: Record<Format, readonly string[]> = {
  json: [
    'application/fhir+json',
    'application/json',
    'application/json+fhir',
    'json',
    'application/fhir json',
  ],
  xml: [
    'application/fhir+xml',
    'application/xml',
    'text/xml',
    'application/xml+fhir',
    'xml',
    'application/fhir xml',
  ],
};

function formatOfMediaType(mediaType: string): Format | undefined {
  if (MEDIA_TYPES.json.includes(mediaType)) return 'json';
  if (MEDIA_TYPES.xml.includes(mediaType)) return 'xml';
  return undefined;
}

interface MediaRange {
  type: string;
  params: Map<string, string>;
}

/** `type/subtype; a=b; c="d"` → lower-cased type and parameters (values unquoted). */
function parseMediaRange(text: string): MediaRange {
  const [type = '', ...rest] = text.split(';');
  const params = new Map<string, string>();
  for (const param of rest) {
    const equals = param.indexOf('=');
    if (equals === -1) continue;
    const name = param.slice(0, equals).trim().toLowerCase();
    const value = param
      .slice(equals + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    params.set(name, value);
  }
  return { type: type.trim().toLowerCase(), params };
}

/** http.html#version-parameter: a request for another FHIR version is one we cannot serve. */
function isOurFhirVersion(range: MediaRange): boolean {
  const version = range.params.get('fhirversion');
  return version === undefined || version === '4.0' || version === '4.0.1';
}

const SUPPORTED_NAMES = 'application/fhir+json or application/fhir+xml';

/**
 * Chooses the response format: `_format` wins over Accept (http.html#parameters); a missing or empty
 * Accept means JSON. Accept q-values are honoured (RFC 9110 §12.5.1): each format takes the q of the
 * most specific range naming one of its media types; the higher q wins, then the more specific range,
 * then the earlier range, then JSON.
 */
export function negotiateResponseFormat(
  formatParam: string | undefined,
  accept: string | undefined,
): Format | { notAcceptable: string } {
  if (formatParam !== undefined && formatParam.trim() !== '') {
    const range = parseMediaRange(formatParam);
    const format = formatOfMediaType(range.type);
    if (format && isOurFhirVersion(range)) return format;
    return { notAcceptable: `_format=${formatParam} is not supported: use json, xml, ${SUPPORTED_NAMES}` };
  }
  if (accept === undefined || accept.trim() === '') return 'json';

  type Preference = { q: number; specificity: number; position: number };
  const best: Partial<Record<Format, Preference>> = {};
  accept.split(',').forEach((text, position) => {
    const range = parseMediaRange(text);
    const slash = range.type.indexOf('/');
    if (slash <= 0 || slash === range.type.length - 1) return; // not a media range; ignore it
    const qText = range.params.get('q') ?? '1';
    if (!/^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(qText)) return;
    const q = Number(qText);
    const specificity = range.type === '*/*' ? 0 : range.type.endsWith('/*') ? 1 : 2;
    for (const format of ['json', 'xml'] as const) {
      if (!MEDIA_TYPES[format].some((type) => matchesRange(type, range.type))) continue;
      if (!isOurFhirVersion(range)) continue;
      const current = best[format];
      // The most specific range decides a format's q, even when it lowers it (`*/*, application/xml;q=0`).
      if (!current || specificity > current.specificity) best[format] = { q, specificity, position };
      else if (specificity === current.specificity && q > current.q)
        best[format] = { q, specificity, position };
    }
  });
  const candidates = (['json', 'xml'] as const).filter((format) => (best[format]?.q ?? 0) > 0);
  candidates.sort((a, b) => {
    const pa = best[a] as Preference;
    const pb = best[b] as Preference;
    return pb.q - pa.q || pb.specificity - pa.specificity || pa.position - pb.position;
  });
  const chosen = candidates[0];
  if (chosen) return chosen;
  return {
    notAcceptable: `none of the media types in Accept (${accept}) is supported: use ${SUPPORTED_NAMES}`,
  };
}

function matchesRange(mediaType: string, range: string): boolean {
  if (!mediaType.includes('/') || mediaType.includes(' ')) return false; // short names are for _format only
  if (range === '*/*') return true;
  if (range.endsWith('/*')) return mediaType.startsWith(range.slice(0, -1));
  return mediaType === range;
}

/**
 * The format of a request body from its Content-Type. FHIR says clients SHALL send one; a missing one
 * is read as JSON anyway (leniency: curl users forget it, and JSON is the native format). Any charset
 * but UTF-8 is refused (FHIR is UTF-8 only), as is another FHIR version; the caller answers 415.
 */
export function requestBodyFormat(contentType: string | undefined): Format | { unsupported: string } {
  if (contentType === undefined || contentType.trim() === '') return 'json';
  const range = parseMediaRange(contentType);
  const format =
    range.type.includes('/') && !range.type.includes(' ') ? formatOfMediaType(range.type) : undefined;
  if (!format) {
    return { unsupported: `Content-Type ${contentType} is not supported: send ${SUPPORTED_NAMES}` };
  }
  const charset = range.params.get('charset')?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    return { unsupported: `charset=${charset} is not supported: FHIR content is UTF-8` };
  }
  if (!isOurFhirVersion(range)) {
    return {
      unsupported: `fhirVersion=${range.params.get('fhirversion')} is not supported: this server is R4 (4.0)`,
    };
  }
  return format;
}

// ---------------------------------------------------------------------------------------------- XML

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
