/**
 * Matching one value (one `,` alternative) of one parameter against its index, per parameter type and
 * modifier (search.html#string, #token, #reference, #date, #number, #quantity, #uri). Exact keys are
 * looked up in the postings; ranges, substrings and modifiers over parts of values scan the stored values
 * of the resources that have any.
 */
import { EMPTY_ORDINALS, type OrdinalSet } from './ordinal-list.js';
import type { IndexedParameter } from './parameter-index.js';
import { compareNumber, compareRanges, dateRange, numberRange, splitPrefix, type Range } from './ranges.js';
import { splitEscaped, unescape } from './syntax.js';
import { normaliseText } from './text.js';
import type { SearchError, SearchParameterInfo } from './types.js';
import {
  referenceKey,
  type QuantityValue,
  type ReferenceValue,
  type StringValue,
  type TokenValue,
} from './values.js';

/** A set of ordinals of one type (see type-index.ts). */
export type IdSet = OrdinalSet;

const EMPTY: IdSet = EMPTY_ORDINALS;

/** The modifiers each type understands here; a reference also takes a resource type (`subject:Patient`). */
export const MODIFIERS: Record<string, ReadonlySet<string>> = {
  string: new Set(['exact', 'contains', 'missing']),
  token: new Set(['not', 'text', 'missing', 'of-type']),
  reference: new Set(['identifier', 'missing']),
  date: new Set(['missing']),
  number: new Set(['missing']),
  quantity: new Set(['missing']),
  uri: new Set(['below', 'above', 'missing']),
};

/** Why a modifier is not understood, or undefined when it is. */
export function modifierProblem(info: SearchParameterInfo, modifier: string | undefined): string | undefined {
  if (modifier === undefined) return undefined;
  if (MODIFIERS[info.type]?.has(modifier)) return undefined;
  if (info.type === 'reference' && /^[A-Z][A-Za-z]+$/.test(modifier)) return undefined;
  if (info.type === 'token' && ['in', 'not-in', 'below', 'above'].includes(modifier))
    return `:${modifier} needs terminology expansion, which this server does not do`;
  return `unknown modifier :${modifier} for a ${info.type} parameter`;
}

function scan<V>(index: IndexedParameter, test: (value: V) => boolean): Set<number> {
  return index.scan(test as (value: unknown) => boolean);
}

/** The candidates whose values pass `test`: a lookup narrowed by what the key alone cannot tell. */
function narrow<V>(
  index: IndexedParameter,
  candidates: IdSet | undefined,
  test: (value: V) => boolean,
): IdSet {
  if (!candidates) return EMPTY;
  const out = new Set<number>();
  for (const ordinal of candidates)
    if (index.some(ordinal, test as (value: unknown) => boolean)) out.add(ordinal);
  return out;
}

/** :missing=true|false, for every type. */
export function matchMissing(index: IndexedParameter, all: IdSet, value: string): IdSet | SearchError {
  if (value !== 'true' && value !== 'false')
    return { error: `:missing takes true or false, not '${value}'`, parameter: index.info.code };
  const present = index.withValues();
  if (value === 'false') return present;
  const out = new Set<number>();
  for (const ordinal of all) if (!present.has(ordinal)) out.add(ordinal);
  return out;
}

export function matchString(index: IndexedParameter, value: string, modifier: string | undefined): IdSet {
  const text = unescape(value);
  const wanted = normaliseText(text);
  if (modifier === 'exact') return narrow<StringValue>(index, index.lookup(wanted), (v) => v.raw === text);
  const out = new Set<number>();
  const test =
    modifier === 'contains' ? (key: string) => key.includes(wanted) : (key: string) => key.startsWith(wanted);
  for (const [key, ordinals] of index.entries())
    if (test(key)) for (const ordinal of ordinals) out.add(ordinal);
  return out;
}

