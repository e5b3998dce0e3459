/**
 * The search engine (search.html): indexes kept current from storage commits, and searches that combine
 * per-parameter index lookups (`,` = OR within a parameter, repeated parameters = AND), with one-level
 * (and deeper) chains, _sort, _type for system-wide searches, and _include/_revinclude.
 */
import type { DefinitionRegistry } from '../../fhir/index.js';
import type { ResourceVersion, Storage } from '../storage/types.js';
import { collectIncludes } from './includes.js';
import {
  matchDate,
  matchMissing,
  matchNumber,
  matchQuantity,
  matchReference,
  matchString,
  matchToken,
  matchUri,
  modifierProblem,
  type IdSet,
} from './match.js';
import { ParameterCatalog, SYSTEM_PARAMETERS } from './parameters.js';
import { SORTABLE_TYPES, sortItems, sortValue, type SortKey } from './sort.js';
import { parseName, splitEscaped, type ParameterName } from './syntax.js';
import { TypeIndex } from './type-index.js';
import type { ResourceKey, SearchError, SearchParameterInfo, SearchResult, SearchWindow } from './types.js';
import { isSearchError } from './types.js';

/** Parameters that shape a search's answer rather than select resources (search.html#return). */
export const RESULT_PARAMETERS: ReadonlySet<string> = new Set([
  '_count',
  '_offset',
  '_summary',
  '_elements',
  '_total',
  '_include',
  '_revinclude',
  '_format',
  '_pretty',
]);

/**
 * Parameters the engine neither matches on nor reports as unknown: the result parameters (the handler's
 * job) and _contained, which only changes what the answer holds.
 */
const HANDLER_PARAMETERS = new Set([...RESULT_PARAMETERS, '_contained', '_containedType']);

const NOT_SUPPORTED: Record<string, string> = {
  _has: 'reverse chaining (_has) is not supported',
  _filter: '_filter is not supported',
  _query: 'named queries are not supported',
  _list: '_list is not supported',
};

interface Clause {
  name: string;
  value: string;
  parsed: ParameterName;
  info: SearchParameterInfo;
}

const catalogs = new WeakMap<DefinitionRegistry, ParameterCatalog>();

export class SearchEngine {
  private readonly catalog: ParameterCatalog;
  private readonly indexes = new Map<string, TypeIndex>();

  /**
   * An engine that follows `storage` from now on, having indexed what it holds. Without a storage, it
   * is fed by `apply` until it is told to `follow` one (a journal's replay feeds it the versions it
   * restores, parsed once, rather than have it read them all back).
   */
  constructor(definitions: DefinitionRegistry, storage?: Storage) {
    let catalog = catalogs.get(definitions);
    if (!catalog) catalogs.set(definitions, (catalog = new ParameterCatalog(definitions)));
    this.catalog = catalog;
    if (storage) this.follow(storage, true);
  }

  /** Indexes every commit of `storage` from now on; `indexExisting`: and what it holds already. */
  follow(storage: Storage, indexExisting: boolean): void {
    if (indexExisting) {
      for (const type of storage.types()) {
        const index = this.typeIndex(type);
        for (const id of storage.ids(type)) {
          const resource = storage.read(type, id)?.resource;
          if (resource) index.put(resource);
        }
      }
    }
    storage.onCommit((versions) => this.apply(versions));
  }

  /** Every parameter that applies to a type, the IG's included. */
  parameters(type: string): SearchParameterInfo[] {
    return [...this.catalog.forType(type).values()];
  }

