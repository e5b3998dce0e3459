/**
 * `openimis-fhir qa [--root DIR] [--force] [--format F] [--fail-on error|warning] [--out FILE]
 *  [--baseline FILE] [--write-baseline FILE] [--include-errors] [--min-severity S] [--max-issues N]
 *  [--suppress ID[:GLOB]]... [--suppress-file FILE] [--qa-json FILE] [--watch]`
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  BaselineCollector,
  BaselineMatcher,
  baselineRefusal,
  readBaseline,
  writeBaseline,
  type BaselineEntry,
} from '../validate/baseline.js';
import { IG_ROOT } from '../paths.js';
import { watchQa, type JudgedQa } from './qa-watch.js';
import { atOrAbove, FAIL_ON_VALUES, type FailOn, type ResourceResult } from '../validate/results.js';
import type { ValidationIssue } from '../validator/index.js';
import type { QaIssue } from '../qa/issues.js';
import { qaJson, type QaCounts } from '../qa/report.js';
import { runQa } from '../qa/run.js';
import { EXIT, exitCodesText, type ExitCode } from './exit-codes.js';
import { tryParseArgs, usageOrHelp } from './support.js';
import {
  formatResults,
  isOutputFormat,
  OUTPUT_FORMATS,
  type OutputFormat,
} from '../validate/formats/index.js';
import {
  NARROWING_OPTIONS,
  readNarrowing,
  readSuppressions,
  ReportNarrowing,
  type Narrowing,
  type Suppression,
} from '../validate/filters.js';

/** The IG's checked-in suppressions, at its root. */
export const QA_SUPPRESSIONS_FILE = 'qa-suppressions.txt';

/** Issues no FSH file holds (SUSHI's own faults, an example SUSHI's index does not know) go here. */
const NO_FILE = '(IG)';

const HELP = `Usage: openimis-fhir qa [options]

Builds the IG with SUSHI, validates every example against its profile, checks coverage (every profile
has an example, must-support elements are exemplified, extensions and CodeSystems are used, references
resolve) and reports each finding at the FSH file and line of the rule that produced it.

Options:
  --root DIR              the project holding sushi-config.yaml and input/ (default: this project)
  --force                 rebuild the IG even when it is up to date
  --format F              ${OUTPUT_FORMATS.join(' | ')} (default text; json is qa.json)
  --fail-on LEVEL         error | warning: the lowest severity that fails the run (default error)
  --out FILE              write the report to FILE instead of stdout
  --baseline FILE         known issues (file, id, expression, reason): reported as suppressed, never failing
  --write-baseline FILE   write the issues at or above --fail-on as a baseline; refused when it would
                          accept new errors, unless --include-errors
  --min-severity S        report only issues at or above S (fatal, error, warning, information);
                          qa.json and the counts keep every issue
  --max-issues N          report at most N issues
  --suppress ID[:GLOB][@EXPR]
                          report issues with this message id (in FSH files matching GLOB, at element
                          paths matching EXPR) as suppressed: they no longer fail the run (repeatable)
  --suppress-file FILE    suppressions, one per line, each with its reason after ' # '; the IG's own,
                          ${QA_SUPPRESSIONS_FILE} at its root, is always read
  --qa-json FILE          where qa.json goes (default <root>/reports/qa.json)
  --watch                 judge again on every save under input/ or of sushi-config.yaml, what changed
                          since the last run (new and fixed issues) first; Ctrl-C stops
  -h, --help              show this help

${exitCodesText('qa', 'plain')}`;

