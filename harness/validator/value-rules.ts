/**
 * Rules on a value itself, beyond its type: fixed values and patterns (ElementDefinition.fixed[x] and
 * pattern[x]), maxLength and minValue/maxValue (of primitives and of Quantity), the narrative checks the
 * HL7 validator does natively, and Attachment.size against its data.
 */
import { isJsonObject } from '../json.js';
import type { ElementSchema } from './schema.js';
import { deepEqual, describeValue, matchesPattern, patternMismatch } from './values.js';
import { convertUcum } from './ucum.js';
import { childCursor, type Cursor, type WalkContext } from './walk-context.js';

export function checkFixedAndPattern(
  walk: WalkContext,
  value: unknown,
  element: ElementSchema,
  cursor: Cursor,
): void {
  if (value === undefined) return;
  if (element.fixed) checkFixedValue(walk, value, element.fixed.value, cursor, element.owner);
  if (element.pattern && !matchesPattern(value, element.pattern.value)) {
    walk.report(
      'FIXED_PATTERN_MISMATCH',
      cursor,
      {
        expected: describeValue(element.pattern.value),
        detail: patternMismatch(value, element.pattern.value),
      },
      { source: element.owner },
    );
  }
}

/** A fixed value, compared property by property so each difference is reported where it is. */
function checkFixedValue(
  walk: WalkContext,
  value: unknown,
  fixed: unknown,
  cursor: Cursor,
  owner: string,
): void {
  if (isJsonObject(value) && isJsonObject(fixed)) {
    for (const key of Object.keys(value)) {
      if (!Object.hasOwn(fixed, key))
        walk.report(
          'FIXED_ELEMENT_NOT_ALLOWED',
          childCursor(cursor, key, `${cursor.expression}.${key}`),
          { name: key },
          { source: owner },
        );
    }
    for (const key of Object.keys(fixed)) {
      const at = childCursor(cursor, key, `${cursor.expression}.${key}`);
      if (!Object.hasOwn(value, key))
        walk.report('FIXED_ELEMENT_MISSING', cursor, { name: key }, { source: owner });
      else checkFixedValue(walk, value[key], fixed[key], at, owner);
    }
    return;
  }
  if (Array.isArray(value) && Array.isArray(fixed)) {
    value.forEach((item, i) => {
      if (i < fixed.length)
        checkFixedValue(walk, item, fixed[i], childCursor(cursor, i, `${cursor.expression}[${i}]`), owner);
    });
    if (value.length !== fixed.length)
      walk.report(
        'FIXED_VALUE_MISMATCH',
        cursor,
        { expected: describeValue(fixed), actual: describeValue(value) },
        { source: owner },
      );
    return;
  }
  if (!deepEqual(value, fixed))
    walk.report(
      'FIXED_VALUE_MISMATCH',
      cursor,
      { expected: describeValue(fixed), actual: describeValue(value) },
      { source: owner },
    );
}

/** maxLength of a string, and the minValue/maxValue of a number or a date. */
export function checkValueLimits(
  walk: WalkContext,
  value: string | number | boolean,
  element: ElementSchema,
  cursor: Cursor,
): void {
  if (element.maxLength !== undefined && typeof value === 'string' && value.length > element.maxLength) {
    walk.report('TYPE_VALUE_TOO_LONG', cursor, { length: value.length, max: element.maxLength });
  }
  for (const [limit, below] of [
    [element.minValue, true],
    [element.maxValue, false],
  ] as const) {
    if (!limit) continue;
    const bound = limitValue(limit, below);
    if (bound === undefined) continue;
    const outside =
      typeof value === 'number' && typeof bound.value === 'number'
        ? below
          ? value < bound.value
          : value > bound.value
        : typeof value === 'string' &&
          typeof bound.value === 'string' &&
          (below ? value < bound.value : value > bound.value);
    if (!outside) continue;
    if (below) walk.report('TYPE_VALUE_BELOW_MIN', cursor, { value: String(value), min: bound.label });
    else walk.report('TYPE_VALUE_ABOVE_MAX', cursor, { value: String(value), max: bound.label });
  }
}

const DURATION_UNITS: Record<string, (date: Date, amount: number) => void> = {
  a: (d, n) => d.setUTCFullYear(d.getUTCFullYear() + n),
  mo: (d, n) => d.setUTCMonth(d.getUTCMonth() + n),
  wk: (d, n) => d.setUTCDate(d.getUTCDate() + 7 * n),
  d: (d, n) => d.setUTCDate(d.getUTCDate() + n),
  h: (d, n) => d.setUTCHours(d.getUTCHours() + n),
  min: (d, n) => d.setUTCMinutes(d.getUTCMinutes() + n),
  s: (d, n) => d.setUTCSeconds(d.getUTCSeconds() + n),
};

/**
 * The comparable value of a minValue[x] or maxValue[x]. A Duration or Quantity bound on a date means
 * "that long from now": a maxValue of 10 a is at most ten years ahead, a minValue of 10 a at least ten
 * years back. Dates compare as ISO strings.
 */