  /** A search; with a window, `matches` holds only that page (`total` counts them all). */
  search(
    type: string | undefined,
    params: [string, string][],
    window?: SearchWindow,
  ): SearchResult | SearchError {
    const available = type === undefined ? this.catalog.system() : this.catalog.forType(type);
    const used: [string, string][] = [];
    const unknown: SearchResult['unknown'] = [];
    const clauses: Clause[] = [];
    const sortKeys: SortKey[] = [];
    let types: string[] | undefined;

    for (const [name, value] of params) {
      const parsed = parseName(name);
      if (HANDLER_PARAMETERS.has(parsed.code) || value === '') continue;
      if (name === '_sort') {
        const keys = this.parseSort(value, available, unknown);
        if (keys.length > 0) {
          sortKeys.push(...keys);
          used.push([name, keys.map((k) => (k.descending ? '-' : '') + k.code).join(',')]);
        }
        continue;
      }
      if (name === '_type' && type === undefined) {
        types = value.split(',').filter((t) => t.length > 0);
        used.push([name, value]);
        continue;
      }
      const info = available.get(parsed.code);
      const reason = info ? this.clauseProblem(type, info, parsed) : this.unknownReason(type, parsed.code);
      if (reason) {
        unknown.push({ name, reason });
        continue;
      }
      clauses.push({ name, value, parsed, info: info as SearchParameterInfo });
      used.push([name, value]);
    }

    const searched = type === undefined ? (types ?? this.typesWithData()) : [type];
    const start = window ? Math.max(0, window.offset) : 0;
    const end = window ? start + Math.max(0, window.count) : Infinity;
    if (type !== undefined && sortKeys.length === 0) {
      // The common case: one type in the default order, built only as far as the window reaches.
      const index = this.typeIndex(type);
      const ids = this.matchAll(index, clauses);
      if (isSearchError(ids)) return ids;
      const ordered = index.ordered(ids, end).slice(start);
      return {
        matches: ordered.map((ordinal) => ({ type, id: index.id(ordinal) })),
        total: ids.size,
        used,
        unknown,
      };
    }
    const found: ResourceKey[] = [];
    for (const searchedType of searched) {
      const index = this.typeIndex(searchedType);
      const ordinals = this.matchAll(index, clauses);
      if (isSearchError(ordinals)) return ordinals;
      for (const ordinal of ordinals) found.push({ type: searchedType, id: index.id(ordinal) });
    }
    const matches = this.sort(found, sortKeys).slice(start, end);
    return { matches, total: found.length, used, unknown };
  }

  includes(matches: ResourceKey[], include: string[], revinclude: string[]): ResourceKey[] {
    return collectIncludes(
      {
        typeIndex: (type) => this.typeIndex(type),
        referenceParameters: (type) =>
          this.parameters(type)
            .filter((p) => p.type === 'reference')
            .map((p) => p.code),
      },
      matches,
      include,
      revinclude,
    );
  }

  /** Brings the indexes up to date with versions in commit order (a delete removes the resource). */
  apply(versions: readonly ResourceVersion[]): void {
    for (const version of versions) {
      const index = this.typeIndex(version.type);
      if (version.resource) index.put(version.resource);
      else index.remove(version.id);
    }
  }

  private typeIndex(type: string): TypeIndex {
    let index = this.indexes.get(type);
    if (!index) this.indexes.set(type, (index = new TypeIndex(type, this.catalog.forType(type))));
    return index;
  }

  private typesWithData(): string[] {
    return [...this.indexes.values()].filter((i) => i.live.size > 0).map((i) => i.type);
  }

  private unknownReason(type: string | undefined, code: string): string {
    if (NOT_SUPPORTED[code]) return NOT_SUPPORTED[code];
    if (type === undefined && this.catalog.forType('Resource').has(code) && !SYSTEM_PARAMETERS.has(code))
      return `${code} is not supported in a search across all types`;
    return type === undefined
      ? `unknown parameter ${code} for a search across all types`
      : `unknown parameter ${code} for ${type}`;
  }

  /** Why a known parameter cannot be used as given, or undefined. */
  private clauseProblem(
    type: string | undefined,
    info: SearchParameterInfo,
    parsed: ParameterName,
  ): string | undefined {
    if (info.type === 'composite' || info.type === 'special')
      return `${info.type} parameters are not supported`;
    const modifierIssue = modifierProblem(info, parsed.modifier);
    if (modifierIssue) return modifierIssue;
    const unindexable = type === undefined ? undefined : this.typeIndex(type).unindexable.get(info.code);
    if (unindexable) return unindexable;
    if (parsed.chain !== undefined) {
      if (info.type !== 'reference') return `${info.code} is not a reference, so it cannot be chained`;
      if (parsed.modifier === 'identifier' || parsed.modifier === 'missing')
        return `:${parsed.modifier} cannot be chained`;
      const chained = parseName(parsed.chain);
      const targets = this.chainTargets(info, parsed).filter((t) =>
        this.catalog.forType(t).has(chained.code),
      );
      if (targets.length === 0) return `no target of ${info.code} has a parameter ${chained.code}`;
      for (const target of targets) {
        const problem = this.clauseProblem(target, this.catalog.forType(target).get(chained.code)!, chained);
        if (problem) return problem;
      }
    }
    return undefined;
  }

  private chainTargets(info: SearchParameterInfo, parsed: ParameterName): string[] {
    return parsed.modifier ? [parsed.modifier] : (info.targets ?? []);
  }

  private parseSort(
    value: string,
    available: Map<string, SearchParameterInfo>,
    unknown: SearchResult['unknown'],
  ): SortKey[] {
    const keys: SortKey[] = [];
    for (const item of value.split(',')) {
      const descending = item.startsWith('-');
      const code = descending ? item.slice(1) : item;
      const info = available.get(code);
      if (info && SORTABLE_TYPES.has(info.type)) keys.push({ code, descending });
      else
        unknown.push({
          name: '_sort',
          reason: info ? `cannot sort by a ${info.type} parameter` : `unknown sort parameter ${code}`,
        });
    }
    return keys;
  }

