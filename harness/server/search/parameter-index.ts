/**
 * The index of one search parameter on one resource type, compact enough for millions of resources.
 * Resources are numbered per type (ordinals, see type-index.ts), so nothing here is keyed by a string
 * per resource:
 *
 * - each resource's extracted values by ordinal, one value held as itself and several as an array, read
 *   by the matchers that compare parts of values (ranges, :missing, :text, :of-type, sorting). Values
 *   many resources share (a gender, a given name, a status) are interned: one object for all of them;
 * - postings from exact keys to ordinals, for lookups without a scan. A key held by one resource maps
 *   to its ordinal alone, by a few to a small array, by many to an OrdinalList. The keys are the values' own
 *   strings (a token's code, a string's normalised text), never a string built per resource; a lookup
 *   by system and code narrows by code and then checks the system on the candidates.
 *
 * Two parameters of a type with the same expression (Patient's name and phonetic) share one index.
 */
import { OrdinalList, type OrdinalSet } from './ordinal-list.js';
import type { Range } from './ranges.js';
import type { SearchParameterInfo } from './types.js';
import type { ReferenceValue, StringValue, TokenValue } from './values.js';

/** What the matchers, sorting and includes ask of a parameter's index (type-index.ts has virtual ones). */
export interface IndexedParameter {
  readonly info: SearchParameterInfo;
  /** The values of a resource (empty when it has none). */
  valuesAt(ordinal: number): readonly unknown[];
  /** Whether some value of the resource passes `test`. */
  some(ordinal: number, test: (value: unknown) => boolean): boolean;
  /** The ordinals whose values pass `test` (a scan over every resource with a value). */
  scan(test: (value: unknown) => boolean): Set<number>;
  /** The ordinals of the resources with a value. */
  withValues(): OrdinalSet;
  /** The ordinals holding an exact key: a code, a normalised string, a reference key, a uri. */
  lookup(key: string): OrdinalSet | undefined;
  /** The ordinals holding a reference to a resource with this id, whatever its type. */
  lookupId(id: string): OrdinalSet | undefined;
  /** Every key with its ordinals, for prefix and substring scans over distinct values. */
  entries(): IterableIterator<[string, OrdinalSet]>;
}

/** Postings past this many ordinals become an OrdinalList (four bytes a member, logarithmic lookups). */
const SMALL_POSTING = 8;
/** Distinct values interned per parameter at most: the common ones come early, unique ones stop it. */
const INTERNED = 4_096;

type Posting = number | number[] | OrdinalList;

/** The key spaces of a parameter, each a map of its own: no prefix is concatenated onto a value. */
type KeysOf = (value: unknown, add: (space: number, key: string) => void) => void;

/** Token: by code. Reference: by `Type/id` or the text as written (0), and by the bare id (1). */
const KEYS: Partial<Record<SearchParameterInfo['type'], KeysOf>> = {
  token: (value, add) => {
    const { code } = value as TokenValue;
    if (code !== undefined) add(0, code);
  },
  string: (value, add) => add(0, (value as StringValue).norm),
  reference: (value, add) => {
    const { key, id, raw } = value as ReferenceValue;
    if (key !== undefined) add(0, key);
    if (raw !== undefined && raw !== key) add(0, raw);
    if (id !== undefined) add(1, id);
  },
  uri: (value, add) => add(0, value as string),
};

/**
 * A value's interned twin, keyed by its parts (two levels of maps, so no key string is built), or the
 * value itself when it is one of a kind (texts, identifier types, a reference's identifier).
 */
type Interner = (value: unknown) => unknown;

function interner(type: SearchParameterInfo['type']): Interner | undefined {
  const single = new Map<unknown, unknown>();
  const double = new Map<unknown, Map<unknown, unknown>>();
  let count = 0;
  let asked = 0;
  let found = 0;
  /**
   * Once the table is full, a parameter whose values seldom repeat (identifiers, phone numbers) stops
   * asking: each lookup would cost more than the rare hit saves.
   */
  let worthIt = true;
  const remember = (value: unknown): unknown => {
    if (count < INTERNED) count++;
    else if (found * 2 < asked) worthIt = false;
    return value;
  };
  const hit = (value: unknown): unknown => (found++, value);
  /** By one part. */
  const byOne = (key: unknown, value: unknown): unknown => {
    asked++;
    const known = single.get(key);
    if (known !== undefined) return hit(known);
    if (count < INTERNED) single.set(key, value);
    return remember(value);
  };
  /** By two parts; the first has few distinct values (a code system, a date's start). */
  const byTwo = (first: unknown, second: unknown, value: unknown): unknown => {
    asked++;
    let inner = double.get(first);
    const known = inner?.get(second);
    if (known !== undefined) return hit(known);
    if (count < INTERNED) {
      if (!inner) double.set(first, (inner = new Map()));
      inner.set(second, value);
    }
    return remember(value);
  };
  const choose =
    (intern: Interner): Interner =>
    (value) =>
      worthIt ? intern(value) : value;
  switch (type) {
    case 'token':
      return choose((value) => {
        const v = value as TokenValue;
        return v.texts.length === 0 && v.identifierType === undefined ? byTwo(v.system, v.code, v) : v;
      });
    case 'string':
      return choose((value) => byOne((value as StringValue).raw, value));
    case 'date':
      return choose((value) => byTwo((value as Range).low, (value as Range).high, value));
    case 'reference':
      // The key and the id are read from the text, so the text alone tells two references apart.
      return choose((value) => {
        const v = value as ReferenceValue;
        return v.identifier === undefined && v.raw !== undefined ? byOne(v.raw, v) : v;
      });
    default:
      return undefined;
  }
}

