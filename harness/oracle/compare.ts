/**
 * Scoring our validator's outcomes against the Java validator's, as pure functions.
 *
 * An outcome is judged by its error count (error + fatal) and by its (severity, expression) pairs,
 * never by message text: the texts differ by design. "Positive" means the run reports at least one
 * error, so a true positive is a case both validators find invalid.
 */
import type { Tier } from './cases.js';
import { TIERS } from './cases.js';

export type Severity = fhir4.OperationOutcomeIssue['severity'];

export const ERROR_SEVERITIES: readonly Severity[] = ['fatal', 'error'];
export const ALL_SEVERITIES: readonly Severity[] = ['fatal', 'error', 'warning', 'information'];

export interface IssueKey {
  severity: Severity;
  /** The issue's first expression (or location), normalised by {@link normaliseExpression}. */
  expression: string;
}

export function isError(severity: Severity): boolean {
  return severity === 'error' || severity === 'fatal';
}

export function errorCount(outcome: fhir4.OperationOutcome): number {
  return (outcome.issue ?? []).filter((issue) => isError(issue.severity)).length;
}

/**
 * The Java validator decorates expressions in ways that say nothing about the element:
 * - a comment naming the resource inside a bundle or contained list:
 *   `Bundle.entry[0].resource/*Patient/p1*\/.name` (a FHIRPath comment);
 * - `value.ofType(Quantity)` for the choice element the JSON spells `valueQuantity`;
 * - the url of an extension in some extension messages: `Patient.extension[1][url='...']`.
 * Both sides are normalised to the bare form: `Bundle.entry[0].resource.name`, `valueQuantity`,
 * `Patient.extension[1]`.
 */
