/**
 * The oracle's report: a summary per tier, the disagreements and the cases not scored, as text or as
 * one JSON object; and, for a single case, both outcomes side by side.
 */
import { relative } from 'node:path';
import { TIERS, type Tier } from './cases.js';
import {
  ALL_SEVERITIES,
  combineTallies,
  diffIssueKeys,
  formatKey,
  issueKeys,
  rates,
  tallyByTier,
  type IssueKey,
  type Rates,
  type TierTally,
} from './compare.js';
import type { CaseResult, OracleResult } from './run.js';

/** The tiers whose content is ours to get right without a terminology server. */
export const CORE_TIERS: readonly Tier[] = ['A', 'B', 'B-snapgen'];
export const CORE_TIERS_LABEL = CORE_TIERS.join('+');

export interface Disagreement {
  name: string;
  tier: Tier;
  expectedErrors: number | null;
  /** Null when the validator gave no outcome (harness error). */
  actualErrors: number | null;
  harnessError?: string;
  /** (severity, expression) pairs only the Java validator reported. */
  missing: IssueKey[];
  /** (severity, expression) pairs only our validator reported. */
  unexpected: IssueKey[];
}

export interface OracleReport {
  dir: string;
  source?: string;
  commit?: string;
  tiers: Partial<Record<Tier, TierTally>>;
  /** Sums over several tiers, keyed like `A+B+B-snapgen`, with their rates (fractions). */
  combined: Record<string, TierTally & { rates: Rates }>;
  disagreements: Disagreement[];
  notScored: { name: string; tier: Tier; reason: string }[];
}

export function buildReport(result: OracleResult): OracleReport {
  const scores = result.results.map((r) => r.score);
  const byTier = tallyByTier(scores);
  const present = TIERS.filter((tier) => result.results.some((r) => r.testCase.tier === tier));
  const tiers = Object.fromEntries(present.map((tier) => [tier, byTier[tier]])) as Partial<
    Record<Tier, TierTally>
  >;
  const core = combineTallies(CORE_TIERS.map((tier) => byTier[tier]));
  const all = combineTallies(TIERS.map((tier) => byTier[tier]));
  return {
    dir: result.dir,
    ...(result.source !== undefined ? { source: result.source } : {}),
    ...(result.commit !== undefined ? { commit: result.commit } : {}),
    tiers,
    combined: {
      [CORE_TIERS_LABEL]: { ...core, rates: rates(core) },
      all: { ...all, rates: rates(all) },
    },
    disagreements: scores
      .filter((score) => score.disagrees)
      .map((score) => ({
        name: score.name,
        tier: score.tier,
        expectedErrors: score.expectedErrors ?? null,
        actualErrors: score.actualErrors ?? null,
        ...(score.status === 'harnessError' ? { harnessError: score.reason ?? 'unknown' } : {}),
        missing: score.missing ?? [],
        unexpected: score.unexpected ?? [],
      })),
    notScored: scores
      .filter((score) => score.status === 'notScored')
      .map((score) => ({ name: score.name, tier: score.tier, reason: score.reason ?? '' })),
  };
}

const percent = (part: number, whole: number) =>
  whole === 0 ? '   -' : `${Math.round((100 * part) / whole)}%`.padStart(4);

export function formatText(report: OracleReport): string {
  const lines: string[] = [];
  const origin = report.source
    ? ` (${report.source}${report.commit ? `@${report.commit.slice(0, 10)}` : ''})`
    : '';
  lines.push(`HL7 validator test cases in ${report.dir}${origin}`, '');
  const header = ['tier', 'runs', 'verdict', 'exact', 'tp', 'fp', 'tn', 'fn', 'not scored', 'harness errors'];
  const rows: string[][] = [];
  const row = (label: string, t: TierTally) => [
    label,
    String(t.runs),
    `${t.verdictAgree} ${percent(t.verdictAgree, t.runs)}`,
    `${t.exactErrorCount} ${percent(t.exactErrorCount, t.runs)}`,
    String(t.tp),
    String(t.fp),
    String(t.tn),
    String(t.fn),
    String(t.notScored),
    String(t.harnessErrors),
  ];
  for (const tier of TIERS) {
    const tally = report.tiers[tier];
    if (tally) rows.push(row(tier, tally));
  }
  for (const [label, tally] of Object.entries(report.combined)) rows.push(row(label, tally));
  lines.push(...table([header, ...rows]), '');
  for (const [label, tally] of Object.entries(report.combined)) {
    const fraction = (value: number) => value.toFixed(3);
    lines.push(
      `${label}: exact error count ${fraction(tally.rates.exactErrorCount)}, recall ${fraction(tally.rates.recall)}, ` +
        `false-positive rate ${fraction(tally.rates.falsePositiveRate)}`,
    );
  }

  lines.push('', `Disagreements (${report.disagreements.length}):`);
  for (const d of report.disagreements) {
    if (d.harnessError) {
      lines.push(
        `  ${d.name} [${d.tier}] HARNESS ERROR (expected ${d.expectedErrors ?? '?'} errors): ${d.harnessError}`,
      );
      continue;
    }
    lines.push(`  ${d.name} [${d.tier}] errors: expected ${d.expectedErrors}, got ${d.actualErrors}`);
    for (const key of d.missing) lines.push(`      - ${formatKey(key)}   (Java only)`);
    for (const key of d.unexpected) lines.push(`      + ${formatKey(key)}   (ours only)`);
  }
  lines.push('', `Not scored (${report.notScored.length}):`);
  for (const n of report.notScored) lines.push(`  ${n.name} [${n.tier}]: ${n.reason}`);
  return lines.join('\n');
}

