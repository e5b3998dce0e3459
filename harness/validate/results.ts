/**
 * What the validate and qa commands produce and every output format reads: one result per validated
 * resource, holding only its issues (never the resource), so a run over millions of lines stays small.
 */
import type { Severity, ValidationIssue } from '../validator/index.js';

/** An issue a baseline knows about: it is reported, but it no longer counts for the exit code. */
export interface SuppressedIssue extends ValidationIssue {
  reason: string;
}

export interface ResourceResult {
  /** The input as shown to the user: a path relative to the working folder, or `<stdin>`. */
  file: string;
  /** For NDJSON, the 1-based line of the resource; absent for a file holding one document. */
  index?: number;
  resourceType?: string;
  /** Who the resource is: `Type/id`, else `Type?identifier=system|value` (baselines key on it). */
  identity?: string;
  /** Issues that count (new ones, when a baseline is applied). */
  issues: ValidationIssue[];
  /** Issues a baseline accepted, with its reason. */
  suppressed?: SuppressedIssue[];
}

/** The lowest severity that fails a run. */
export type FailOn = 'error' | 'warning';

export const FAIL_ON_VALUES: readonly FailOn[] = ['error', 'warning'];

/** Higher is worse; fatal and error both fail `--fail-on error`. */
const RANK: Record<Severity, number> = { information: 0, warning: 1, error: 2, fatal: 3 };

/** A severity's place, higher worse: information 0 up to fatal 3. */
export function severityRank(severity: Severity): number {
  return RANK[severity];
}

/**
 * The result with the issues `reasonFor` gives a reason for moved to `suppressed`, each with its reason;
 * the same result when none is. Baselines and suppressions both accept issues this way.
 */
export function suppressIssues(
  result: ResourceResult,
  reasonFor: (item: ValidationIssue) => string | undefined,
): ResourceResult {
  if (result.issues.length === 0) return result;
  const kept: ValidationIssue[] = [];
  const suppressed: SuppressedIssue[] = [...(result.suppressed ?? [])];
  for (const item of result.issues) {
    const reason = reasonFor(item);
    if (reason === undefined) kept.push(item);
    else suppressed.push({ ...item, reason });
  }
  return kept.length === result.issues.length ? result : { ...result, issues: kept, suppressed };
}

export function atOrAbove(severity: Severity, threshold: FailOn): boolean {
  return RANK[severity] >= RANK[threshold];
}

/** The issues of a result that fail the run. */
export function failingIssues(result: ResourceResult, failOn: FailOn): ValidationIssue[] {
  return result.issues.filter((item) => atOrAbove(item.severity, failOn));
}

export function fails(result: ResourceResult, failOn: FailOn): boolean {
  return result.issues.some((item) => atOrAbove(item.severity, failOn));
}

/** Worst first, as people read a list of problems. */
export function compareSeverity(a: Severity, b: Severity): number {
  return RANK[b] - RANK[a];
}

/** Deterministic order of results: by file (code points, not locale), then NDJSON line. */
export function compareResults(a: ResourceResult, b: ResourceResult): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return (a.index ?? 0) - (b.index ?? 0);
}

/** The resource's place for people: `file` or `file:line` (NDJSON). */
export function resultName(result: ResourceResult): string {
  return result.index === undefined ? result.file : `${result.file}:${result.index}`;
}