export function normaliseExpression(expression: string): string {
  return expression
    .replace(/\/\*.*?\*\//g, '')
    .replace(/\[url='[^']*'\]/g, '')
    .replace(
      /([A-Za-z][A-Za-z0-9]*)\.ofType\(([A-Za-z][A-Za-z0-9]*)\)/g,
      (_match, name: string, type: string) => name + type.charAt(0).toUpperCase() + type.slice(1),
    )
    .replace(/\s+/g, '');
}

/** The (severity, expression) pairs of an outcome, keeping only the given severities. */
export function issueKeys(
  outcome: fhir4.OperationOutcome,
  severities: readonly Severity[] = ALL_SEVERITIES,
): IssueKey[] {
  return (outcome.issue ?? [])
    .filter((issue) => severities.includes(issue.severity))
    .map((issue) => ({
      severity: issue.severity,
      expression: normaliseExpression(issue.expression?.[0] ?? issue.location?.[0] ?? ''),
    }));
}

export function formatKey(key: IssueKey): string {
  return `${key.severity} @ ${key.expression === '' ? '(no expression)' : key.expression}`;
}

/** The pairs only the expected outcome has, and those only the actual one has (as multisets). */
export function diffIssueKeys(
  expected: readonly IssueKey[],
  actual: readonly IssueKey[],
): { missing: IssueKey[]; unexpected: IssueKey[] } {
  const remaining = new Map<string, number>();
  for (const key of actual) remaining.set(formatKey(key), (remaining.get(formatKey(key)) ?? 0) + 1);
  const missing: IssueKey[] = [];
  for (const key of expected) {
    const left = remaining.get(formatKey(key)) ?? 0;
    if (left > 0) remaining.set(formatKey(key), left - 1);
    else missing.push(key);
  }
  const unexpected: IssueKey[] = [];
  for (const key of actual) {
    const left = remaining.get(formatKey(key)) ?? 0;
    if (left > 0) {
      remaining.set(formatKey(key), left - 1);
      unexpected.push(key);
    }
  }
  return { missing, unexpected };
}

/** What running one case gave: two outcomes, a reason not to score it, or a fault of the harness. */
export type CaseRun =
  | { status: 'ran'; expected: fhir4.OperationOutcome; actual: fhir4.OperationOutcome }
  | { status: 'notScored'; reason: string }
  | { status: 'harnessError'; expected: fhir4.OperationOutcome | undefined; message: string };

export type Confusion = 'tp' | 'fp' | 'tn' | 'fn';

export interface CaseScore {
  name: string;
  tier: Tier;
  status: CaseRun['status'];
  /** Set when not scored or on a harness error. */
  reason?: string;
  expectedErrors?: number;
  /** Null on a harness error: the validator gave no outcome. */
  actualErrors?: number | null;
  verdictAgree?: boolean;
  exactErrorCount?: boolean;
  confusion?: Confusion;
  /** Pairs at the compared severities that only the Java validator reported. */
  missing?: IssueKey[];
  /** Pairs at the compared severities that only our validator reported. */
  unexpected?: IssueKey[];
  /** Error count, verdict or compared pairs differ, or the harness failed. */
  disagrees: boolean;
}

/**
 * Scores one run. A harness error (our validator threw) is always a wrong answer: a false negative
 * when the case is invalid, a false positive when it is valid, so a crash never earns a point.
 */
export function scoreCase(
  name: string,
  tier: Tier,
  run: CaseRun,
  severities: readonly Severity[] = ERROR_SEVERITIES,
): CaseScore {
  if (run.status === 'notScored')
    return { name, tier, status: run.status, reason: run.reason, disagrees: false };
  if (run.status === 'harnessError') {
    const expectedErrors = run.expected ? errorCount(run.expected) : undefined;
    return {
      name,
      tier,
      status: run.status,
      reason: run.message,
      ...(expectedErrors !== undefined ? { expectedErrors } : {}),
      actualErrors: null,
      verdictAgree: false,
      exactErrorCount: false,
      confusion: expectedErrors === 0 ? 'fp' : 'fn',
      missing: run.expected ? issueKeys(run.expected, severities) : [],
      unexpected: [],
      disagrees: true,
    };
  }
  const expectedErrors = errorCount(run.expected);
  const actualErrors = errorCount(run.actual);
  const expectedInvalid = expectedErrors > 0;
  const actualInvalid = actualErrors > 0;
  const { missing, unexpected } = diffIssueKeys(
    issueKeys(run.expected, severities),
    issueKeys(run.actual, severities),
  );
  const verdictAgree = expectedInvalid === actualInvalid;
  const exactErrorCount = expectedErrors === actualErrors;
  return {
    name,
    tier,
    status: run.status,
    expectedErrors,
    actualErrors,
    verdictAgree,
    exactErrorCount,
    confusion: actualInvalid ? (expectedInvalid ? 'tp' : 'fp') : expectedInvalid ? 'fn' : 'tn',
    missing,
    unexpected,
    disagrees: !exactErrorCount || missing.length > 0 || unexpected.length > 0,
  };
}

export interface TierTally {
  /** Cases run and scored (including harness errors). */
  runs: number;
  verdictAgree: number;
  exactErrorCount: number;
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  notScored: number;
  harnessErrors: number;
}

export function emptyTally(): TierTally {
  return {
    runs: 0,
    verdictAgree: 0,
    exactErrorCount: 0,
    tp: 0,
    fp: 0,
    tn: 0,
    fn: 0,
    notScored: 0,
    harnessErrors: 0,
  };
}

export function addToTally(tally: TierTally, score: CaseScore): TierTally {
  if (score.status === 'notScored') return { ...tally, notScored: tally.notScored + 1 };
  const next = { ...tally, runs: tally.runs + 1 };
  if (score.status === 'harnessError') next.harnessErrors += 1;
  if (score.verdictAgree) next.verdictAgree += 1;
  if (score.exactErrorCount) next.exactErrorCount += 1;
  if (score.confusion) next[score.confusion] += 1;
  return next;
}

/** One tally per tier, every tier present even when empty. */
export function tallyByTier(scores: readonly CaseScore[]): Record<Tier, TierTally> {
  const tallies = Object.fromEntries(TIERS.map((tier) => [tier, emptyTally()])) as Record<Tier, TierTally>;
  for (const score of scores) tallies[score.tier] = addToTally(tallies[score.tier], score);
  return tallies;
}

export function combineTallies(tallies: readonly TierTally[]): TierTally {
  const total = emptyTally();
  for (const tally of tallies)
    for (const key of Object.keys(total) as (keyof TierTally)[]) total[key] += tally[key];
  return total;
}

export interface Rates {
  verdictAgreement: number;
  exactErrorCount: number;
  /** tp / (tp + fn): the invalid cases we find invalid. 1 when there are none. */
  recall: number;
  /** fp / (fp + tn): the valid cases we wrongly reject. 0 when there are none. */
  falsePositiveRate: number;
}

export function rates(tally: TierTally): Rates {
  const ratio = (part: number, whole: number, whenEmpty: number) => (whole === 0 ? whenEmpty : part / whole);
  return {
    verdictAgreement: ratio(tally.verdictAgree, tally.runs, 0),
    exactErrorCount: ratio(tally.exactErrorCount, tally.runs, 0),
    recall: ratio(tally.tp, tally.tp + tally.fn, 1),
    falsePositiveRate: ratio(tally.fp, tally.fp + tally.tn, 0),
  };
}
