/**
 * Terminology: code membership in ValueSets, code lookup in CodeSystems and expansions, all local.
 * There is no terminology server: what we do not hold is reported as "cannot check", never as wrong.
 *
 * Everything is cached: CodeSystem indexes per system, compiled ValueSets per canonical, and each
 * ValueSet's answers per system|code, so a repeated check is one Map lookup.
 */
import { CodeSystemIndex } from './code-system-index.js';
import {
  DEFAULT_MAX_EXPANSION,
  messages,
  type CodeCheck,
  type ExpansionResult,
  type LookupResult,
} from './code-check.js';
import { externalSystem } from './external-systems.js';
import { resolveVersioned, type TerminologySource } from './source.js';
import {
  CompiledValueSet,
  uncheckableSystem,
  type ExpansionContext,
  type SystemResolution,
  type Verdict,
} from './value-set-expander.js';

export interface TerminologyOptions {
  /** Expansions larger than this are refused (default 10,000 codes). */
  maxExpansion?: number;
}

/** Answers cached per ValueSet; past this many distinct codes, new answers are computed but not kept. */
const MAX_CACHED_ANSWERS = 100_000;

/** Stands for "no system" in cache keys (a system is never the empty string... but it could be). */
const NO_SYSTEM = '\u0000';

function describeFault(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class Terminology {
  private readonly systems = new Map<string, SystemResolution>();
  private readonly valueSets = new Map<string, CompiledValueSet | null>();
  private readonly answers = new Map<string, Map<string, CodeCheck>>();
  private readonly expansions = new Map<string, ExpansionResult>();
  private readonly context: ExpansionContext;

  constructor(
    private readonly source: TerminologySource,
    options: TerminologyOptions = {},
  ) {
    this.context = {
      resolveSystem: (system, version) => this.resolveSystem(system, version),
      resolveValueSet: (canonical) => this.resolveValueSet(canonical),
      maxExpansion: options.maxExpansion ?? DEFAULT_MAX_EXPANSION,
    };
  }

  /** Is code (in system, when given; a bare code for `code` elements) a member of the ValueSet? */
  checkCode(valueSetUrl: string, system: string | undefined, code: string): CodeCheck {
    let answers = this.answers.get(valueSetUrl);
    const answerKey = `${system ?? NO_SYSTEM}|${code}`;
    const cached = answers?.get(answerKey);
    if (cached) return cached;
    let answer: CodeCheck;
    try {
      answer = this.computeCheck(valueSetUrl, system, code);
    } catch (error) {
      // Never throw on bad definitions: an unexpected fault means the ValueSet could not be used.
      answer = {
        result: 'unknown-value-set',
        message: `The value set '${valueSetUrl}' could not be checked: ${describeFault(error)}`,
      };
    }
    if (!answers) {
      answers = new Map();
      this.answers.set(valueSetUrl, answers);
    }
    if (answers.size < MAX_CACHED_ANSWERS) answers.set(answerKey, answer);
    return answer;
  }

  private computeCheck(valueSetUrl: string, system: string | undefined, code: string): CodeCheck {
    const valueSet = this.resolveValueSet(valueSetUrl);
    if (!valueSet) return { result: 'unknown-value-set', message: messages.unknownValueSet(valueSetUrl) };
    if (system !== undefined) {
      return this.toCheck(valueSet.test(system, code), () =>
        messages.notInValueSet(valueSet.label, system, code),
      );
    }
    // A bare code (a `code` element): the ValueSet's own systems say where it may come from.
    const systems = new Set<string>();
    valueSet.collectSystems(systems);
    let best: Verdict = { in: false };
    for (const candidate of systems) {
      const verdict = valueSet.test(candidate, code);
      if (verdict.in === true) return this.toCheck(verdict, () => '');
      if (verdict.in === 'unknown' && best.in === false) best = verdict;
    }
    if (best.in === false) {
      // No system held it; a part with no system at all (an unresolvable nested ValueSet, a ValueSet
      // with neither compose nor expansion) still makes the answer "cannot tell".
      const systemless = valueSet.test('', code);
      if (systemless.in === 'unknown') best = systemless;
    }
    // A code system of the value set that defines the code determines the system (the value set only
    // leaves the code out); only a code no candidate system defines leaves the system undetermined.
    const definer = [...systems].find((candidate) => this.lookup(candidate, code).found);
    return this.toCheck(best, () =>
      definer !== undefined
        ? messages.notInValueSet(valueSet.label, definer, code)
        : messages.bareCodeNotInValueSet(valueSet.label, code),
    );
  }

  private toCheck(verdict: Verdict, notIn: () => string): CodeCheck {
    if (verdict.in === true)
      return verdict.display === undefined
        ? { result: 'valid' }
        : { result: 'valid', display: verdict.display };
    if (verdict.in === 'unknown') return verdict.check;
    const why = verdict.message === undefined ? '' : ` (${verdict.message})`;
    return { result: 'invalid', message: notIn() + why };
  }

  /** For a Coding or code in a CodeSystem (no ValueSet): does the code exist in the system, and is the display right? */
  lookup(system: string, code: string): LookupResult {
    try {
      return this.lookupUnguarded(system, code);
    } catch (error) {
      return {
        found: false,
        reason: 'unknown-system',
        message: `${system} could not be read: ${describeFault(error)}`,
      };
    }
  }

  private lookupUnguarded(system: string, code: string): LookupResult {
    const resolution = this.resolveSystem(system);
    if (resolution.kind === 'held') {
      const { index } = resolution;
      const entry = index.get(code);
      if (entry) return { found: true, display: entry.display, displays: entry.displays };
      if (index.isComplete) {
        return {
          found: false,
          reason: 'unknown-code',
          message: messages.unknownCode(system, index.version, code),
        };
      }
      const message = messages.unknownCodeInPart(system, index.version, code, index.content);
      return { found: false, reason: 'unknown-system', message, partial: true };
    }
    if (resolution.kind === 'external' && resolution.external.kind === 'syntax') {
      const problem = resolution.external.check(code);
      if (problem === undefined) return { found: true, displays: [] };
      return { found: false, reason: 'unknown-code', message: problem };
    }
    if (resolution.kind === 'supplement')
      return { found: false, reason: 'supplement', message: messages.supplement(system) };
    const verdict = uncheckableSystem(system, resolution);
    const message = verdict.in === 'unknown' ? verdict.check.message : messages.unknownCodeSystem(system);
    return { found: false, reason: 'unknown-system', message };
  }

  /** Full expansion when possible (for tests, for messages listing allowed codes, and for the server later). */
  expand(valueSetUrl: string): ExpansionResult {
    const cached = this.expansions.get(valueSetUrl);
    if (cached) return cached;
    let result: ExpansionResult;
    try {
      const valueSet = this.resolveValueSet(valueSetUrl);
      if (!valueSet) {
        result = { ok: false, message: messages.unknownValueSet(valueSetUrl) };
      } else {
        const enumeration = valueSet.enumerate();
        result = enumeration.ok ? enumeration : { ok: false, message: enumeration.message };
      }
    } catch (error) {
      result = {
        ok: false,
        message: `The value set '${valueSetUrl}' could not be expanded: ${describeFault(error)}`,
      };
    }
    this.expansions.set(valueSetUrl, result);
    return result;
  }

  private resolveValueSet(canonical: string): CompiledValueSet | undefined {
    const known = this.valueSets.get(canonical);
    if (known !== undefined) return known ?? undefined;
    const resource = resolveVersioned(canonical, (c) => this.source.valueSet(c));
    const compiled = resource ? new CompiledValueSet(canonical, resource, this.context) : undefined;
    this.valueSets.set(canonical, compiled ?? null);
    return compiled;
  }

  private resolveSystem(system: string, version?: string): SystemResolution {
    const cacheKey = version === undefined ? system : `${system}|${version}`;
    const known = this.systems.get(cacheKey);
    if (known) return known;
    const resolution = this.buildResolution(system, version);
    this.systems.set(cacheKey, resolution);
    return resolution;
  }

  private buildResolution(system: string, version: string | undefined): SystemResolution {
    // A version pin we do not hold falls back to the version we do hold.
    const versioned = version === undefined ? system : `${system}|${version}`;
    if (version !== undefined) {
      const unpinned = this.resolveSystem(system);
      const pinned = resolveVersioned(versioned, (c) => this.source.codeSystem(c));
      if (
        !pinned ||
        pinned.version === undefined ||
        unpinned.kind !== 'held' ||
        unpinned.index.version === pinned.version
      ) {
        return unpinned;
      }
      return this.resolutionOf(system, pinned);
    }
    return this.resolutionOf(
      system,
      resolveVersioned(system, (c) => this.source.codeSystem(c)),
    );
  }

  private resolutionOf(system: string, codeSystem: fhir4.CodeSystem | undefined): SystemResolution {
    // A supplement only adds designations and properties to another system: its codes are not its own.
    if (codeSystem && (codeSystem.content === 'supplement' || typeof codeSystem.supplements === 'string')) {
      return { kind: 'supplement' };
    }
    // A CodeSystem stub with content not-present (SNOMED CT in the core package) holds nothing.
    if (codeSystem && codeSystem.content !== 'not-present')
      return { kind: 'held', index: new CodeSystemIndex(codeSystem) };
    const external = externalSystem(system);
    if (external) return { kind: 'external', external };
    return { kind: 'unknown' };
  }
}
