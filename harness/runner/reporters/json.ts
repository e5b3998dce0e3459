/**
 * The run as JSON, the machine-readable record of everything (steps, messages, exchanges). Keys are sorted
 * at every level so two runs can be diffed line by line; credentials in headers are masked.
 */
import { sortKeys } from '../../json.js';
import type { RunResult } from '../types.js';
import { redactExchange } from './exchanges.js';

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
