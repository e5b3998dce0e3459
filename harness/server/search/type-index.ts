/**
 * Everything indexed for one resource type: each resource's ordinal (its number in this index, kept for
 * the life of the process, so a deleted and recreated id gets its old one back), which ordinals are
 * live, each one's lastUpdated instant, the default order, and one ParameterIndex per indexable search
 * parameter, filled at write time. Searches work on ordinals and turn them into ids only for the page.
 */
import type { StoredResource } from '../storage/types.js';
import { compileExtractor, type Extractor } from './extractor.js';
import { expressionForType } from './parameters.js';
import type { OrdinalSet } from './ordinal-list.js';
import { ParameterIndex, type IndexedParameter } from './parameter-index.js';
import { grown, RecencyOrder, sortByRecency, type RecencyKeys } from './recency.js';
import type { SearchParameterInfo } from './types.js';
import { NO_TEXTS, type TokenValue } from './values.js';

/** Below this many matches, sorting them beats walking the type's whole order. */
const DIRECT_SORT_LIMIT = 2_000;

/** The live ordinals as a set: a flag per ordinal, so a million resources cost a megabyte. */
class LiveOrdinals implements OrdinalSet {
  private flags = new Uint8Array(1024);
  size = 0;
  /** One past the highest ordinal ever flagged: iteration stops there. */
  private end = 0;

  has(ordinal: number): boolean {
    return ordinal < this.flags.length && this.flags[ordinal] === 1;
  }

  add(ordinal: number): void {
    if (ordinal >= this.flags.length) {
      const next = new Uint8Array(Math.max(ordinal + 1, this.flags.length * 2));
      next.set(this.flags);
      this.flags = next;
    }
    if (this.flags[ordinal] === 1) return;
    this.flags[ordinal] = 1;
    this.size++;
    if (ordinal >= this.end) this.end = ordinal + 1;
  }

  delete(ordinal: number): boolean {
    if (!this.has(ordinal)) return false;
    this.flags[ordinal] = 0;
    this.size--;
    return true;
  }

  *[Symbol.iterator](): Iterator<number> {
    for (let ordinal = 0; ordinal < this.end; ordinal++) if (this.flags[ordinal] === 1) yield ordinal;
  }
}

export class TypeIndex implements RecencyKeys {
  private readonly ordinals = new Map<string, number>();
  private readonly idAt: string[] = [];
  private instants = new Float64Array(1024);
  /** The ordinals of the resources that exist now. */
  readonly live = new LiveOrdinals();
  private readonly order = new RecencyOrder(this);
  /** The parameters' indexes by code; aliases and the virtual _id and _lastUpdated included. */
  private readonly parameters = new Map<string, IndexedParameter>();
  /** The indexes filled on write: one per distinct expression. */
  private readonly filled: { index: ParameterIndex; extract: Extractor }[] = [];
  /** Parameters that apply to the type but cannot be indexed, with the reason. */
  readonly unindexable = new Map<string, string>();

  constructor(
    readonly type: string,
    parameters: ReadonlyMap<string, SearchParameterInfo>,
  ) {
    const byExpression = new Map<string, ParameterIndex>();
    for (const [code, info] of parameters) {
      const virtual = this.virtualParameter(info);
      if (virtual) {
        this.parameters.set(code, virtual);
        continue;
      }
      const extract = compileExtractor(info, type);
      if ('error' in extract) {
        this.unindexable.set(code, extract.error);
        continue;
      }
      const same = `${info.type} ${expressionForType(info.expression!, type)}`;
      const twin = byExpression.get(same);
      if (twin) {
        this.parameters.set(code, twin.alias(info));
        continue;
      }
      const index = new ParameterIndex(info);
      byExpression.set(same, index);
      this.parameters.set(code, index);
      this.filled.push({ index, extract });
    }
  }

  put(resource: StoredResource): void {
    const ordinal = this.ordinalFor(resource.id);
    if (ordinal >= this.instants.length) this.instants = grown(this.instants, ordinal + 1);
    this.instants[ordinal] = Date.parse(resource.meta.lastUpdated);
    this.live.add(ordinal);
    this.order.put(ordinal);
    for (const { index, extract } of this.filled) index.set(ordinal, extract(resource));
  }

  remove(id: string): void {
    const ordinal = this.ordinals.get(id);
    if (ordinal === undefined || !this.live.delete(ordinal)) return;
    this.order.remove(ordinal);
    for (const { index } of this.filled) index.delete(ordinal);
  }

  parameter(code: string): IndexedParameter | undefined {
    return this.parameters.get(code);
  }

  /** The ordinal of a live resource, or undefined. */
  ordinalOf(id: string): number | undefined {
    const ordinal = this.ordinals.get(id);
    return ordinal !== undefined && this.live.has(ordinal) ? ordinal : undefined;
  }

  hasId(id: string): boolean {
    return this.ordinalOf(id) !== undefined;
  }

  id(ordinal: number): string {
    return this.idAt[ordinal]!;
  }

  /** lastUpdated in epoch milliseconds. */
  instant(ordinal: number): number {
    return this.instants[ordinal]!;
  }

  /** Ordinals in the default order (lastUpdated descending, then id), the first `stop` of them at most. */
  ordered(ordinals: OrdinalSet, stop = ordinals.size): number[] {
    if (ordinals.size <= DIRECT_SORT_LIMIT) return sortByRecency(ordinals, this).slice(0, stop);
    return this.order.newestFirst(ordinals, stop);
  }

  /**
   * `_id` and `_lastUpdated` are answered from what the index keeps of every resource anyway (its id
   * and instant) rather than from values and postings of their own: two fewer entries per resource.
   * The storage stamps lastUpdated to the millisecond, so its range is [instant, instant + 1).
   */
  private virtualParameter(info: SearchParameterInfo): IndexedParameter | undefined {
    if (info.expression === 'Resource.id' && info.type === 'token')
      return this.virtual(
        info,
        (ordinal) => idValue(this.id(ordinal)),
        (key) => {
          const ordinal = this.ordinalOf(key);
          return ordinal === undefined ? undefined : new Set([ordinal]);
        },
      );
    if (info.expression === 'Resource.meta.lastUpdated' && info.type === 'date')
      return this.virtual(info, (ordinal) => ({
        low: this.instant(ordinal),
        high: this.instant(ordinal) + 1,
      }));
    return undefined;
  }

  private virtual(
    info: SearchParameterInfo,
    valueOf: (ordinal: number) => unknown,
    lookup: (key: string) => OrdinalSet | undefined = () => undefined,
  ): IndexedParameter {
    const { live } = this;
    const scan = (test: (value: unknown) => boolean): Set<number> => {
      const out = new Set<number>();
      for (const ordinal of live) if (test(valueOf(ordinal))) out.add(ordinal);
      return out;
    };
    return {
      info,
      valuesAt: (ordinal) => (live.has(ordinal) ? [valueOf(ordinal)] : []),
      some: (ordinal, test) => live.has(ordinal) && test(valueOf(ordinal)),
      scan,
      withValues: () => live,
      lookup,
      lookupId: () => undefined,
      // Keys are scanned for string prefixes only; _id is a token and _lastUpdated a date.
      entries: () => [][Symbol.iterator](),
    };
  }

  private ordinalFor(id: string): number {
    let ordinal = this.ordinals.get(id);
    if (ordinal === undefined) {
      ordinal = this.idAt.length;
      this.idAt.push(id);
      this.ordinals.set(id, ordinal);
    }
    return ordinal;
  }
}

function idValue(id: string): TokenValue {
  return { system: undefined, code: id, texts: NO_TEXTS, identifierType: undefined };
}
