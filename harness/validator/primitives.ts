/**
 * The checks the validator applies to one FHIR R4 primitive value as it appears in JSON: the JSON type,
 * numbers, strings, codes, ids, uris, base64 and xhtml here; dates and times in primitive-dates.ts; the
 * types and their regexes in primitive-types.ts.
 *
 * The rules are those of the R4 spec (datatypes.html, json.html) as the HL7 Java validator applies them
 * (InstanceValidator.checkPrimitive): the JSON type, the regex of each primitive type from its
 * StructureDefinition, real calendar dates, the 32-bit integer range, the whitespace rules of code, uri
 * and string, the 1 MB limit of string. Where HL7 is stricter than the regex (code whitespace, the
 * urn:uuid:/urn:oid: content of any uri, absolute canonicals) we follow HL7, since it is the bar.
 *
 * Profile constraints (maxLength, minValue, maxValue, fixed, pattern, bindings) are not checked here:
 * they belong to the element, not to the type.
 *
 * Hot path: this runs on every primitive of every resource. Regexes are compiled once at load, a valid
 * value allocates nothing (the shared frozen NO_PROBLEMS is returned), and long inputs are scanned by
 * hand where a backtracking regex could blow up (string, code, base64Binary).
 */
import { R4_PRIMITIVE_JS_REGEX, jsonTypeOf, type PrimitiveTypeName } from './primitive-types.js';
import { checkDate, checkDateTime, checkInstant, checkTime } from './primitive-dates.js';
import { scanXhtml } from './xhtml.js';
import {
  MAX_STRING_LENGTH,
  NO_PROBLEMS,
  isAllWhitespace,
  isJavaRegexWhitespace,
  isWhitespace,
  one,
  quote,
  type PrimitiveProblem,
} from './primitive-problems.js';

const INTEGER_RE = R4_PRIMITIVE_JS_REGEX.integer;
const UNSIGNED_INT_RE = R4_PRIMITIVE_JS_REGEX.unsignedInt;
const POSITIVE_INT_RE = R4_PRIMITIVE_JS_REGEX.positiveInt;
const DECIMAL_RE = R4_PRIMITIVE_JS_REGEX.decimal;
const OID_RE = R4_PRIMITIVE_JS_REGEX.oid;
const UUID_RE = R4_PRIMITIVE_JS_REGEX.uuid;
const ID_RE = R4_PRIMITIVE_JS_REGEX.id;
/** Java regex `\s` anywhere, or Unicode whitespace at either end: what HL7 rejects in a uri. */
const URI_WHITESPACE_RE =
  /[\t-\r ]|^[\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]|[\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/;
/** Only digits with an optional sign: what HL7's Utilities.isInteger accepts before the range test. */
const DIGITS_RE = /^-?[0-9]+$/;
/** The body of an OID (after urn:oid:), as OIDUtilities.isValidOID and the R4 oid regex read it. */
const OID_BODY_RE = /^[0-2](\.(0|[1-9][0-9]*))+$/;
const UUID_BODY_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return `the string ${quote(value)}`;
    case 'number':
      return `the number ${String(value)}`;
    case 'boolean':
      return `the boolean ${String(value)}`;
    case 'object':
      return 'an object';
    case 'undefined':
      return 'nothing';
    default:
      return `a ${typeof value}`;
  }
}

function jsonTypeProblem(type: PrimitiveTypeName, value: unknown): readonly PrimitiveProblem[] {
  const expected = jsonTypeOf(type);
  const shape = expected === 'boolean' ? 'a JSON boolean (true or false)' : `a JSON ${expected}`;
  return one('json-type', `A ${type} must be ${shape}, but found ${describeJson(value)}`);
}

// ---------------------------------------------------------------------------------------------------
// Checks per type family. Each receives a value whose JSON type is already right.

type Check = (value: never, numberText: string | undefined) => readonly PrimitiveProblem[];

function checkBoolean(): readonly PrimitiveProblem[] {
  return NO_PROBLEMS; // the JSON type is the whole rule: true|false
}

