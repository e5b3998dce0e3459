/**
 * What a data manager narrows a large report with: suppressions (a message id, optionally only in the
 * files a glob names, each with a reason: the issues are reported as suppressed and no longer count),
 * a lowest severity to show, and a cap on the issues shown. Only the report is narrowed: the summary
 * counts every issue, so nothing is hidden without being said.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Severity } from '../validator/index.js';
import { compareSeverity, severityRank, suppressIssues, type ResourceResult } from './results.js';

export interface Suppression {
  id: string;
  /** Files it applies to, as written (`extract/**`); every file when absent. */
  glob?: string;
  /** Element paths it applies to, as written (`*.identifier[*].type`); every path when absent. */
  expressionGlob?: string;
  reason: string;
  matches: (file: string, expression: string) => boolean;
}

/**
 * A suppression from `ID[:FILE-GLOB][@EXPRESSION-GLOB]`, with the reason given (a suppression file's
 * comment) or the flag's. Message ids hold no colon; an invariant's id (`<profile url>#key`) holds only
 * its scheme's, so the file glob is what follows the last colon that does not start `://`. Neither ids
 * nor FHIRPath expressions hold an `@`, so the expression glob is what follows the last one.
 */
export function parseSuppression(spec: string, reason: string): Suppression | Error {
  const usage = new Error(
    `--suppress takes MESSAGE_ID, MESSAGE_ID:file-glob or either followed by @expression-glob, not '${spec}'`,
  );
  let text = spec.trim();
  const at = text.lastIndexOf('@');
  const expressionGlob = at === -1 ? undefined : text.slice(at + 1);
  if (at !== -1) text = text.slice(0, at);
  let colon = text.lastIndexOf(':');
  while (colon !== -1 && text.startsWith('//', colon + 1)) colon = text.lastIndexOf(':', colon - 1);
  const id = colon === -1 ? text : text.slice(0, colon);
  const glob = colon === -1 ? undefined : text.slice(colon + 1);
  if (id === '' || glob === '' || expressionGlob === '') return usage;
  const filePattern = glob === undefined ? undefined : globPattern(glob, '/');
  const expressionPattern = expressionGlob === undefined ? undefined : globPattern(expressionGlob, '.');
  return {
    id,
    ...(glob !== undefined ? { glob } : {}),
    ...(expressionGlob !== undefined ? { expressionGlob } : {}),
    reason,
    matches: (file, expression) =>
      (filePattern === undefined || filePattern.test(file)) &&
      (expressionPattern === undefined || expressionPattern.test(expression)),
  };
}

/**
 * A suppression file: one `ID[:glob]` per line, its reason after `#` (required: a suppression without a
 * reason is a problem hidden); blank lines and lines that are only a comment are skipped.
 */
