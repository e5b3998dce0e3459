/**
 * Counts and wording every reporter shares, so the console, JUnit, TestReport and HTML outputs of one run
 * agree on their numbers.
 */
import type { Outcome, RunResult, ScenarioResult, StepResult } from '../types.js';

export const OUTCOMES: readonly Outcome[] = ['pass', 'fail', 'warning', 'skip', 'error'];

export type OutcomeCounts = Record<Outcome, number>;

export function emptyCounts(): OutcomeCounts {
  return { pass: 0, fail: 0, warning: 0, skip: 0, error: 0 };
}

export function countSteps(steps: readonly StepResult[]): OutcomeCounts {
  const counts = emptyCounts();
  for (const step of steps) counts[step.outcome] += 1;
  return counts;
}

export function addCounts(into: OutcomeCounts, more: OutcomeCounts): OutcomeCounts {
  for (const outcome of OUTCOMES) into[outcome] += more[outcome];
  return into;
}

/** Step counts of every scenario of the run. */
export function totalStepCounts(result: RunResult): OutcomeCounts {
  return result.scenarios.reduce(
    (total, scenario) => addCounts(total, countSteps(scenario.steps)),
    emptyCounts(),
  );
}

export function countScenarios(result: RunResult): OutcomeCounts {
  const counts = emptyCounts();
  for (const scenario of result.scenarios) counts[scenario.outcome] += 1;
  return counts;
}

const SEVERITY: Record<Outcome, number> = { skip: 0, pass: 1, warning: 2, fail: 3, error: 4 };

/** The worst of some outcomes (error > fail > warning > pass > skip); skip when there are none. */
export function worstOutcome(outcomes: Iterable<Outcome>): Outcome {
  let worst: Outcome = 'skip';
  for (const outcome of outcomes) if (SEVERITY[outcome] > SEVERITY[worst]) worst = outcome;
  return worst;
}

/** The run's outcome: an infrastructure failure is an error whatever the scenarios say. */
export function runOutcome(result: RunResult): Outcome {
  if (result.infrastructureError !== undefined) return 'error';
  return worstOutcome(result.scenarios.map((scenario) => scenario.outcome));
}

/**
 * Whether a scenario's outcome says more than its steps do (it was skipped or errored as a whole, or has
 * no steps): reporters then add an entry for the scenario itself, so the reason is not lost.
 */
export function scenarioNeedsOwnEntry(scenario: ScenarioResult): boolean {
  if (scenario.steps.length === 0) return true;
  return worstOutcome(scenario.steps.map((step) => step.outcome)) !== scenario.outcome;
}

export const OUTCOME_LABEL: Record<Outcome, string> = {
  pass: 'passed',
  fail: 'failed',
  warning: 'warning',
  skip: 'skipped',
  error: 'error',
};

export function firstLine(text: string | undefined): string {
  return (text ?? '').split(/\r?\n/, 1)[0] ?? '';
}

/** 850 ms, 1.2 s, 2 min 5 s. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms - minutes * 60_000) / 1000)} s`;
}

/** The step's name in reports: its id, prefixed with its phase outside the main steps. */
export function stepName(step: StepResult): string {
  return step.phase === 'step' ? step.id : `${step.phase}/${step.id}`;
}

/** Characters that are safe in a file name or an id attribute; anything else becomes '-'. */
export function safeName(text: string): string {
  const cleaned = text.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '');
  return cleaned === '' ? 'unnamed' : cleaned;
}

/** How a run's own failure is named: whose fault it is (RunResult.runErrorKind). */
export function runErrorLabel(result: RunResult): string {
  return result.runErrorKind === 'configuration' ? 'Configuration error' : 'Infrastructure error';
}