function integerText(value: number, numberText: string | undefined): string {
  return numberText ?? String(value);
}

function checkIntegerFamily(
  type: 'integer' | 'unsignedInt' | 'positiveInt',
  value: number,
  numberText: string | undefined,
): readonly PrimitiveProblem[] {
  if (!Number.isFinite(value)) return one('format', `The value ${String(value)} is not a valid ${type}`);
  const text = integerText(value, numberText);
  const form = type === 'integer' ? INTEGER_RE : type === 'unsignedInt' ? UNSIGNED_INT_RE : POSITIVE_INT_RE;
  // The common case first; the checks below only run to explain a failure.
  if (Number.isInteger(value) && value <= INT32_MAX && value >= INT32_MIN && form.test(text))
    return NO_PROBLEMS;
  if (!DIGITS_RE.test(text) || !Number.isInteger(value)) {
    return one(
      'format',
      `The value ${quote(text)} is not a valid ${type}: an integer is written as whole digits, without a fraction or exponent`,
    );
  }
  if (value < INT32_MIN || value > INT32_MAX) {
    const name = type === 'integer' ? 'Integer' : type;
    return one(
      'range',
      `${name} ${text} is outside the range ${type === 'integer' ? INT32_MIN : type === 'unsignedInt' ? 0 : 1} to ${INT32_MAX}`,
    );
  }
  if (type === 'unsignedInt' && value < 0) {
    return one(
      'range',
      `unsignedInt ${text} is outside the range 0 to ${INT32_MAX}: it must not be negative`,
    );
  }
  if (type === 'positiveInt' && value < 1) {
    return one('range', `positiveInt ${text} is outside the range 1 to ${INT32_MAX}: it must be 1 or more`);
  }
  if (!form.test(text)) {
    return one(
      'format',
      `The value ${quote(text)} is not a valid ${type}: leading zeros (or a sign) are not allowed`,
    );
  }
  return NO_PROBLEMS;
}

function checkDecimal(value: number, numberText: string | undefined): readonly PrimitiveProblem[] {
  if (!Number.isFinite(value)) return one('format', `The value ${String(value)} is not a valid decimal`);
  const text = numberText ?? String(value);
  if (DECIMAL_RE.test(text)) return NO_PROBLEMS;
  let reason = 'expected digits with an optional sign, fraction and exponent, such as -12.50 or 1.2e-3';
  if (/^[+-]?0[0-9]/.test(text)) reason = 'leading zeros are not allowed';
  else if (text.startsWith('+')) reason = 'a leading + is not allowed';
  else if (/\.($|[eE])/.test(text)) reason = 'a decimal point must be followed by digits';
  else if (/^-?\./.test(text)) reason = 'a decimal point must be preceded by digits';
  return one('format', `The value ${quote(text)} is not a valid decimal: ${reason}`);
}

/**
 * HL7 warns (TYPE_SPECIFIC_CHECKS_DT_DECIMAL_RANGE) about decimals beyond what common implementations
 * hold: more than 18 significant digits, or an exponent of more than 4 digits. It is not a problem of
 * the value, so checkPrimitive does not report it; the caller may, as a warning.
 */
export function exceedsCommonDecimalRange(numberText: string): boolean {
  let digits = 0;
  let exponentDigits = 0;
  let inExponent = false;
  for (let i = 0; i < numberText.length; i++) {
    const c = numberText.charCodeAt(i);
    if (c === 0x65 || c === 0x45) inExponent = true;
    else if (c >= 0x30 && c <= 0x39) {
      if (inExponent) exponentDigits++;
      else digits++;
    }
  }
  return digits > 18 || exponentDigits > 4;
}

/** string and markdown: not empty, only characters the regex `[ \r\n\t\S]+` allows (Java \S). */
function forbiddenStringChar(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    if (ch === 0x0b || ch === 0x0c) return i;
  }
  return -1;
}