/** One case in full: its setup, then both outcomes' (severity, expression) pairs side by side. */
export function formatCase(result: CaseResult, dir: string): string {
  const { testCase, run, score } = result;
  const path = (file: string) => relative(dir, file);
  const lines = [
    `${testCase.name} [tier ${testCase.tier}, ${testCase.mode} mode${testCase.needsTx ? ', needs terminology' : ''}]`,
    `  input:       ${path(testCase.file)}`,
  ];
  if (testCase.definitionFiles.length > 0)
    lines.push(`  definitions: ${testCase.definitionFiles.map(path).join(', ')}`);
  if (testCase.validateAgainst) lines.push(`  profile:     ${path(testCase.validateAgainst)}`);
  if (Object.keys(testCase.options).length > 0)
    lines.push(`  options:     ${JSON.stringify(testCase.options)}`);
  if (testCase.description) lines.push(`  about:       ${testCase.description}`);
  lines.push(
    `  expected:    ${testCase.outcomeFile ? path(testCase.outcomeFile) : '(no outcome file: no issues)'}`,
  );
  lines.push('');

  if (run.status === 'notScored') {
    lines.push(`Not scored: ${run.reason}`);
    return lines.join('\n');
  }
  if (run.status === 'harnessError') lines.push(`HARNESS ERROR: ${run.message}`, '');
  const expected = run.expected ? issueKeys(run.expected) : [];
  const actual = run.status === 'ran' ? issueKeys(run.actual) : [];
  lines.push(...table([['Java validator (expected)', 'ours (actual)'], ...pairRows(expected, actual)]));
  lines.push('');
  if (score.status === 'ran')
    lines.push(
      `errors: expected ${score.expectedErrors}, got ${score.actualErrors}; ` +
        `verdict ${score.verdictAgree ? 'agrees' : 'DISAGREES'}; ` +
        `error count ${score.exactErrorCount ? 'exact' : 'DIFFERS'}; ${score.confusion?.toUpperCase()}`,
    );
  if (run.expected) lines.push('', 'Java validator issues:', ...issueLines(run.expected));
  if (run.status === 'ran') lines.push('', 'Our issues:', ...issueLines(run.actual));
  return lines.join('\n');
}

/** Rows pairing equal keys, then what only one side has; severities in a fixed order. */
function pairRows(expected: IssueKey[], actual: IssueKey[]): string[][] {
  const { missing, unexpected } = diffIssueKeys(expected, actual);
  // The keys both have: what remains of the expected ones once the missing ones are taken out.
  const shared = diffIssueKeys(expected, missing).missing;
  const order = (key: IssueKey) => ALL_SEVERITIES.indexOf(key.severity);
  const byOrder = (a: IssueKey, b: IssueKey) =>
    order(a) - order(b) || a.expression.localeCompare(b.expression);
  return [
    ...shared.sort(byOrder).map((key) => [formatKey(key), formatKey(key)]),
    ...missing.sort(byOrder).map((key) => [formatKey(key), '']),
    ...unexpected.sort(byOrder).map((key) => ['', formatKey(key)]),
  ];
}

function issueLines(outcome: fhir4.OperationOutcome): string[] {
  const issues = outcome.issue ?? [];
  if (issues.length === 0) return ['  (none)'];
  return issues.map((issue) => {
    const where = issue.expression?.[0] ?? issue.location?.[0] ?? '';
    const position =
      issue.diagnostics && /^\[\d+,\s*\d+\]$/.test(issue.diagnostics) ? ` ${issue.diagnostics}` : '';
    return `  ${issue.severity.padEnd(11)} ${where}${position}: ${issue.details?.text ?? issue.diagnostics ?? ''}`;
  });
}

function table(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) =>
    row
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd(),
  );
}

export function formatJson(report: OracleReport): string {
  return JSON.stringify(report, null, 2);
}
