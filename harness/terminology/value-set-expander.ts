/**
 * ValueSet.compose, compiled into membership tests and, on request, into a full expansion.
 *
 * Membership never needs the full expansion: each include is tested on its own (a concept list is a
 * Map, a whole system is a lookup in its CodeSystemIndex, a filter is a predicate over a concept), so
 * a ValueSet over a system of thousands of codes answers its first question without enumerating it.
 * Every part is compiled on first use. Verdicts are three-valued: in, out, or "cannot tell" (a system
 * or ValueSet we do not hold), and "cannot tell" never becomes "out".
 */
import type { CodeSystemIndex } from './code-system-index.js';
import { messages, type ExpansionContains, type UncheckedCode } from './code-check.js';
import type { ExternalSystem } from './external-systems.js';
import { compileFilter, type ConceptPredicate } from './filters.js';
import { splitCanonical } from './source.js';

export type SystemResolution =
  | { kind: 'held'; index: CodeSystemIndex }
  | { kind: 'external'; external: ExternalSystem }
  | { kind: 'supplement' }
  | { kind: 'unknown' };

/** What the expander needs from its owner: resolved (and cached) systems and ValueSets. */
export interface ExpansionContext {
  resolveSystem(system: string, version?: string): SystemResolution;
  resolveValueSet(canonical: string): CompiledValueSet | undefined;
  readonly maxExpansion: number;
}

export type Verdict =
  { in: true; display?: string } | { in: false; message?: string } | { in: 'unknown'; check: UncheckedCode };

export type Enumeration =
  { ok: true; contains: ExpansionContains[] } | { ok: false; message: string; tooCostly?: true };

const OUT: Verdict = { in: false };

/** The verdict for a code in a system we cannot (fully) check. */
export function uncheckableSystem(system: string, resolution: SystemResolution): Verdict {
  const message =
    resolution.kind === 'external'
      ? messages.unavailableCodeSystem(system, resolution.external.name)
      : resolution.kind === 'supplement'
        ? messages.supplement(system)
        : messages.unknownCodeSystem(system);
  return { in: 'unknown', check: { result: 'unknown-system', system, message } };
}

function partlyKnown(index: CodeSystemIndex, code: string): Verdict {
  const message = messages.unknownCodeInPart(index.url, index.version, code, index.content);
  return { in: 'unknown', check: { result: 'unknown-system', system: index.url, message, partial: true } };
}

function unknownValueSet(message: string): Verdict {
  return { in: 'unknown', check: { result: 'unknown-value-set', message } };
}

/** One compose.include or compose.exclude. */
class ConceptSet {
  private readonly system: string | undefined;
  private resolution: SystemResolution | undefined;
  private listed: Map<string, fhir4.ValueSetComposeIncludeConcept> | undefined;
  private filters: { ok: true; matches: ConceptPredicate[] } | { ok: false; message: string } | undefined;
  private nested: (CompiledValueSet | string)[] | undefined;

  constructor(
    private readonly include: fhir4.ValueSetComposeInclude,
    private readonly ctx: ExpansionContext,
    private readonly owner: string,
  ) {
    this.system = typeof include.system === 'string' ? include.system : undefined;
  }

  get systemUrl(): string | undefined {
    return this.system;
  }

  private systemResolution(system: string): SystemResolution {
    this.resolution ??= this.ctx.resolveSystem(system, this.include.version);
    return this.resolution;
  }

  private hasConceptList(): boolean {
    return (this.include.concept?.length ?? 0) > 0;
  }

  private listedConcept(
    code: string,
    resolution: SystemResolution,
  ): fhir4.ValueSetComposeIncludeConcept | undefined {
    const fold = resolution.kind === 'held' && !resolution.index.caseSensitive;
    if (!this.listed) {
      this.listed = new Map();
      for (const concept of this.include.concept ?? []) {
        if (typeof concept?.code !== 'string') continue;
        const key = fold ? concept.code.toLowerCase() : concept.code;
        if (!this.listed.has(key)) this.listed.set(key, concept);
      }
    }
    return this.listed.get(fold ? code.toLowerCase() : code);
  }

  private compiledFilters(
    index: CodeSystemIndex,
  ): { ok: true; matches: ConceptPredicate[] } | { ok: false; message: string } {
    if (!this.filters) {
      const matches: ConceptPredicate[] = [];
      this.filters = { ok: true, matches };
      for (const filter of this.include.filter ?? []) {
        const compiled = compileFilter(index, filter);
        if (!compiled.ok) {
          this.filters = { ok: false, message: compiled.message };
          break;
        }
        matches.push(compiled.matches);
      }
    }
    return this.filters;
  }

  private nestedValueSets(): (CompiledValueSet | string)[] {
    this.nested ??= (this.include.valueSet ?? [])
      .filter((c): c is string => typeof c === 'string')
      .map((canonical) => this.ctx.resolveValueSet(canonical) ?? canonical);
    return this.nested;
  }

