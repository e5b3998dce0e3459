/**
 * _sort (search.html#sort): several keys, `-` for descending. A resource's sort value is the smallest of
 * its values ascending and the largest descending; resources without a value come last either way, and
 * the default order breaks ties.
 */
import type { IndexedParameter } from './parameter-index.js';
import type { Range } from './ranges.js';
import type { QuantityValue, ReferenceValue, StringValue, TokenValue } from './values.js';

export interface SortKey {
  code: string;
  descending: boolean;
}

export const SORTABLE_TYPES = new Set(['string', 'token', 'date', 'number', 'quantity', 'reference', 'uri']);

type Comparable = string | number;

function comparables(type: string, values: unknown[], descending: boolean): Comparable[] {
  switch (type) {
    case 'string':
      return (values as StringValue[]).map((v) => v.norm);
    case 'token':
      return (values as TokenValue[]).map((v) => v.code ?? v.texts[0] ?? '');
    case 'date':
      return (values as Range[]).map((v) => (descending ? v.high : v.low));
    case 'number':
      return values as number[];
    case 'quantity':
      return (values as QuantityValue[]).map((v) => v.value);
    case 'reference':
      return (values as ReferenceValue[]).map((v) => v.key ?? '');
    default:
      return values as string[];
  }
}

/** The value a resource sorts by for one key, or undefined when it has none. */
export function sortValue(
  index: IndexedParameter,
  ordinal: number,
  descending: boolean,
): Comparable | undefined {
  const values = index.valuesAt(ordinal) as unknown[];
  if (values.length === 0) return undefined;
  let best: Comparable | undefined;
  for (const value of comparables(index.info.type, values, descending))
    if (best === undefined || (descending ? value > best : value < best)) best = value;
  return best;
}

/**
 * Sorts items by the keys; `tieBreak` is each item's position in the default order. `valueOf` gives an
 * item's value for key number k.
 */
export function sortItems<T>(
  items: T[],
  keys: SortKey[],
  valueOf: (item: T, key: number) => Comparable | undefined,
  tieBreak: (item: T) => number,
): T[] {
  const decorated = items.map((item) => ({
    item,
    values: keys.map((_, k) => valueOf(item, k)),
    rank: tieBreak(item),
  }));
  decorated.sort((a, b) => {
    for (let k = 0; k < keys.length; k++) {
      const x = a.values[k];
      const y = b.values[k];
      if (x === y) continue;
      if (x === undefined) return 1;
      if (y === undefined) return -1;
      const order = x < y ? -1 : 1;
      return keys[k]?.descending ? -order : order;
    }
    return a.rank - b.rank;
  });
  return decorated.map((d) => d.item);
}