export async function runQaCommand(args: string[]): Promise<ExitCode> {
  const parsed = tryParseArgs({
    args,
    options: {
      root: { type: 'string' },
      force: { type: 'boolean', default: false },
      format: { type: 'string', default: 'text' },
      'fail-on': { type: 'string', default: 'error' },
      out: { type: 'string' },
      baseline: { type: 'string' },
      'write-baseline': { type: 'string' },
      'include-errors': { type: 'boolean', default: false },
      ...NARROWING_OPTIONS,
      'qa-json': { type: 'string' },
      watch: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const usage = (message: string) => {
    console.error(`openimis-fhir qa: ${message}\n\n${HELP}`);
    return EXIT.usage;
  };
  if (!parsed.ok || parsed.parsed.values.help) return usageOrHelp('qa', HELP, parsed);
  const { values } = parsed.parsed;
  const format = values.format;
  if (!isOutputFormat(format)) return usage(`unknown --format "${format}"`);
  const failOn = values['fail-on'] as FailOn;
  if (!FAIL_ON_VALUES.includes(failOn))
    return usage(`--fail-on takes error or warning, not "${values['fail-on']}"`);
  const baseline = values.baseline ? await readBaseline(resolve(values.baseline)) : [];
  if (baseline instanceof Error) return usage(baseline.message);
  const narrowing = await readNarrowing(values, process.cwd());
  if (narrowing instanceof Error) return usage(narrowing.message);
  const root = values.root ? resolve(values.root) : IG_ROOT;
  const projectSuppressions = await readProjectSuppressions(root);
  if (projectSuppressions instanceof Error) return usage(projectSuppressions.message);
  narrowing.suppressions.push(...projectSuppressions);
  const judge = () => judgeIg({ values, root, format, failOn, baseline, narrowing });
  if (values.watch) {
    const stop = new AbortController();
    process.once('SIGINT', () => stop.abort());
    const failed = await watchQa(root, judge, {
      write: (text) => process.stdout.write(text),
      signal: stop.signal,
    });
    return failed ? usage(failed.message) : EXIT.ok;
  }
  const judged = await judge();
  if (judged instanceof Error) {
    console.error(`openimis-fhir qa: ${judged.message}`);
    return EXIT.usage;
  }
  if (values.out) writeText(resolve(values.out), judged.output);
  else process.stdout.write(judged.output);
  return judged.code;
}

type QaValues = Parameters<typeof readNarrowing>[0] & {
  force: boolean;
  out?: string | undefined;
  'qa-json'?: string | undefined;
  'write-baseline'?: string | undefined;
  'include-errors': boolean;
};

/**
 * One qa run as the command reports it: build, judge, apply baseline and narrowing, write qa.json (and
 * the baseline asked for). The report is returned, not written; a refused baseline is an Error.
 */
async function judgeIg(settings: {
  values: QaValues;
  root: string;
  format: OutputFormat;
  failOn: FailOn;
  baseline: BaselineEntry[];
  narrowing: Narrowing;
}): Promise<JudgedQa | Error> {
  const { values, format, failOn, baseline, narrowing } = settings;
  const run = await runQa({ root: settings.root, force: values.force });

  // The shared baseline works on per-file results: one per FSH file.
  const matcher = new BaselineMatcher(baseline);
  const narrowed = new ReportNarrowing(narrowing);
  const both = toResults(run.issues).map((result) => narrowed.apply(matcher.apply(result)));
  const results = both.map(({ counted }) => counted);
  const kept = results.flatMap((result) => result.issues.map((item) => fromResultIssue(item, result.file)));
  const suppressed = results.flatMap((result) =>
    (result.suppressed ?? []).map((item) => ({ ...fromResultIssue(item, result.file), reason: item.reason })),
  );

  const report = qaJson(run, kept, suppressed, new Date());
  const qaJsonFile = resolve(values['qa-json'] ?? join(run.root, 'reports', 'qa.json'));
  writeText(qaJsonFile, `${JSON.stringify(report, null, 2)}\n`);
  if (values['write-baseline']) {
    const collector = new BaselineCollector(failOn);
    for (const result of results) collector.add(result);
    const refusal = baselineRefusal(collector, values['include-errors']);
    if (refusal) return new Error(refusal);
    await writeBaseline(resolve(values['write-baseline']), collector.result());
  }

  const shown = both.map((result) => result.shown);
  const notes =
    format === 'text'
      ? narrowed
          .notes()
          .map((line) => `${line}\n`)
          .join('')
      : '';
  const output =
    format === 'json'
      ? `${JSON.stringify(report, null, 2)}\n`
      : formatResults(format, shown, {
          failOn,
          colour: format === 'text' && !values.out && process.stdout.isTTY === true,
          cwd: run.root,
          tool: { name: 'openimis-fhir qa', version: report.tool.version },
          runName: 'openimis-fhir qa',
        }) + (format === 'text' ? notes + summaryLine(report.counts, qaJsonFile) : '');
  return {
    output,
    kept,
    code: kept.some((item) => atOrAbove(item.severity, failOn)) ? EXIT.problems : EXIT.ok,
  };
}

type ResultIssue = ValidationIssue & Partial<QaIssue>;

/** Issues grouped by FSH file; the line travels as the issue's location, as validate's formats expect. */
function toResults(issues: QaIssue[]): ResourceResult[] {
  const byFile = new Map<string, ValidationIssue[]>();
  for (const item of issues) {
    const file = item.file || NO_FILE;
    const list = byFile.get(file) ?? [];
    byFile.set(file, list);
    const { file: _file, line, column, ...rest } = item;
    list.push({ ...rest, ...(line > 0 ? { location: { line, column: column ?? 1 } } : {}) });
  }
  return [...byFile.entries()].map(([file, list]) => ({ file, issues: list }));
}

/** Back from a result's issue (which still carries the qa fields) to a qa issue. */
function fromResultIssue(item: ValidationIssue, file: string): QaIssue {
  const { location, ...rest } = item as ResultIssue & { reason?: string };
  delete rest.reason;
  return {
    ...(rest as Omit<QaIssue, 'file' | 'line'>),
    file: file === NO_FILE ? '' : file,
    line: location?.line ?? 0,
    ...(location && location.column > 1 ? { column: location.column } : {}),
  };
}

/**
 * The IG's own suppressions, checked in beside sushi-config.yaml: warnings that are right but intended,
 * each with its reason. Read on every run, so a new warning is the only one a clean IG prints.
 */
async function readProjectSuppressions(root: string): Promise<Suppression[] | Error> {
  const file = join(root, QA_SUPPRESSIONS_FILE);
  return existsSync(file) ? readSuppressions(file) : [];
}

function writeText(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text, 'utf8');
}

function summaryLine(counts: QaCounts, qaJsonFile: string): string {
  const suppressed = counts.suppressed
    ? `, ${counts.suppressed} suppressed (${QA_SUPPRESSIONS_FILE}, baseline, --suppress)`
    : '';
  return `qa: ${counts.errors} errors, ${counts.warnings} warnings, ${counts.information} information${suppressed}; wrote ${qaJsonFile}\n`;
}