function checkString(value: string): readonly PrimitiveProblem[] {
  if (value.length === 0) return one('empty', 'A string must not be empty: leave the property out instead');
  let problems: PrimitiveProblem[] | undefined;
  if (value.length > MAX_STRING_LENGTH) {
    problems = [
      {
        kind: 'length',
        message: `The string is ${value.length} characters long, more than the maximum of 1 MB (${MAX_STRING_LENGTH} characters)`,
      },
    ];
  }
  const bad = forbiddenStringChar(value);
  if (bad >= 0) {
    (problems ??= []).push({
      kind: 'format',
      message: `The string contains a ${value.charCodeAt(bad) === 0x0b ? 'vertical tab' : 'form feed'} at position ${bad + 1}, which a FHIR string does not allow`,
    });
  }
  const first = value.charCodeAt(0);
  const last = value.charCodeAt(value.length - 1);
  if (isWhitespace(first) || isWhitespace(last)) {
    (problems ??= []).push(
      isAllWhitespace(value)
        ? { kind: 'whitespace', message: 'The string is only whitespace' }
        : { kind: 'whitespace', message: `The value ${quote(value)} starts or ends with whitespace` },
    );
  }
  return problems ?? NO_PROBLEMS;
}

function checkMarkdown(value: string): readonly PrimitiveProblem[] {
  // Neither whitespace nor the 1 MB limit: HL7 applies those to `string` only (whitespace is
  // meaningful in markdown, and the R4 markdown definition has no maxLength).
  if (value.length === 0)
    return one('empty', 'A markdown value must not be empty: leave the property out instead');
  const bad = forbiddenStringChar(value);
  if (bad >= 0) {
    return one(
      'format',
      `The markdown contains a ${value.charCodeAt(bad) === 0x0b ? 'vertical tab' : 'form feed'} at position ${bad + 1}, which FHIR does not allow`,
    );
  }
  return NO_PROBLEMS;
}

/**
 * HL7's code rule, stricter than the regex `[^\s]+(\s[^\s]+)*`: no leading or trailing whitespace, and
 * inside only single spaces (a tab or newline, even single, is rejected).
 */
function checkCode(value: string): readonly PrimitiveProblem[] {
  if (value.length === 0) return one('empty', 'A code must not be empty: leave the property out instead');
  let previousWasSpace = true; // so a leading space fails
  for (let i = 0; i < value.length; i++) {
    const ch = value.charCodeAt(i);
    if (ch === 0x20) {
      if (previousWasSpace) return codeWhitespaceProblem(value);
      previousWasSpace = true;
    } else if (isWhitespace(ch)) {
      return codeWhitespaceProblem(value);
    } else {
      previousWasSpace = false;
    }
  }
  if (previousWasSpace) return codeWhitespaceProblem(value);
  return NO_PROBLEMS;
}

function codeWhitespaceProblem(value: string): readonly PrimitiveProblem[] {
  return one(
    'format',
    `The code ${quote(value)} is not valid: a code has no leading or trailing whitespace, and only single spaces inside`,
  );
}

function checkId(value: string): readonly PrimitiveProblem[] {
  if (value.length === 0) return one('empty', 'An id must not be empty: leave the property out instead');
  if (ID_RE.test(value)) return NO_PROBLEMS;
  if (value.length > 64 && /^[A-Za-z0-9\-.]+$/.test(value)) {
    return one('length', `The id ${quote(value)} is ${value.length} characters long; an id has at most 64`);
  }
  return one(
    'format',
    `The id ${quote(value)} is not valid: an id has only letters, digits, '-' and '.' (at most 64 characters)`,
  );
}

/** Utilities.isAbsoluteUrl of the HL7 validator: a lowercase scheme, then something without spaces. */
function isAbsoluteUrl(ref: string): boolean {
  const colon = ref.indexOf(':');
  if (colon <= 0 || colon === ref.length - 1) return false;
  if (ref.indexOf(' ', colon + 1) >= 0) return false;
  for (let i = 0; i < colon; i++) {
    const ch = ref.charCodeAt(i);
    const lowerLetter = ch >= 0x61 && ch <= 0x7a;
    if (i === 0 ? !lowerLetter : !(lowerLetter || (ch >= 0x30 && ch <= 0x39) || ch === 0x5f)) {
      // HL7 also accepts a few mixed-case prefixes (urn:iso-...), all of them lowercase "urn" here.
      return false;
    }
  }
  return true;
}

