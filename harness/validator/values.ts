/**
 * Fixed and pattern values: a fixed value must equal the instance exactly; a pattern must be contained
 * in it (every property of the pattern present with the same value, arrays matched item by item in any
 * position), as ElementDefinition.fixed[x] and pattern[x] define.
 */
import { isJsonObject } from '../json.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, index) => deepEqual(item, b[index]));
  }
  if (isJsonObject(a) && isJsonObject(b)) {
    const keysA = Object.keys(a);
    const keysB = Object.keys(b);
    return (
      keysA.length === keysB.length &&
      keysA.every((key) => Object.hasOwn(b, key) && deepEqual(a[key], b[key]))
    );
  }
  return false;
}

/** Whether `instance` contains everything `pattern` states. */
export function matchesPattern(instance: unknown, pattern: unknown): boolean {
  if (Array.isArray(pattern)) {
    const items = Array.isArray(instance) ? instance : [instance];
    return pattern.every((wanted) => items.some((item) => matchesPattern(item, wanted)));
  }
  if (isJsonObject(pattern)) {
    if (!isJsonObject(instance)) return false;
    return Object.keys(pattern).every(
      (key) => Object.hasOwn(instance, key) && matchesPattern(instance[key], pattern[key]),
    );
  }
  return deepEqual(instance, pattern);
}

/** A short readable form of a value for messages. */
export function describeValue(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

/** The first place where the instance departs from the pattern, for messages: `coding[0].code is "x", not "y"`. */
export function patternMismatch(instance: unknown, pattern: unknown, path = ''): string {
  if (Array.isArray(pattern)) {
    const items = Array.isArray(instance) ? instance : [instance];
    for (const wanted of pattern) {
      if (!items.some((item) => matchesPattern(item, wanted)))
        return `${path || 'the value'} has no item matching ${describeValue(wanted)}`;
    }
    return '';
  }
  if (isJsonObject(pattern)) {
    if (!isJsonObject(instance)) return `${path || 'the value'} is not an object`;
    for (const key of Object.keys(pattern)) {
      const childPath = path ? `${path}.${key}` : key;
      if (!Object.hasOwn(instance, key)) return `${childPath} is missing`;
      if (!matchesPattern(instance[key], pattern[key]))
        return patternMismatch(instance[key], pattern[key], childPath);
    }
    return '';
  }
  return `${path || 'the value'} is ${describeValue(instance)}, not ${describeValue(pattern)}`;
}