  /** The ids of a type that satisfy every clause (AND). */
  private matchAll(index: TypeIndex, clauses: Clause[]): IdSet | SearchError {
    const sets: IdSet[] = [];
    for (const clause of clauses) {
      const ids = this.matchClause(index, clause.info, clause.parsed, clause.value);
      if (isSearchError(ids)) return ids;
      sets.push(ids);
    }
    if (sets.length === 0) return index.live;
    sets.sort((a, b) => a.size - b.size);
    const [smallest, ...others] = sets as [IdSet, ...IdSet[]];
    if (others.length === 0) return smallest;
    const out = new Set<number>();
    for (const ordinal of smallest) if (others.every((s) => s.has(ordinal))) out.add(ordinal);
    return out;
  }

  /** One parameter with its `,` alternatives (OR). */
  private matchClause(
    index: TypeIndex,
    info: SearchParameterInfo,
    parsed: ParameterName,
    value: string,
  ): IdSet | SearchError {
    const parameter = index.parameter(info.code);
    if (!parameter) return new Set();
    if (parsed.modifier === 'missing' && parsed.chain === undefined)
      return matchMissing(parameter, index.live, value);
    if (parsed.chain !== undefined) return this.matchChain(index, info, parsed, value);
    const alternatives = splitEscaped(value, ',');
    const results: IdSet[] = [];
    for (const alternative of alternatives) {
      const ids = this.matchValue(info, parameter, parsed.modifier, alternative);
      if (isSearchError(ids)) return ids;
      results.push(ids);
    }
    const union = results.length === 1 ? (results[0] as IdSet) : new Set(results.flatMap((r) => [...r]));
    if (parsed.modifier !== 'not') return union;
    const out = new Set<number>();
    for (const ordinal of index.live) if (!union.has(ordinal)) out.add(ordinal);
    return out;
  }

  private matchValue(
    info: SearchParameterInfo,
    parameter: NonNullable<ReturnType<TypeIndex['parameter']>>,
    modifier: string | undefined,
    value: string,
  ): IdSet | SearchError {
    switch (info.type) {
      case 'string':
        return matchString(parameter, value, modifier);
      case 'token':
        return matchToken(parameter, value, modifier === 'not' ? undefined : modifier);
      case 'reference':
        return matchReference(parameter, value, modifier);
      case 'date':
        return matchDate(parameter, value);
      case 'number':
        return matchNumber(parameter, value);
      case 'quantity':
        return matchQuantity(parameter, value);
      case 'uri':
        return matchUri(parameter, value, modifier);
      default:
        return new Set();
    }
  }

  /** `subject:Patient.name=x`: the resources whose reference points at a target matching the chain. */
  private matchChain(
    index: TypeIndex,
    info: SearchParameterInfo,
    parsed: ParameterName,
    value: string,
  ): IdSet | SearchError {
    const reference = index.parameter(info.code);
    const chained = parseName(parsed.chain as string);
    const out = new Set<number>();
    for (const target of this.chainTargets(info, parsed)) {
      const targetInfo = this.catalog.forType(target).get(chained.code);
      if (!targetInfo || !reference) continue;
      const targetIndex = this.typeIndex(target);
      const targets = this.matchClause(targetIndex, targetInfo, chained, value);
      if (isSearchError(targets)) return targets;
      for (const ordinal of targets)
        for (const source of reference.lookup(`${target}/${targetIndex.id(ordinal)}`) ?? []) out.add(source);
    }
    return out;
  }

  private sort(found: ResourceKey[], keys: SortKey[]): ResourceKey[] {
    const lastUpdated = (key: ResourceKey): number => {
      const index = this.typeIndex(key.type);
      const ordinal = index.ordinalOf(key.id);
      return ordinal === undefined ? -Infinity : index.instant(ordinal);
    };
    const byDefault = [...found].sort((a, b) => {
      const x = lastUpdated(a);
      const y = lastUpdated(b);
      if (x !== y) return x < y ? 1 : -1;
      if (a.type !== b.type) return a.type < b.type ? -1 : 1;
      return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    });
    if (keys.length === 0) return byDefault;
    const rank = new Map(byDefault.map((key, i) => [key, i]));
    return sortItems(
      byDefault,
      keys,
      (key, k) => {
        const sortKey = keys[k] as SortKey;
        const index = this.typeIndex(key.type);
        const parameter = index.parameter(sortKey.code);
        const ordinal = index.ordinalOf(key.id);
        return parameter && ordinal !== undefined
          ? sortValue(parameter, ordinal, sortKey.descending)
          : undefined;
      },
      (key) => rank.get(key) ?? 0,
    );
  }
}