function limitValue(
  limit: { type: string; value: unknown },
  isMinimum: boolean,
): { value: number | string; label: string } | undefined {
  if (typeof limit.value === 'number' || typeof limit.value === 'string')
    return { value: limit.value, label: String(limit.value) };
  if ((limit.type === 'Duration' || limit.type === 'Quantity') && isJsonObject(limit.value)) {
    const amount = limit.value.value;
    const unit = typeof limit.value.code === 'string' ? limit.value.code : limit.value.unit;
    const shift = typeof unit === 'string' ? DURATION_UNITS[unit] : undefined;
    if (typeof amount !== 'number' || !shift) return undefined;
    const date = new Date();
    shift(date, isMinimum ? -amount : amount);
    const direction = isMinimum ? 'before' : 'after';
    return {
      value: date.toISOString(),
      label: `${amount}${String(unit)} ${direction} now (${date.toISOString().slice(0, 10)})`,
    };
  }
  return undefined;
}

/** Attachment.size must be the length of the decoded data. */
export function checkAttachmentSize(walk: WalkContext, value: Record<string, unknown>, cursor: Cursor): void {
  if (typeof value.data !== 'string' || typeof value.size !== 'number') return;
  const data = value.data.replace(/\s/g, '');
  const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
  const actual = Math.floor((data.length * 3) / 4) - padding;
  if (actual !== value.size) walk.report('TYPE_ATTACHMENT_SIZE', cursor, { stated: value.size, actual });
}

const UCUM = 'http://unitsofmeasure.org';

/** How a Quantity limit reads in messages: `5 mg`. */
function quantityLabel(limit: Record<string, unknown>): string {
  const unit = typeof limit.code === 'string' ? limit.code : typeof limit.unit === 'string' ? limit.unit : '';
  return `${String(limit.value ?? '(no value)')}${unit ? ` ${unit}` : ''}`;
}

/**
 * minValue and maxValue on a Quantity (InstanceValidator.checkQuantity): the quantity must have a value,
 * the limit must be a Quantity with a value; with the same system and code the values compare, with
 * UCUM units of the same dimension the value is converted first. Anything that makes the comparison
 * impossible (no system or code on either side, another system, units of another dimension) is said,
 * and the comparison is not made.
 */
export function checkQuantityLimits(
  walk: WalkContext,
  quantity: Record<string, unknown>,
  element: ElementSchema,
  cursor: Cursor,
): void {
  for (const [limit, isMinimum] of [
    [element.minValue, true],
    [element.maxValue, false],
  ] as const) {
    if (!limit) continue;
    const bound = isMinimum ? 'minimum' : 'maximum';
    const notCompared = (label: string, detail: string) =>
      walk.report('TYPE_QUANTITY_LIMIT_NOT_COMPARED', cursor, { bound, limit: label, detail });
    const invalid = (label: string, detail: string) =>
      walk.report('TYPE_QUANTITY_LIMIT_INVALID', cursor, { bound, limit: label, detail });
    const value = quantity.value;
    if (typeof value !== 'number') {
      notCompared(String(limit.type), 'the quantity has no value');
      continue;
    }
    if (
      !isJsonObject(limit.value) ||
      !['Quantity', 'SimpleQuantity', 'Age', 'Duration'].includes(limit.type)
    ) {
      invalid(String(limit.type), `the profile's ${bound} is a ${limit.type}, not a Quantity`);
      continue;
    }
    const bounds = limit.value;
    const label = quantityLabel(bounds);
    const system = typeof quantity.system === 'string' ? quantity.system : undefined;
    const code = typeof quantity.code === 'string' ? quantity.code : undefined;
    if (typeof bounds.system !== 'string') notCompared(label, `the ${bound} has no system`);
    else if (system === undefined) notCompared(label, 'the quantity has no system');
    else if (system !== bounds.system) notCompared(label, `its system ${system} is not ${bounds.system}`);
    else if (typeof bounds.code !== 'string') notCompared(label, `the ${bound} has no code`);
    else if (code === undefined) notCompared(label, 'the quantity has no code');
    else if (typeof bounds.value !== 'number') invalid(label, `the ${bound} has no value`);
    else {
      let comparable: number | undefined = value;
      if (code !== bounds.code) {
        const converted = system === UCUM ? convertUcum(value, code, bounds.code) : 'unknown';
        if (converted === 'incompatible') {
          invalid(label, `${code} cannot be converted to ${bounds.code}`);
          comparable = undefined;
        } else if (converted === 'unknown') {
          notCompared(label, `the units ${code} and ${bounds.code} cannot be compared here`);
          comparable = undefined;
        } else comparable = converted;
      }
      if (comparable === undefined) continue;
      // A tolerance for the float of a unit conversion: 1000 mg is 1 g.
      const epsilon = Math.abs(bounds.value) * 1e-12;
      if (isMinimum && comparable < bounds.value - epsilon)
        walk.report('TYPE_VALUE_BELOW_MIN', cursor, { value: `${value} ${code}`, min: label });
      if (!isMinimum && comparable > bounds.value + epsilon)
        walk.report('TYPE_VALUE_ABOVE_MAX', cursor, { value: `${value} ${code}`, max: label });
    }
  }
}