  /** Every system this set can hold codes from (for bare codes). */
  collectSystems(into: Set<string>): void {
    if (this.system !== undefined) {
      into.add(this.system);
      return;
    }
    for (const nested of this.nestedValueSets()) {
      if (typeof nested !== 'string') nested.collectSystems(into);
    }
  }

  test(system: string, code: string): Verdict {
    let verdict: Verdict = OUT;
    if (this.system !== undefined) {
      if (system !== this.system) return OUT;
      verdict = this.testInSystem(this.system, code);
      if (verdict.in === false) return verdict;
    }
    const nested = this.nestedValueSets();
    if (this.system === undefined && nested.length === 0) return OUT;
    // Several ValueSets (and a system part) intersect: every one must hold the code.
    for (const valueSet of nested) {
      const inner: Verdict =
        typeof valueSet === 'string'
          ? unknownValueSet(messages.unknownValueSet(valueSet))
          : valueSet.test(system, code);
      if (inner.in === false) return OUT;
      if (
        verdict.in === false ||
        (verdict.in === true && (inner.in === 'unknown' || verdict.display === undefined))
      ) {
        verdict = inner;
      }
    }
    return verdict;
  }

  private testInSystem(system: string, code: string): Verdict {
    const resolution = this.systemResolution(system);
    if (this.hasConceptList()) {
      const listed = this.listedConcept(code, resolution);
      if (!listed) return OUT;
      if (resolution.kind === 'held') {
        const entry = resolution.index.get(code);
        if (entry) return { in: true, display: entry.display ?? listed.display };
        if (resolution.index.isComplete) {
          return { in: false, message: messages.unknownCode(system, resolution.index.version, code) };
        }
      }
      return { in: true, display: listed.display };
    }
    switch (resolution.kind) {
      case 'held': {
        const { index } = resolution;
        const entry = index.get(code);
        if (!entry) {
          if (index.isComplete)
            return { in: false, message: messages.unknownCode(system, index.version, code) };
          return partlyKnown(index, code);
        }
        const filters = this.compiledFilters(index);
        if (!filters.ok) return unknownValueSet(filters.message);
        return filters.matches.every((matches) => matches(entry))
          ? { in: true, display: entry.display }
          : OUT;
      }
      case 'external': {
        const { external } = resolution;
        // Grammar-defined systems have no concepts to filter on.
        if (external.kind === 'unavailable' || (this.include.filter?.length ?? 0) > 0) {
          return uncheckableSystem(system, resolution);
        }
        const problem = external.check(code);
        return problem === undefined ? { in: true } : { in: false, message: problem };
      }
      default:
        return uncheckableSystem(system, resolution);
    }
  }

  enumerate(): Enumeration {
    let items: ExpansionContains[] | undefined;
    if (this.system !== undefined) {
      const system = this.system;
      const resolution = this.systemResolution(system);
      const index = resolution.kind === 'held' ? resolution.index : undefined;
      const version = index?.version;
      if (this.hasConceptList()) {
        items = [];
        for (const concept of this.include.concept ?? []) {
          if (typeof concept?.code !== 'string') continue;
          const display = index?.get(concept.code)?.display ?? concept.display;
          items.push({ system, code: concept.code, display, version });
        }
      } else if (index) {
        if (index.size === 0 && !index.isComplete) {
          return {
            ok: false,
            message: messages.cannotExpandSystem(this.owner, system, `whose content is '${index.content}'`),
          };
        }
        const filters = this.compiledFilters(index);
        if (!filters.ok) return { ok: false, message: filters.message };
        items = [];
        for (const entry of index.concepts()) {
          if (!filters.matches.every((matches) => matches(entry))) continue;
          items.push({ system, code: entry.code, display: entry.display, version });
          if (items.length > this.ctx.maxExpansion) {
            return {
              ok: false,
              tooCostly: true,
              message: messages.tooCostly(this.owner, this.ctx.maxExpansion),
            };
          }
        }
      } else {
        const why =
          resolution.kind === 'external'
            ? `${resolution.external.name}, which cannot be enumerated here`
            : 'which could not be found';
        return { ok: false, message: messages.cannotExpandSystem(this.owner, system, why) };
      }
    }
    for (const valueSet of this.nestedValueSets()) {
      if (typeof valueSet === 'string') return { ok: false, message: messages.unknownValueSet(valueSet) };
      if (items === undefined) {
        const expanded = valueSet.enumerate();
        if (!expanded.ok) return expanded;
        items = expanded.contains;
      } else {
        items = items.filter((item) => valueSet.test(item.system, item.code).in === true);
      }
    }
    return { ok: true, contains: items ?? [] };
  }
}

function flattenContains(
  contains: fhir4.ValueSetExpansionContains[] | undefined,
  into: ExpansionContains[],
): void {
  for (const item of contains ?? []) {
    if (typeof item?.system === 'string' && typeof item.code === 'string') {
      into.push({ system: item.system, code: item.code, display: item.display, version: item.version });
    }
    flattenContains(item?.contains, into);
  }
}

const key = (system: string, code: string): string => `${system}|${code}`;