type UriType = 'uri' | 'url' | 'canonical' | 'oid' | 'uuid';

function checkUriFamily(type: UriType, value: string): readonly PrimitiveProblem[] {
  if (value.length === 0) return one('empty', `A ${type} must not be empty: leave the property out instead`);
  if (URI_WHITESPACE_RE.test(value)) {
    return one('format', `The ${type} ${quote(value)} is not valid: it must not contain whitespace`);
  }
  if (value.startsWith('oid:')) {
    return one(
      'format',
      `The ${type} ${quote(value)} is not valid: an OID as a URI starts with urn:oid:, not oid:`,
    );
  }
  if (value.startsWith('uuid:')) {
    return one(
      'format',
      `The ${type} ${quote(value)} is not valid: a UUID as a URI starts with urn:uuid:, not uuid:`,
    );
  }
  if (type === 'oid') {
    if (!value.startsWith('urn:oid:')) {
      return one('format', `The oid ${quote(value)} is not valid: it must start with urn:oid:`);
    }
    if (!OID_RE.test(value)) {
      return one(
        'format',
        `The oid ${quote(value)} is not valid: expected urn:oid: and dotted numbers, such as urn:oid:2.16.840.1`,
      );
    }
  } else if (type === 'uuid') {
    if (!value.startsWith('urn:uuid:')) {
      return one('format', `The uuid ${quote(value)} is not valid: it must start with urn:uuid:`);
    }
  } else if (type === 'canonical' && value.charCodeAt(0) !== 0x23 && !isAbsoluteUrl(value)) {
    return one(
      'format',
      `The canonical ${quote(value)} is not valid: a canonical URL must be absolute (or a local reference starting with #)`,
    );
  }
  if (value.startsWith('urn:uuid:')) {
    let end = value.indexOf('#');
    if (end < 0) end = value.length;
    if (type === 'canonical') {
      const bar = value.lastIndexOf('|', end - 1);
      if (bar >= 0) end = bar;
    }
    const body = value.slice(9, end);
    if (!UUID_BODY_RE.test(body) || (type === 'uuid' && !UUID_RE.test(value))) {
      return one(
        'format',
        `The ${type} ${quote(value)} is not valid: UUIDs must be valid and lowercase (${body})`,
      );
    }
  } else if (value.startsWith('urn:oid:') && type !== 'oid') {
    const body = value.slice(8);
    if (!OID_BODY_RE.test(body)) {
      return one('format', `The ${type} ${quote(value)} is not valid: ${quote(body)} is not an OID`);
    }
  }
  if (value.startsWith('urn:oid:')) {
    // HL7: OIDs whose root is this short are almost never real namespaces, except under 1.3.
    const body = value.slice(8);
    if (body.lastIndexOf('.') < 4 && !body.startsWith('1.3')) {
      return one(
        'format',
        `The ${type} ${quote(value)} is not valid: the OID ${body} is too short to be a real namespace`,
      );
    }
  }
  return NO_PROBLEMS;
}

/**
 * base64Binary, scanned by hand instead of the R4 regex `(\s*([0-9a-zA-Z\+/=]){4}\s*)+`, which
 * backtracks exponentially on a long attachment that fails near its end. Same language: runs of
 * base64 characters whose lengths are multiples of 4, separated by (Java) whitespace. On top, as HL7:
 * '=' only as padding at the very end. Whitespace between quartets is legal in R4 but HL7 warns.
 */