export function matchToken(index: IndexedParameter, value: string, modifier: string | undefined): IdSet {
  if (modifier === 'text') {
    const wanted = normaliseText(unescape(value));
    return scan<TokenValue>(index, (v) =>
      v.texts.some((t) => t.startsWith(wanted) || t.includes(` ${wanted}`)),
    );
  }
  if (modifier === 'of-type') {
    const [typeSystem = '', typeCode = '', code = ''] = splitEscaped(value, '|', 3).map(unescape);
    return narrow<TokenValue>(
      index,
      index.lookup(code),
      (v) =>
        v.code === code &&
        (v.identifierType ?? []).some(
          (t) => t.code === typeCode && (typeSystem === '' || t.system === typeSystem),
        ),
    );
  }
  const parts = splitEscaped(value, '|', 2).map(unescape);
  if (parts.length === 1) return index.lookup(parts[0]!) ?? EMPTY;
  const [system = '', code = ''] = parts;
  if (system === '')
    return narrow<TokenValue>(index, index.lookup(code), (v) => v.code === code && v.system === undefined);
  if (code === '') return scan<TokenValue>(index, (v) => v.system === system);
  return narrow<TokenValue>(index, index.lookup(code), (v) => v.code === code && v.system === system);
}

export function matchReference(index: IndexedParameter, value: string, modifier: string | undefined): IdSet {
  const text = unescape(value);
  if (modifier === 'identifier') {
    const [system, code] = splitEscaped(value, '|', 2).map(unescape);
    const matches = (i: ReferenceValue['identifier']): boolean =>
      code === undefined
        ? i?.value === system
        : i?.value === code && (system === '' ? i.system === undefined : i.system === system);
    return scan<ReferenceValue>(index, (v) => matches(v.identifier));
  }
  if (modifier !== undefined) return index.lookup(`${modifier}/${text}`) ?? EMPTY;
  if (!text.includes('/')) {
    const targets = index.info.targets ?? [];
    return targets.length === 1
      ? (index.lookup(`${targets[0]}/${text}`) ?? EMPTY)
      : (index.lookupId(text) ?? EMPTY);
  }
  const byKey = index.lookup(text);
  const parsed = /^[a-z]+:/.test(text) ? referenceKey(text) : undefined;
  const byUrl = parsed ? index.lookup(`${parsed.type}/${parsed.id}`) : undefined;
  if (!byUrl) return byKey ?? EMPTY;
  return byKey ? new Set([...byKey, ...byUrl]) : byUrl;
}

export function matchDate(index: IndexedParameter, value: string): IdSet | SearchError {
  const split = splitPrefix(value);
  const range = split && dateRange(split.rest);
  if (!split || !range)
    return { error: `'${value}' is not a valid date search value`, parameter: index.info.code };
  const now = Date.now();
  return scan<Range>(index, (v) => compareRanges(split.prefix, v, range, now));
}

export function matchNumber(index: IndexedParameter, value: string): IdSet | SearchError {
  const split = splitPrefix(value);
  const search = split && numberRange(split.rest);
  if (!split || !search)
    return { error: `'${value}' is not a valid number search value`, parameter: index.info.code };
  return scan<number>(index, (v) => compareNumber(split.prefix, v, search));
}

export function matchQuantity(index: IndexedParameter, value: string): IdSet | SearchError {
  const [number = '', system = '', code = ''] = splitEscaped(value, '|', 3).map(unescape);
  const split = splitPrefix(number);
  const search = split && numberRange(split.rest);
  if (!split || !search)
    return { error: `'${value}' is not a valid quantity search value`, parameter: index.info.code };
  return scan<QuantityValue>(
    index,
    (v) =>
      compareNumber(split.prefix, v.value, search) &&
      (system === '' || v.system === system) &&
      (code === '' || v.code === code || (system === '' && v.unit === code)),
  );
}

export function matchUri(index: IndexedParameter, value: string, modifier: string | undefined): IdSet {
  const text = unescape(value);
  if (modifier === 'below') return scan<string>(index, (v) => v.startsWith(text));
  if (modifier === 'above') return scan<string>(index, (v) => text.startsWith(v));
  return index.lookup(text) ?? EMPTY;
}