/** What an index holds; shared by the parameters that index the same expression. */
interface Held {
  /** By ordinal: the value, the values (two or more), or undefined for none. */
  readonly values: unknown[];
  present: number;
  readonly spaces: readonly [Map<string, Posting>, Map<string, Posting>];
}

export class ParameterIndex implements IndexedParameter {
  private readonly keysOf: KeysOf | undefined;
  private readonly intern: Interner | undefined;

  constructor(
    readonly info: SearchParameterInfo,
    private readonly held: Held = { values: [], present: 0, spaces: [new Map(), new Map()] },
  ) {
    this.keysOf = KEYS[info.type];
    this.intern = interner(info.type);
  }

  /** The index of another parameter with the same type and expression: the same values, its own info. */
  alias(info: SearchParameterInfo): ParameterIndex {
    return new ParameterIndex(info, this.held);
  }

  /** Replaces the values of a resource; `values` is the extractor's fresh array (interned in place). */
  set(ordinal: number, values: unknown[]): void {
    this.delete(ordinal);
    if (values.length === 0) return;
    const { intern } = this;
    if (intern) for (let i = 0; i < values.length; i++) values[i] = intern(values[i]);
    // An array grown by push keeps room for 17 items; a copy is exactly as long as it needs to be.
    this.held.values[ordinal] = values.length === 1 ? values[0] : values.slice();
    this.held.present++;
    if (!this.keysOf) return;
    for (const value of values) this.keysOf(value, (space, key) => this.post(space, key, ordinal));
  }

  delete(ordinal: number): void {
    const old = this.held.values[ordinal];
    if (old === undefined) return;
    this.held.values[ordinal] = undefined;
    this.held.present--;
    if (!this.keysOf) return;
    const remove = (space: number, key: string) => this.unpost(space, key, ordinal);
    if (Array.isArray(old)) for (const value of old) this.keysOf(value, remove);
    else this.keysOf(old, remove);
  }

  valuesAt(ordinal: number): readonly unknown[] {
    const held = this.held.values[ordinal];
    return held === undefined ? [] : Array.isArray(held) ? held : [held];
  }

  some(ordinal: number, test: (value: unknown) => boolean): boolean {
    const held = this.held.values[ordinal];
    if (held === undefined) return false;
    return Array.isArray(held) ? held.some(test) : test(held);
  }

  scan(test: (value: unknown) => boolean): Set<number> {
    const out = new Set<number>();
    const { values } = this.held;
    for (let ordinal = 0; ordinal < values.length; ordinal++) {
      const held = values[ordinal];
      if (held === undefined) continue;
      if (Array.isArray(held) ? held.some(test) : test(held)) out.add(ordinal);
    }
    return out;
  }

  withValues(): OrdinalSet {
    return this.scan(() => true);
  }

  lookup(key: string): OrdinalSet | undefined {
    return asSet(this.held.spaces[0].get(key));
  }

  lookupId(id: string): OrdinalSet | undefined {
    return asSet(this.held.spaces[1].get(id));
  }

  *entries(): IterableIterator<[string, OrdinalSet]> {
    for (const [key, posting] of this.held.spaces[0]) yield [key, asSet(posting)!];
  }

  private post(space: number, key: string, ordinal: number): void {
    const map = this.held.spaces[space]!;
    const posting = map.get(key);
    if (posting === undefined) map.set(key, ordinal);
    else if (typeof posting === 'number') {
      if (posting !== ordinal) map.set(key, [posting, ordinal]);
    } else if (Array.isArray(posting)) {
      if (posting.includes(ordinal)) return;
      if (posting.length < SMALL_POSTING) posting.push(ordinal);
      else map.set(key, new OrdinalList([...posting, ordinal]));
    } else posting.add(ordinal);
  }

  private unpost(space: number, key: string, ordinal: number): void {
    const map = this.held.spaces[space]!;
    const posting = map.get(key);
    if (posting === ordinal) map.delete(key);
    else if (Array.isArray(posting)) {
      const at = posting.indexOf(ordinal);
      if (at === -1) return;
      posting.splice(at, 1);
      if (posting.length === 1) map.set(key, posting[0]!);
    } else if (posting !== undefined && typeof posting === 'object') {
      posting.delete(ordinal);
      const only = posting.only();
      if (only !== undefined) map.set(key, only);
    }
  }
}

function asSet(posting: Posting | undefined): OrdinalSet | undefined {
  if (posting === undefined) return undefined;
  if (typeof posting === 'number') return new Set([posting]);
  return Array.isArray(posting) ? new Set(posting) : posting;
}
