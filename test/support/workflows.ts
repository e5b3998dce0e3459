/**
 * What every workflow scenario's test checks the same way: its definition (built in, kebab-case step
 * ids, a cited clause and needs on every step) and, against a server that knows nothing of openIMIS, an
 * explained verdict on every step (never an error).
 */
import { expect } from 'vitest';
import {
  runScenarios,
  type RunOptions,
  type RunResult,
  type ScenarioDefinition,
  type StepResult,
} from '../../harness/runner/index.js';
import { startMedplumServer } from './medplum-server.js';
import { builtInScenarios } from '../../harness/scenarios/index.js';

export const stepsOf = (result: RunResult): StepResult[] => result.scenarios.flatMap((s) => s.steps);

/** The steps that did not pass, each as `id: outcome messages` (an empty list when all passed). */
export const notPassed = (result: RunResult): string[] =>
  stepsOf(result)
    .filter((s) => s.outcome !== 'pass')
    .map((s) => `${s.id}: ${s.outcome} ${s.messages.join(' | ')}`);

/** One step of one scenario's result. */
export const stepOf = (result: RunResult, scenario: string, id: string): StepResult | undefined =>
  result.scenarios.find((s) => s.id === scenario)?.steps.find((s) => s.id === id);

export function expectWellFormedWorkflows(scenarios: ScenarioDefinition[]): void {
  for (const scenario of scenarios) {
    expect(builtInScenarios).toContain(scenario);
    for (const s of scenario.steps) {
      expect(s.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(s.says, `${scenario.id}/${s.id}`).toMatch(/https:\/\//);
      expect(s.needs, `${scenario.id}/${s.id}`).toBeDefined();
    }
  }
}

/** Every step of every run ended pass, fail, warning or skip, and every one that did not pass says why. */
export function expectExplainedVerdicts(results: RunResult[]): void {
  for (const result of results) {
    expect(result.infrastructureError).toBeUndefined();
    for (const s of stepsOf(result)) {
      expect(['pass', 'fail', 'warning', 'skip'], `${s.id}: ${s.messages.join(' | ')}`).toContain(s.outcome);
      if (s.outcome !== 'pass') expect(s.messages.join(' ').trim().length, s.id).toBeGreaterThan(0);
    }
  }
}

/**
 * The scenarios against @medplum/fhir-router, which knows nothing of openIMIS: once as its
 * CapabilityStatement declares, once under `--capabilities ignore` (5 s a request).
 */
export async function runOnMedplum(
  scenarios: ScenarioDefinition[],
  run: Omit<RunOptions, 'target'> = {},
): Promise<{ declared: RunResult; ignored: RunResult }> {
  const medplum = await startMedplumServer();
  try {
    const declared = await runScenarios(scenarios, { ...run, target: { baseUrl: medplum.url } });
    const ignored = await runScenarios(scenarios, {
      ...run,
      target: { baseUrl: medplum.url, timeoutMs: 5_000 },
      capabilities: 'ignore',
    });
    return { declared, ignored };
  } finally {
    await medplum.close();
  }
}
