/**
 * The date and time primitives: date, dateTime, instant and time against their R4 regexes, then as
 * real calendar values (no 30 February), and a dateTime with a time but no zone said as such, as the
 * HL7 validator says it.
 */
import { R4_PRIMITIVE_JS_REGEX, R4_PRIMITIVE_REGEX, compileSpecRegex } from './primitive-types.js';
import { NO_PROBLEMS, one, quote, type PrimitiveProblem } from './primitive-problems.js';

const DATE_RE = R4_PRIMITIVE_JS_REGEX.date;
const INSTANT_RE = R4_PRIMITIVE_JS_REGEX.instant;
const TIME_RE = R4_PRIMITIVE_JS_REGEX.time;

/**
 * HL7 first matches dateTime with the time zone optional, then reports a missing zone on its own
 * ("If a date has a time, it must have a timezone"), which says more than "does not match the regex".
 */
const DATE_TIME_ZONE_OPTIONAL_RE = compileSpecRegex(
  R4_PRIMITIVE_REGEX.dateTime.replace('14:00)))?)?)?', '14:00))?)?)?)?'),
);

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function digitsAt(s: string, start: number, count: number): number {
  let n = 0;
  for (let i = start; i < start + count; i++) n = n * 10 + (s.charCodeAt(i) - 48);
  return n;
}

/**
 * For a value that already matched a date/dateTime/instant regex (YYYY[-MM[-DD...]]): the reason the
 * day does not exist in its month, or undefined when it does (or there is no day).
 */
function impossibleDay(s: string): string | undefined {
  if (s.length < 10) return undefined;
  const year = digitsAt(s, 0, 4);
  const month = digitsAt(s, 5, 2);
  const day = digitsAt(s, 8, 2);
  const last = daysInMonth(year, month);
  if (day <= last) return undefined;
  return `${MONTH_NAMES[month - 1]} ${s.slice(0, 4)} has ${last} days`;
}

export function checkDate(value: string): readonly PrimitiveProblem[] {
  if (value.length === 0) return one('empty', 'A date must not be empty: leave the property out instead');
  if (!DATE_RE.test(value)) {
    return one(
      'format',
      `The value ${quote(value)} is not a valid date: expected YYYY, YYYY-MM or YYYY-MM-DD`,
    );
  }
  const impossible = impossibleDay(value);
  return impossible
    ? one('format', `The value ${quote(value)} is not a valid date: ${impossible}`)
    : NO_PROBLEMS;
}

export function checkDateTime(value: string): readonly PrimitiveProblem[] {
  if (value.length === 0) return one('empty', 'A dateTime must not be empty: leave the property out instead');
  if (!DATE_TIME_ZONE_OPTIONAL_RE.test(value)) {
    return one(
      'format',
      `The value ${quote(value)} is not a valid dateTime: expected YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm:ss[.fff] with a time zone (Z or +hh:mm)`,
    );
  }
  if (value.length > 10 && !hasTimeZone(value)) {
    return one(
      'format',
      `The value ${quote(value)} is not a valid dateTime: it has a time but no time zone (if hours and minutes are given, a time zone SHALL be given)`,
    );
  }
  const impossible = impossibleDay(value);
  return impossible
    ? one('format', `The value ${quote(value)} is not a valid dateTime: ${impossible}`)
    : NO_PROBLEMS;
}

/** For a value matching the dateTime form with a time: is there a zone (Z, + or - after the 'T')? */
function hasTimeZone(value: string): boolean {
  for (let i = 19; i < value.length; i++) {
    const ch = value.charCodeAt(i);
    if (ch === 0x5a || ch === 0x2b || ch === 0x2d) return true;
  }
  return false;
}

export function checkInstant(value: string): readonly PrimitiveProblem[] {
  if (value.length === 0) return one('empty', 'An instant must not be empty: leave the property out instead');
  if (!INSTANT_RE.test(value)) {
    return one(
      'format',
      `The value ${quote(value)} is not a valid instant: expected YYYY-MM-DDThh:mm:ss[.fff] with a time zone (Z or +hh:mm), seconds and zone included`,
    );
  }
  const impossible = impossibleDay(value);
  return impossible
    ? one('format', `The value ${quote(value)} is not a valid instant: ${impossible}`)
    : NO_PROBLEMS;
}

export function checkTime(value: string): readonly PrimitiveProblem[] {
  if (value.length === 0) return one('empty', 'A time must not be empty: leave the property out instead');
  // The R4 regex allows a fraction of a second; HL7 matches a stricter pattern without one. We follow
  // the spec text here (see the module's report).
  if (TIME_RE.test(value)) return NO_PROBLEMS;
  return one(
    'format',
    `The value ${quote(value)} is not a valid time: expected hh:mm:ss[.fff], from 00:00:00 to 23:59:59`,
  );
}

/**
 * xhtml: only that it is a `<div>` element and that its tags are balanced, so a Narrative that is
 * plainly broken is caught here. The full XHTML rules (namespace, allowed elements and attributes,
 * entities, internal links) are the narrative check's job, not this one's.
 */
