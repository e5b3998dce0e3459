/**
 * The R4 primitive types as data: their names, the JSON type each must have, and the regex each one's
 * StructureDefinition gives, read with Java's semantics (the spec's regexes are written for Java) and
 * compiled once into JavaScript. primitives.ts applies them.
 */

export const PRIMITIVE_TYPE_NAMES = [
  'boolean',
  'integer',
  'string',
  'decimal',
  'uri',
  'url',
  'canonical',
  'base64Binary',
  'instant',
  'date',
  'dateTime',
  'time',
  'code',
  'oid',
  'id',
  'markdown',
  'unsignedInt',
  'positiveInt',
  'uuid',
  'xhtml',
] as const;

/** The R4 primitive type names: boolean, integer, string, decimal, uri, url, canonical, base64Binary, instant, date, dateTime, time, code, oid, id, markdown, unsignedInt, positiveInt, uuid, xhtml. */
export type PrimitiveTypeName = (typeof PRIMITIVE_TYPE_NAMES)[number];

const PRIMITIVE_TYPE_SET: ReadonlySet<string> = new Set(PRIMITIVE_TYPE_NAMES);

export function isPrimitiveType(name: string): name is PrimitiveTypeName {
  return PRIMITIVE_TYPE_SET.has(name);
}

/** The JSON type a primitive must have: boolean -> 'boolean'; integer, unsignedInt, positiveInt, decimal -> 'number'; everything else 'string'. */
export function jsonTypeOf(type: PrimitiveTypeName): 'boolean' | 'number' | 'string' {
  switch (type) {
    case 'boolean':
      return 'boolean';
    case 'integer':
    case 'unsignedInt':
    case 'positiveInt':
    case 'decimal':
      return 'number';
    default:
      return 'string';
  }
}

/**
 * The regex of each R4 primitive type, exactly as the `http://hl7.org/fhir/StructureDefinition/regex`
 * extension on `<type>.value` in hl7.fhir.r4.core#4.0.1 writes it (Java syntax, whole-value match).
 * They are facts of the spec, kept here so this module does no I/O; a test compares them with the
 * package. xhtml has none.
 */
export const R4_PRIMITIVE_REGEX: Readonly<Record<Exclude<PrimitiveTypeName, 'xhtml'>, string>> =
  Object.freeze({
    boolean: 'true|false',
    integer: '-?([0]|([1-9][0-9]*))',
    string: '[ \\r\\n\\t\\S]+',
    decimal: '-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?',
    uri: '\\S*',
    url: '\\S*',
    canonical: '\\S*',
    base64Binary: '(\\s*([0-9a-zA-Z\\+/=]){4}\\s*)+',
    instant:
      '([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)-(0[1-9]|1[0-2])-(0[1-9]|[1-2][0-9]|3[0-1])T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\\.[0-9]+)?(Z|(\\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))',
    date: '([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1]))?)?',
    dateTime:
      '([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1])(T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\\.[0-9]+)?(Z|(\\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00)))?)?)?',
    time: '([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\\.[0-9]+)?',
    code: '[^\\s]+(\\s[^\\s]+)*',
    oid: 'urn:oid:[0-2](\\.(0|[1-9][0-9]*))+',
    id: '[A-Za-z0-9\\-\\.]{1,64}',
    markdown: '[ \\r\\n\\t\\S]+',
    unsignedInt: '[0]|([1-9][0-9]*)',
    positiveInt: '[1-9][0-9]*',
    uuid: 'urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}',
  });

// ---------------------------------------------------------------------------------------------------
// Java regex semantics in JavaScript

/** What Java's `\s` matches (without UNICODE_CHARACTER_CLASS); JavaScript's `\s` also matches Unicode spaces. */
const JAVA_REGEX_WS = ['\t', '\n', '\x0B', '\f', '\r', ' '] as const;
const JAVA_REGEX_WS_CLASS_BODY = '\\t\\n\\x0B\\f\\r ';
const CLASS_ESCAPE_CHARS: Readonly<Record<string, string>> = { t: '\t', n: '\n', r: '\r', f: '\f' };

function classBodyOf(chars: readonly string[]): string {
  return chars.map((c) => (c === ' ' ? ' ' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)).join('');
}

/**
 * Compiles a spec regex (Java syntax, matched against the whole value) into a JavaScript RegExp with
 * the same meaning. Only `\s` and `\S` differ between the two for the R4 regexes: Java's are ASCII only.
 * Inside a positive class, `[abc\S]` means "anything but the whitespace the class does not list".
 * Throws on a construct it does not know, which the tests would catch at load.
 */
export function compileSpecRegex(source: string): RegExp {
  let out = '';
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      if (next === 's') out += `[${JAVA_REGEX_WS_CLASS_BODY}]`;
      else if (next === 'S') out += `[^${JAVA_REGEX_WS_CLASS_BODY}]`;
      else out += c + next;
      i += 2;
    } else if (c === '[') {
      let j = i + 1;
      const negated = source[j] === '^';
      if (negated) j++;
      let body = '';
      let hasLowerS = false;
      let hasUpperS = false;
      const listed = new Set<string>();
      while (j < source.length && source[j] !== ']') {
        const d = source[j]!;
        if (d === '\\') {
          const e = source[j + 1] ?? '';
          if (e === 's') hasLowerS = true;
          else if (e === 'S') hasUpperS = true;
          else {
            body += d + e;
            const literal = CLASS_ESCAPE_CHARS[e];
            if (literal) listed.add(literal);
          }
          j += 2;
        } else {
          body += d;
          listed.add(d);
          j++;
        }
      }
      if (j >= source.length) throw new Error(`unterminated character class in ${source}`);
      if (hasUpperS) {
        if (negated) throw new Error(`negated class with \\S is not supported: ${source}`);
        // \S already covers every non-whitespace member; what is left out is the unlisted whitespace.
        const excluded = hasLowerS ? [] : JAVA_REGEX_WS.filter((w) => !listed.has(w));
        out += excluded.length === 0 ? '[^]' : `[^${classBodyOf(excluded)}]`;
      } else {
        out += `[${negated ? '^' : ''}${body}${hasLowerS ? JAVA_REGEX_WS_CLASS_BODY : ''}]`;
      }
      i = j + 1;
    } else if (c === '(' && source[i + 1] !== '?') {
      out += '(?:'; // we only ever test, and non-capturing groups are cheaper
      i++;
    } else {
      out += c;
      i++;
    }
  }
  return new RegExp(`^(?:${out})$`);
}

/** Every R4 regex in JavaScript form, compiled once. */
export const R4_PRIMITIVE_JS_REGEX: Readonly<Record<Exclude<PrimitiveTypeName, 'xhtml'>, RegExp>> =
  Object.freeze(
    Object.fromEntries(
      Object.entries(R4_PRIMITIVE_REGEX).map(([type, source]) => [type, compileSpecRegex(source)]),
    ) as Record<Exclude<PrimitiveTypeName, 'xhtml'>, RegExp>,
  );
