/**
 * Baselines: the issues a project knows about and has justified. Each entry is keyed by the resource
 * the issue is about (`Patient/p1`, or `Patient?identifier=system|value` for one without an id), its
 * message id and its expression below that resource, so moving or renaming a file, or reordering a
 * Bundle, keeps the baseline; only an issue about no identifiable resource (in a Bundle, an entry
 * whose resource has no id) is keyed by its file and expression as reported. The
 * message id is the stable key (texts change with wording). Each entry carries a reason. Issues a
 * baseline matches are reported as suppressed and no longer count for the exit code, so only new
 * issues fail a run.
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { ValidationIssue } from '../validator/index.js';
import { atOrAbove, suppressIssues, type FailOn, type ResourceResult } from './results.js';

export interface BaselineEntry {
  /** The resource the issue is about; when present, the file does not matter. */
  resource?: string;
  /** The file, for an issue about no identifiable resource. */
  file?: string;
  id: string;
  /** Below `resource` when there is one (`Patient.gender`), else as reported. */
  expression: string;
  reason: string;
}

export const TODO_REASON = 'TODO: justify';

const ABOUT =
  'Known issues, accepted with a reason: openimis-fhir validate --baseline FILE reports them as ' +
  'suppressed and fails only on new ones. Keyed by resource (or, for an issue about none, file), ' +
  'message id and FHIRPath expression.';

/** Where an issue is, as a baseline keys it: the resource and the expression below it, or the file. */
interface Place {
  resource?: string;
  file: string;
  expression: string;
}

/** `Bundle.entry[3].resource/*Patient/p3*\/.gender`: the entry's resource, and `Patient.gender`. */
const ANNOTATED = /\/\*([A-Z][A-Za-z]+)\/([^*/]+)\*\/(.*)$/;

/** The place of an issue of a result: the resource named in its expression, else the result's own. */
export function placeOf(result: ResourceResult, item: ValidationIssue & { resource?: string }): Place {
  const annotated = ANNOTATED.exec(item.expression);
  if (annotated && annotated[2] !== 'null')
    return {
      resource: `${annotated[1]}/${annotated[2]}`,
      file: result.file,
      expression: `${annotated[1]}${annotated[3]}`,
    };
  const resource = item.resource ?? result.identity;
  return resource === undefined
    ? { file: result.file, expression: item.expression }
    : { resource, file: result.file, expression: item.expression };
}

function keyOf(where: { resource?: string; file?: string }, id: string, expression: string): string {
  const who = where.resource !== undefined ? `resource:${where.resource}` : `file:${where.file ?? ''}`;
  return `${who}\u0000${id}\u0000${expression}`;
}

function isEntry(value: unknown): value is BaselineEntry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  const placed = typeof entry.resource === 'string' || typeof entry.file === 'string';
  return placed && ['id', 'expression', 'reason'].every((name) => typeof entry[name] === 'string');
}

/** The entries of a baseline file, or why it cannot be used. */
export async function readBaseline(path: string): Promise<BaselineEntry[] | Error> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    return new Error(
      `cannot read the baseline ${path}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return new Error(
      `the baseline ${path} is not JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const issues = (value as { issues?: unknown } | null)?.issues;
  if (!Array.isArray(issues)) return new Error(`the baseline ${path} has no "issues" list`);
  const bad = issues.findIndex((entry) => !isEntry(entry));
  if (bad !== -1)
    return new Error(
      `the baseline ${path}: issues[${bad}] needs a string resource or file, and string id, expression and reason`,
    );
  return issues as BaselineEntry[];
}

/** Applies a baseline to results as they stream by, and remembers which entries were met. */
export class BaselineMatcher {
  private readonly reasons = new Map<string, string>();
  private readonly met = new Set<string>();

  constructor(private readonly entries: BaselineEntry[]) {
    for (const entry of entries) this.reasons.set(keyOf(entry, entry.id, entry.expression), entry.reason);
  }

  /** The result with the issues the baseline knows moved to `suppressed`. */
  apply(result: ResourceResult): ResourceResult {
    if (this.reasons.size === 0) return result;
    return suppressIssues(result, (item) => {
      const place = placeOf(result, item);
      // By resource first; an entry written by file (before resources were known) still matches.
      const keys = [
        keyOf(place, item.id, place.expression),
        keyOf({ file: result.file }, item.id, item.expression),
      ];
      const key = keys.find((candidate) => this.reasons.has(candidate));
      if (key === undefined) return undefined;
      this.met.add(key);
      return this.reasons.get(key);
    });
  }

  /** Entries no issue matched in this run: fixed issues, or a different selection of inputs. */
  unmet(): BaselineEntry[] {
    return this.entries.filter((entry) => !this.met.has(keyOf(entry, entry.id, entry.expression)));
  }
}

/**
 * Collects a baseline from results: one entry per (resource or file, id, expression) of the issues at
 * or above the threshold, suppressed ones included with their reason, new ones with "TODO: justify".
 */
export class BaselineCollector {
  private readonly entries = new Map<string, BaselineEntry>();
  /** Errors (and fatal issues) no baseline accepted yet: a baseline is for what is right to accept. */
  newErrors = 0;

  constructor(private readonly failOn: FailOn) {}

  add(result: ResourceResult): void {
    for (const item of result.suppressed ?? []) this.put(result, item, item.reason);
    for (const item of result.issues) {
      if (!atOrAbove(item.severity, this.failOn)) continue;
      if (atOrAbove(item.severity, 'error')) this.newErrors++;
      this.put(result, item, TODO_REASON);
    }
  }

  private put(result: ResourceResult, item: ValidationIssue, reason: string): void {
    const place = placeOf(result, item);
    const key = keyOf(place, item.id, place.expression);
    if (this.entries.has(key)) return;
    const where = place.resource !== undefined ? { resource: place.resource } : { file: place.file };
    this.entries.set(key, { ...where, id: item.id, expression: place.expression, reason });
  }

  /** Sorted by resource or file, id and expression, so a rewritten baseline diffs cleanly. */
  result(): BaselineEntry[] {
    return [...this.entries.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, entry]) => entry);
  }
}

export function baselineText(entries: BaselineEntry[]): string {
  return `${JSON.stringify({ about: ABOUT, issues: entries }, null, 2)}\n`;
}

export async function writeBaseline(path: string, entries: BaselineEntry[]): Promise<void> {
  await writeFile(path, baselineText(entries), 'utf8');
}

/**
 * Why a baseline is not written: it would accept errors no baseline accepted before, and the caller did
 * not say --include-errors (a baseline quietly swallowing errors hides exactly what must be fixed).
 */
export function baselineRefusal(collector: BaselineCollector, includeErrors: boolean): string | undefined {
  if (includeErrors || collector.newErrors === 0) return undefined;
  return (
    `--write-baseline would accept ${collector.newErrors} error${collector.newErrors === 1 ? '' : 's'}: ` +
    'fix them, or pass --include-errors to accept them too (each then needs a reason in the file)'
  );
}