export async function readSuppressions(path: string): Promise<Suppression[] | Error> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    return new Error(
      `cannot read the suppression file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
  const found: Suppression[] = [];
  for (const [index, line] of text.split(/\r?\n/).entries()) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const hash = trimmed.indexOf(' #');
    const reason = hash === -1 ? '' : trimmed.slice(hash + 2).trim();
    if (reason === '')
      return new Error(`${path}:${index + 1}: say why after ' # ' (a suppression needs a reason)`);
    const parsed = parseSuppression(trimmed.slice(0, hash), reason);
    if (parsed instanceof Error) return new Error(`${path}:${index + 1}: ${parsed.message}`);
    found.push(parsed);
  }
  return found;
}

/**
 * `*` within a segment, `**` across segments, `?` one character; anchored at both ends. Segments are
 * split by `/` in file paths and by `.` in element paths (`*.identifier[*].type`).
 */
function globPattern(glob: string, separator: '/' | '.'): RegExp {
  const notSeparator = `[^${separator}]`;
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*' && glob[i + 1] === '*') {
      source += '.*';
      i++;
    } else if (c === '*') source += `${notSeparator}*`;
    else if (c === '?') source += notSeparator;
    else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** Moves the issues a suppression matches to `suppressed`, with its reason. */
function applySuppressions(result: ResourceResult, suppressions: readonly Suppression[]): ResourceResult {
  if (suppressions.length === 0) return result;
  return suppressIssues(
    result,
    (item) => suppressions.find((s) => s.id === item.id && s.matches(result.file, item.expression))?.reason,
  );
}

/** The report's narrowing: issues below `minSeverity` left out, at most `maxIssues` shown in all. */
class ReportFilter {
  /** Issues left out of the report (the summary still counts them). */
  hidden = 0;
  private shown = 0;

  constructor(
    private readonly minSeverity: Severity = 'information',
    private readonly maxIssues: number = Infinity,
  ) {}

  apply(result: ResourceResult): ResourceResult {
    let issues = result.issues.filter(
      (item) => severityRank(item.severity) >= severityRank(this.minSeverity),
    );
    const room = Math.max(0, this.maxIssues - this.shown);
    if (issues.length > room)
      issues = [...issues].sort((a, b) => compareSeverity(a.severity, b.severity)).slice(0, room);
    this.shown += issues.length;
    this.hidden += result.issues.length - issues.length;
    return issues.length === result.issues.length ? result : { ...result, issues };
  }
}

/** One message id's issues: how many, how bad, and the first one met (for the grouped summary). */
export interface IssueGroup {
  id: string;
  severity: Severity;
  count: number;
  example: { where: string; expression: string; text: string };
}

/** Issues grouped by message id as results stream by: a fixed amount kept per id, nothing per issue. */
class IssueGroups {
  private readonly groups = new Map<string, IssueGroup>();

  add(result: ResourceResult): void {
    for (const item of result.issues) {
      const group = this.groups.get(item.id);
      if (group) {
        group.count++;
        if (severityRank(item.severity) > severityRank(group.severity)) group.severity = item.severity;
        continue;
      }
      const where = result.index === undefined ? result.file : `${result.file}:${result.index}`;
      this.groups.set(item.id, {
        id: item.id,
        severity: item.severity,
        count: 1,
        example: { where, expression: item.expression, text: item.text },
      });
    }
  }

  /** Errors first, then by count, most first. */
  result(): IssueGroup[] {
    return [...this.groups.values()].sort(
      (a, b) => compareSeverity(a.severity, b.severity) || b.count - a.count || (a.id < b.id ? -1 : 1),
    );
  }
}

/** The grouped summary for people: one line per message id (the first `limit`), with an example. */
function formatGroups(groups: readonly IssueGroup[], limit = 15): string {
  if (groups.length === 0) return '';
  const lines = ['By message:'];
  for (const group of groups.slice(0, limit))
    lines.push(
      `  ${group.count.toLocaleString('en-US').padStart(8)} ${group.severity.padEnd(11)} ${group.id}` +
        `  e.g. ${group.example.where} ${group.example.expression}: ${group.example.text}`,
    );
  if (groups.length > limit) lines.push(`  ... and ${groups.length - limit} more message ids`);
  return lines.join('\n');
}

/** The narrowing flags `validate` and `qa` share, as node:util parseArgs takes them. */
export const NARROWING_OPTIONS = {
  'min-severity': { type: 'string', default: 'information' },
  'max-issues': { type: 'string' },
  suppress: { type: 'string', multiple: true },
  'suppress-file': { type: 'string' },
} as const;

/** What the narrowing flags say. */
export interface Narrowing {
  minSeverity: Severity;
  maxIssues: number;
  suppressions: Suppression[];
}

const SEVERITIES: readonly Severity[] = ['fatal', 'error', 'warning', 'information'];

/** The narrowing flags read (the suppression file relative to `cwd`), or what is wrong with them. */
export async function readNarrowing(
  values: {
    'min-severity'?: string | undefined;
    'max-issues'?: string | undefined;
    suppress?: string[] | undefined;
    'suppress-file'?: string | undefined;
  },
  cwd: string,
): Promise<Narrowing | Error> {
  const minSeverity = (values['min-severity'] ?? 'information') as Severity;
  if (!SEVERITIES.includes(minSeverity))
    return new Error(
      `--min-severity must be one of ${SEVERITIES.join(', ')}, not '${values['min-severity']}'`,
    );
  const maxIssues = values['max-issues'] === undefined ? Infinity : Number(values['max-issues']);
  if (!(maxIssues === Infinity || (Number.isSafeInteger(maxIssues) && maxIssues >= 0)))
    return new Error(`--max-issues must be a whole number, not '${values['max-issues']}'`);
  const suppressions: Suppression[] = [];
  for (const spec of values.suppress ?? []) {
    const parsed = parseSuppression(spec, `--suppress ${spec}`);
    if (parsed instanceof Error) return parsed;
    suppressions.push(parsed);
  }
  const file = values['suppress-file'];
  if (file !== undefined) {
    const read = await readSuppressions(resolve(cwd, file));
    if (read instanceof Error) return read;
    suppressions.push(...read);
  }
  return { minSeverity, maxIssues, suppressions };
}

/** The note that says what the report left out, when it left anything out. */
function hiddenNote(filter: ReportFilter, narrowing: Narrowing): string | undefined {
  if (filter.hidden === 0) return undefined;
  const flags = [
    `--min-severity ${narrowing.minSeverity}`,
    ...(narrowing.maxIssues === Infinity ? [] : [`--max-issues ${narrowing.maxIssues}`]),
  ];
  return `${filter.hidden.toLocaleString('en-US')} issues not shown (${flags.join(', ')}); counted above`;
}

/**
 * A run's narrowing, applied result by result as validate and qa produce them: suppressions first
 * (what they accept no longer counts), then the counted result grouped by message id, then what the
 * report shows of it; at the end, the notes that say what was grouped and what was left out.
 */
export class ReportNarrowing {
  private readonly filter: ReportFilter;
  private readonly groups = new IssueGroups();

  constructor(private readonly narrowing: Narrowing) {
    this.filter = new ReportFilter(narrowing.minSeverity, narrowing.maxIssues);
  }

  /** `counted`: what the counts, the exit code and a baseline take; `shown`: what the report shows. */
  apply(result: ResourceResult): { counted: ResourceResult; shown: ResourceResult } {
    const counted = applySuppressions(result, this.narrowing.suppressions);
    this.groups.add(counted);
    return { counted, shown: this.filter.apply(counted) };
  }

  /** The grouped summary and what the report left out, as lines for people (none when there is none). */
  notes(): string[] {
    return [formatGroups(this.groups.result()), hiddenNote(this.filter, this.narrowing) ?? ''].filter(
      (note) => note !== '',
    );
  }
}