function checkBase64(value: string): readonly PrimitiveProblem[] {
  if (value.length === 0)
    return one('empty', 'A base64Binary must not be empty: leave the property out instead');
  let run = 0;
  let total = 0;
  let padding = 0;
  let hasWhitespace = false;
  let badRun = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value.charCodeAt(i);
    if (isJavaRegexWhitespace(ch)) {
      hasWhitespace = true;
      if (run % 4 !== 0) badRun = true;
      run = 0;
      continue;
    }
    const isAlphabet =
      (ch >= 0x41 && ch <= 0x5a) ||
      (ch >= 0x61 && ch <= 0x7a) ||
      (ch >= 0x30 && ch <= 0x39) ||
      ch === 0x2b ||
      ch === 0x2f;
    if (ch === 0x3d) padding++;
    else if (!isAlphabet || padding > 0)
      return base64Problem(
        value,
        'it has a character outside the base64 alphabet, or data after the = padding',
      );
    run++;
    total++;
  }
  if (run % 4 !== 0) badRun = true;
  if (total === 0) return base64Problem(value, 'it has no data');
  if (padding > 2 || total % 4 !== 0)
    return base64Problem(value, 'its length is not a multiple of 4 (check the = padding)');
  if (badRun) return base64Problem(value, 'whitespace may only come between groups of 4 characters');
  if (hasWhitespace) {
    return one(
      'whitespace',
      'The base64Binary contains whitespace, which is allowed in R4 but should be avoided',
    );
  }
  return NO_PROBLEMS;
}

function base64Problem(value: string, reason: string): readonly PrimitiveProblem[] {
  return one('format', `The value ${quote(value)} is not valid base64Binary: ${reason}`);
}

function checkXhtml(value: string): readonly PrimitiveProblem[] {
  if (value.length === 0)
    return one('empty', 'An xhtml value must not be empty: leave the property out instead');
  const problem = scanXhtml(value);
  return problem ? one('format', `The xhtml is not valid: ${problem}`) : NO_PROBLEMS;
}

// ---------------------------------------------------------------------------------------------------
// Dispatch

const CHECKS: Readonly<Record<PrimitiveTypeName, Check>> = {
  boolean: checkBoolean,
  integer: (v: number, t) => checkIntegerFamily('integer', v, t),
  unsignedInt: (v: number, t) => checkIntegerFamily('unsignedInt', v, t),
  positiveInt: (v: number, t) => checkIntegerFamily('positiveInt', v, t),
  decimal: checkDecimal,
  string: checkString,
  markdown: checkMarkdown,
  code: checkCode,
  id: checkId,
  uri: (v: string) => checkUriFamily('uri', v),
  url: (v: string) => checkUriFamily('url', v),
  canonical: (v: string) => checkUriFamily('canonical', v),
  oid: (v: string) => checkUriFamily('oid', v),
  uuid: (v: string) => checkUriFamily('uuid', v),
  base64Binary: checkBase64,
  date: checkDate,
  dateTime: checkDateTime,
  instant: checkInstant,
  time: checkTime,
  xhtml: checkXhtml,
};

/**
 * Checks one JSON value against the rules of the primitive type. `numberText` is the number exactly as written in the
 * source when known (to check decimal/integer form: "1.0" is a valid decimal, "01" is not; integers must not have a
 * fraction or exponent). Returns the problems (usually 0 or 1), never throws.
 *
 * The result is shared and frozen when there is no problem: do not mutate it. Severity is the caller's:
 * every kind is an error in HL7 except 'whitespace' (a warning, for string and base64Binary).
 */
export function checkPrimitive(
  type: PrimitiveTypeName,
  value: unknown,
  numberText?: string,
): readonly PrimitiveProblem[] {
  try {
    const check = CHECKS[type];
    if (check === undefined) return one('format', `'${String(type)}' is not a FHIR R4 primitive type`);
    if (typeof value !== jsonTypeOf(type)) return jsonTypeProblem(type, value);
    return check(value as never, typeof numberText === 'string' ? numberText : undefined);
  } catch (error) {
    // Only a fault of this module could land here (a regex stack overflow on a pathological input);
    // the contract is to report, not to throw.
    return one('format', `The value could not be checked as a ${String(type)} (${describeError(error)})`);
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : 'unexpected failure';
}
