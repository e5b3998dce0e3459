/**
 * Everything indexed for one resource type: the live ids, each one's lastUpdated, the default order, and
 * one ParameterIndex per indexable search parameter, filled at write time.
 */
import type { StoredResource } from '../storage/types.js';
import { compileExtractor, type Extractor } from './extractor.js';
import { ParameterIndex } from './parameter-index.js';
import { RecencyOrder, sortByRecency } from './recency.js';
import type { SearchParameterInfo } from './types.js';

/** Below this many matches, sorting them beats walking the type's whole order. */
const DIRECT_SORT_LIMIT = 2_000;

export class TypeIndex {
  readonly ids = new Set<string>();
  readonly lastUpdated = new Map<string, string>();
  private readonly order = new RecencyOrder();
  private readonly indexes = new Map<string, { index: ParameterIndex; extract: Extractor }>();
  /** Parameters that apply to the type but cannot be indexed, with the reason. */
  readonly unindexable = new Map<string, string>();

  constructor(
    readonly type: string,
    parameters: ReadonlyMap<string, SearchParameterInfo>,
  ) {
    for (const [code, info] of parameters) {
      const extract = compileExtractor(info, type);
      if ('error' in extract) this.unindexable.set(code, extract.error);
      else this.indexes.set(code, { index: new ParameterIndex(info), extract });
    }
  }

  put(resource: StoredResource): void {
    const { id } = resource;
    this.ids.add(id);
    this.lastUpdated.set(id, resource.meta.lastUpdated);
    this.order.put(id, resource.meta.lastUpdated);
    for (const { index, extract } of this.indexes.values()) index.set(id, extract(resource));
  }

  remove(id: string): void {
    if (!this.ids.delete(id)) return;
    this.lastUpdated.delete(id);
    this.order.remove(id);
    for (const { index } of this.indexes.values()) index.delete(id);
  }

  parameter(code: string): ParameterIndex | undefined {
    return this.indexes.get(code)?.index;
  }

  /** Ids in the default order (lastUpdated descending, then id), the first `stop` of them at most. */
  ordered(ids: ReadonlySet<string>, stop = ids.size): string[] {
    if (ids.size <= DIRECT_SORT_LIMIT) return sortByRecency(ids, this.lastUpdated).slice(0, stop);
    return this.order.newestFirst(ids, stop);
  }
}
