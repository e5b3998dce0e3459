/**
 * qa.json: the summary scripts gate on. Counts (after the baseline), counts per FSH file, tool and
 * package versions, every issue with its FSH file and line, and the coverage summary. Everything but
 * `date` is deterministic: issues sorted by file, line, severity and id; files sorted by name.
 */
import { projectVersion } from '../paths.js';
import type { CoverageSummary } from './coverage.js';
import { compareQaIssues, type QaIssue } from './issues.js';
import type { QaPackages, QaRun } from './run.js';

export interface QaCounts {
  errors: number;
  warnings: number;
  information: number;
  suppressed: number;
}

export interface QaJsonIssue extends QaIssue {
  /** Present when a baseline accepted the issue: its reason. */
  suppressed?: string;
}

export interface QaJson {
  date: string;
  tool: { name: string; version: string };
  packages: QaPackages;
  build: QaRun['build'];
  examples: number;
  counts: QaCounts;
  perFile: Record<string, { errors: number; warnings: number; information: number }>;
  issues: QaJsonIssue[];
  coverage: CoverageSummary | null;
}

/** `kept` counts; `suppressed` issues are listed with their reason but not counted per file. */
export function qaJson(
  run: QaRun,
  kept: QaIssue[],
  suppressed: (QaIssue & { reason: string })[],
  date: Date,
): QaJson {
  const counts: QaCounts = { errors: 0, warnings: 0, information: 0, suppressed: suppressed.length };
  const perFile = new Map<string, { errors: number; warnings: number; information: number }>();
  for (const item of kept) {
    const file = item.file || '(no FSH file)';
    const entry = perFile.get(file) ?? { errors: 0, warnings: 0, information: 0 };
    perFile.set(file, entry);
    const bucket =
      item.severity === 'fatal' || item.severity === 'error'
        ? 'errors'
        : item.severity === 'warning'
          ? 'warnings'
          : 'information';
    entry[bucket]++;
    counts[bucket]++;
  }
  const issues: QaJsonIssue[] = [
    ...kept,
    ...suppressed.map(({ reason, ...item }) => ({ ...item, suppressed: reason })),
  ].sort(compareQaIssues);
  return {
    date: date.toISOString(),
    tool: { name: 'openimis-fhir qa', version: projectVersion() },
    packages: run.packages,
    build: run.build,
    examples: run.examples,
    counts,
    perFile: Object.fromEntries([...perFile.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    issues: issues.map(orderedIssue),
    coverage: run.coverage ?? null,
  };
}

/** The fields in one order, so two qa.json files diff line by line. */
function orderedIssue(item: QaJsonIssue): QaJsonIssue {
  return {
    file: item.file,
    line: item.line,
    ...(item.column ? { column: item.column } : {}),
    severity: item.severity,
    id: item.id,
    code: item.code,
    expression: item.expression,
    text: item.text,
    origin: item.origin,
    mapping: item.mapping,
    ...(item.resource ? { resource: item.resource } : {}),
    ...(item.rulePath ? { rulePath: item.rulePath } : {}),
    ...(item.insertedAt ? { insertedAt: item.insertedAt } : {}),
    ...(item.suppressed !== undefined ? { suppressed: item.suppressed } : {}),
  };
}
