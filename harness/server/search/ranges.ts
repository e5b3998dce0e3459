/**
 * Dates and numbers as ranges, and the comparison prefixes (search.html#prefix, #date, #number).
 * A value's precision defines an implicit range: `2024` is the whole year, `2024-03-05T10:00Z` a minute,
 * `100` is [99.5, 100.5). Ranges are half-open: [low, high), dates in milliseconds since the epoch (UTC;
 * a dateTime without a zone is read as UTC).
 */

export interface Range {
  low: number;
  high: number;
}

export const PREFIXES = ['eq', 'ne', 'gt', 'lt', 'ge', 'le', 'sa', 'eb', 'ap'] as const;
export type Prefix = (typeof PREFIXES)[number];

/** Splits an optional two-letter prefix from a value; undefined when the letters are not a prefix. */
export function splitPrefix(value: string): { prefix: Prefix; rest: string } | undefined {
  const head = value.slice(0, 2);
  if (/^[a-z]{2}/.test(head)) {
    if (!(PREFIXES as readonly string[]).includes(head)) return undefined;
    return { prefix: head as Prefix, rest: value.slice(2) };
  }
  return { prefix: 'eq', rest: value };
}

const DATE =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

/** A FHIR date, dateTime or instant as the range its precision covers; undefined when malformed. */
export function dateRange(text: string): Range | undefined {
  const m = DATE.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const year = Number(y);
  const month = mo === undefined ? 1 : Number(mo);
  const day = d === undefined ? 1 : Number(d);
  const hour = h === undefined ? 0 : Number(h);
  const minute = mi === undefined ? 0 : Number(mi);
  const second = s === undefined ? 0 : Number(s);
  const millis = frac === undefined ? 0 : Number(frac.slice(0, 3).padEnd(3, '0'));
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 24 || minute > 59 || second > 60 || (hour === 24 && (minute > 0 || second > 0)))
    return undefined;
  const offset = zone === undefined || zone === 'Z' ? 0 : zoneMinutes(zone);
  const low = Date.UTC(year, month - 1, day, hour, minute, second, millis) - offset * 60_000;
  let high: number;
  if (mo === undefined) high = Date.UTC(year + 1, 0, 1);
  else if (d === undefined) high = Date.UTC(year, month, 1);
  else if (h === undefined) high = Date.UTC(year, month - 1, day + 1);
  else if (s === undefined) high = low + 60_000;
  else if (frac === undefined) high = low + 1_000;
  else high = low + 1;
  return { low, high };
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function zoneMinutes(zone: string): number {
  const sign = zone.startsWith('-') ? -1 : 1;
  return sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** A search number with the range its significant digits imply (search.html#number). */
export function numberRange(text: string): (Range & { value: number }) | undefined {
  if (!NUMBER.test(text)) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value)) return undefined;
  const [mantissa = '', exponent] = text.toLowerCase().split('e');
  const dot = mantissa.indexOf('.');
  const decimals = dot === -1 ? 0 : mantissa.length - dot - 1;
  const half = 0.5 * 10 ** (-decimals + (exponent === undefined ? 0 : Number(exponent)));
  return { value, low: value - half, high: value + half };
}

/**
 * Whether a stored range satisfies `prefix` against the search range, as search.html#prefix defines
 * it for ranges. `ap` widens the search range by 10% of its distance from now (at least its own width).
 */
export function compareRanges(prefix: Prefix, target: Range, search: Range, now = Date.now()): boolean {
  const contains = search.low <= target.low && target.high <= search.high;
  switch (prefix) {
    case 'eq':
      return contains;
    case 'ne':
      return !contains;
    case 'gt':
      return target.high > search.high;
    case 'lt':
      return target.low < search.low;
    case 'ge':
      return target.high > search.high || contains;
    case 'le':
      return target.low < search.low || contains;
    case 'sa':
      return target.low >= search.high;
    case 'eb':
      return target.high <= search.low;
    case 'ap': {
      const margin = Math.max(Math.abs(now - search.low) * 0.1, search.high - search.low);
      return target.low < search.high + margin && target.high > search.low - margin;
    }
  }
}

/** Whether a stored number satisfies `prefix` against a search number (search.html#number). */
export function compareNumber(prefix: Prefix, target: number, search: Range & { value: number }): boolean {
  switch (prefix) {
    case 'eq':
      return target >= search.low && target < search.high;
    case 'ne':
      return !(target >= search.low && target < search.high);
    case 'gt':
    case 'sa':
      return target > search.value;
    case 'lt':
    case 'eb':
      return target < search.value;
    case 'ge':
      return target >= search.value;
    case 'le':
      return target <= search.value;
    case 'ap': {
      const margin = Math.abs(search.value) * 0.1;
      return target >= search.value - margin && target <= search.value + margin;
    }
  }
}
