/**
 * Content negotiation (http.html#mime-type, #parameters `_format`). JSON is the server's native format;
 * XML is converted at the edge (fhir/xml-format.ts).
 */
export { fromXml, toXml, tryToXml, type XmlResult } from '../fhir/xml-format.js';

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