/** A ValueSet ready for membership tests. Recursion through nested ValueSets is cycle-safe. */
export class CompiledValueSet {
  private includes: ConceptSet[] | undefined;
  private excludes: ConceptSet[] | undefined;
  /** For a ValueSet given only as an expansion. */
  private expansionIndex: Map<string, ExpansionContains> | undefined;
  private enumeration: Enumeration | undefined;
  private busy = false;

  constructor(
    /** The canonical it was asked for by (url, maybe |version): used in messages. */
    readonly canonical: string,
    private readonly valueSet: fhir4.ValueSet,
    private readonly ctx: ExpansionContext,
  ) {}

  get url(): string {
    return this.valueSet.url ?? splitCanonical(this.canonical).url;
  }

  /** The canonical as the HL7 validator names it in messages: url|version. */
  get label(): string {
    return this.valueSet.version ? `${this.url}|${this.valueSet.version}` : this.url;
  }

  private hasCompose(): boolean {
    return (this.valueSet.compose?.include?.length ?? 0) > 0;
  }

  private parts(): { includes: ConceptSet[]; excludes: ConceptSet[] } {
    const compose = this.valueSet.compose;
    this.includes ??= (compose?.include ?? [])
      .filter(Boolean)
      .map((i) => new ConceptSet(i, this.ctx, this.label));
    this.excludes ??= (compose?.exclude ?? [])
      .filter(Boolean)
      .map((i) => new ConceptSet(i, this.ctx, this.label));
    return { includes: this.includes, excludes: this.excludes };
  }

  private expansionContains(): Map<string, ExpansionContains> {
    if (!this.expansionIndex) {
      const list: ExpansionContains[] = [];
      flattenContains(this.valueSet.expansion?.contains, list);
      this.expansionIndex = new Map(list.map((item) => [key(item.system, item.code), item]));
    }
    return this.expansionIndex;
  }

  /** Runs `work` unless this ValueSet is already being evaluated further up the stack. */
  private guarded<T>(work: () => T, onCycle: () => T): T {
    if (this.busy) return onCycle();
    this.busy = true;
    try {
      return work();
    } finally {
      this.busy = false;
    }
  }

  test(system: string, code: string): Verdict {
    return this.guarded(
      () => this.testUnguarded(system, code),
      () => unknownValueSet(messages.circularValueSet(this.label)),
    );
  }

  private testUnguarded(system: string, code: string): Verdict {
    if (!this.hasCompose()) {
      if (!this.valueSet.expansion) return unknownValueSet(messages.unknownValueSet(this.label));
      const item = this.expansionContains().get(key(system, code));
      return item ? { in: true, display: item.display } : OUT;
    }
    const { includes, excludes } = this.parts();
    let verdict: Verdict = OUT;
    for (const include of includes) {
      const inner = include.test(system, code);
      if (inner.in === true) {
        verdict = inner;
        break;
      }
      // Keep the most telling reason: "cannot tell" beats "out", and an explained "out" beats a bare one.
      if (inner.in === 'unknown' && verdict.in === false) verdict = inner;
      if (inner.in === false && verdict.in === false && verdict.message === undefined) verdict = inner;
    }
    if (verdict.in !== true) return verdict;
    for (const exclude of excludes) {
      const inner = exclude.test(system, code);
      if (inner.in === true) return OUT;
      if (inner.in === 'unknown') return inner;
    }
    return verdict;
  }

  /** The systems whose codes this ValueSet may hold, to place a bare code. */
  collectSystems(into: Set<string>): void {
    this.guarded(
      () => {
        if (!this.hasCompose()) {
          for (const item of this.expansionContains().values()) into.add(item.system);
          return;
        }
        for (const include of this.parts().includes) include.collectSystems(into);
      },
      () => undefined,
    );
  }

  enumerate(): Enumeration {
    if (this.enumeration) return this.enumeration;
    // A cycle's answer is not cached here: the outer evaluation of this ValueSet caches its own result.
    if (this.busy) return { ok: false, message: messages.circularValueSet(this.label) };
    this.enumeration = this.guarded(
      () => this.enumerateUnguarded(),
      (): Enumeration => ({ ok: false, message: messages.circularValueSet(this.label) }),
    );
    return this.enumeration;
  }

  private enumerateUnguarded(): Enumeration {
    if (!this.hasCompose()) {
      if (!this.valueSet.expansion) return { ok: false, message: messages.unknownValueSet(this.label) };
      return { ok: true, contains: [...this.expansionContains().values()] };
    }
    const { includes, excludes } = this.parts();
    const found = new Map<string, ExpansionContains>();
    for (const include of includes) {
      const part = include.enumerate();
      if (!part.ok) return part;
      for (const item of part.contains) {
        const k = key(item.system, item.code);
        if (!found.has(k)) found.set(k, item);
      }
      if (found.size > this.ctx.maxExpansion) {
        return { ok: false, tooCostly: true, message: messages.tooCostly(this.label, this.ctx.maxExpansion) };
      }
    }
    const contains: ExpansionContains[] = [];
    for (const item of found.values()) {
      if (!excludes.some((exclude) => exclude.test(item.system, item.code).in === true)) contains.push(item);
    }
    return { ok: true, contains };
  }
}
