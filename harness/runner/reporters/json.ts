/**
 * The run as JSON, the machine-readable record of everything (steps, messages, exchanges). Keys are sorted
 * at every level so two runs can be diffed line by line; credentials in headers are masked.
 */
import type { RunResult } from '../types.js';
import { redactExchange } from './exchanges.js';

/** A copy of a JSON value with the keys of every object in sorted order (arrays keep theirs). */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort())
    sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
  return sorted;
}

/** The result with every exchange's credentials masked. */
export function redactRun(result: RunResult): RunResult {
  return {
    ...result,
    scenarios: result.scenarios.map((scenario) => ({
      ...scenario,
      steps: scenario.steps.map((step) => ({ ...step, exchanges: step.exchanges.map(redactExchange) })),
    })),
    ...(result.capabilities
      ? { capabilities: { ...result.capabilities, exchange: redactExchange(result.capabilities.exchange) } }
      : {}),
    cleanup: {
      ...result.cleanup,
      failed: result.cleanup.failed.map((failure) =>
        failure.exchange ? { ...failure, exchange: redactExchange(failure.exchange) } : failure,
      ),
    },
  };
}

export function toJson(result: RunResult): string {
  return `${JSON.stringify(sortKeys(redactRun(result)), null, 2)}\n`;
}
