/** How outcomes combine: a scenario is as bad as its worst step. */
import type { Outcome } from './types.js';

const SEVERITY: Record<Outcome, number> = { skip: 0, pass: 1, warning: 2, fail: 3, error: 4 };

/** error > fail > warning > pass; only skips (or nothing) -> skip. */
export function worstOutcome(outcomes: Iterable<Outcome>): Outcome {
  let worst: Outcome = 'skip';
  for (const outcome of outcomes) if (SEVERITY[outcome] > SEVERITY[worst]) worst = outcome;
  return worst;
}
