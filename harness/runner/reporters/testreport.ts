/**
 * One FHIR R4 TestReport per scenario, the shape IG-native consumers and Touchstone users read. Setup and
 * teardown steps are `operation` actions (R4 allows nothing else in teardown); the scenario's own steps are
 * `assert` actions, since each states what must hold. A step's outcome maps to the action's result one to
 * one (pass, skip, fail, warning, error).
 */
import type { Outcome, RunResult, ScenarioResult, StepResult } from '../types.js';
import { statusLine } from './exchanges.js';
import { countSteps, safeName } from './summary.js';

/** Where scenario ids live, as the identifier of the (virtual) TestScript each report is for. */
export const SCENARIO_SYSTEM = 'https://openimis.github.io/openimis_fhir_r4_ig/scenarios';

type ActionResult = fhir4.TestReportSetupActionOperation['result'];

const ACTION_RESULT: Record<Outcome, ActionResult> = {
  pass: 'pass',
  skip: 'skip',
  fail: 'fail',
  warning: 'warning',
  error: 'error',
};

/** Warnings alone still pass; a scenario that ran nothing is pending. */
const REPORT_RESULT: Record<Outcome, fhir4.TestReport['result']> = {
  pass: 'pass',
  warning: 'pass',
  fail: 'fail',
  error: 'fail',
  skip: 'pending',
};

/** Characters markdown or a renderer could read as markup, escaped so server-supplied text stays text. */
function markdownText(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]])/g, '\\$1');
}

/** The step as markdown: what it checks, the clause, its findings and the requests it made. */
function stepMessage(step: StepResult): string {
  const lines = [`**${markdownText(step.title)}** (\`${step.id}\`, ${step.level})`];
  if (step.says) lines.push('', `> ${markdownText(step.says).replace(/\n/g, '\n> ')}`);
  if (step.messages.length > 0) {
    lines.push('');
    for (const message of step.messages) lines.push(`- ${markdownText(message).replace(/\n/g, '\n  ')}`);
  }
  if (step.exchanges.length > 0) {
    lines.push('');
    for (const exchange of step.exchanges) {
      lines.push(
        `- ${markdownText(`${exchange.request.method} ${exchange.request.url} -> ${statusLine(exchange)}`)}`,
      );
    }
  }
  return lines.join('\n').trim();
}

/** The first request's URL: the further detail a reader follows. */
function stepDetail(step: StepResult): string | undefined {
  const url = step.exchanges[0]?.request.url;
  return url !== undefined && /^[a-z][a-z0-9+.-]*:\S+$/i.test(url) ? url : undefined;
}

function operation(step: StepResult): fhir4.TestReportSetupActionOperation {
  const detail = stepDetail(step);
  return { result: ACTION_RESULT[step.outcome], message: stepMessage(step), ...(detail ? { detail } : {}) };
}

function assertion(step: StepResult): fhir4.TestReportSetupActionAssert {
  const detail = stepDetail(step);
  return { result: ACTION_RESULT[step.outcome], message: stepMessage(step), ...(detail ? { detail } : {}) };
}

/** passed / run, as a percentage (FHIR's definition of score); warnings count as passed, skips as not run. */
function score(steps: readonly StepResult[]): number | undefined {
  const counts = countSteps(steps);
  const run = counts.pass + counts.warning + counts.fail + counts.error;
  if (run === 0) return undefined;
  return Math.round(((counts.pass + counts.warning) / run) * 10_000) / 100;
}

/** When the scenario finished: its start plus its duration. */
function issuedAt(startedAt: string, durationMs: number): string {
  const start = new Date(startedAt);
  return Number.isNaN(start.getTime())
    ? new Date(0).toISOString()
    : new Date(start.getTime() + durationMs).toISOString();
}

function participants(result: RunResult): fhir4.TestReportParticipant[] {
  return [
    {
      type: 'test-engine',
      uri: `urn:${safeName(result.tool.name)}:${safeName(result.tool.version)}`,
      display: `${result.tool.name} ${result.tool.version}`,
    },
    { type: 'server', uri: result.target, ...(result.software ? { display: result.software } : {}) },
  ];
}

function base(
  result: RunResult,
  id: string,
  title: string,
  startedAt: string,
  durationMs: number,
): fhir4.TestReport {
  return {
    resourceType: 'TestReport',
    id: safeName(id).slice(0, 64),
    identifier: { system: `${SCENARIO_SYSTEM}/runs`, value: `${result.runId}/${id}` },
    name: title,
    status: result.infrastructureError !== undefined ? 'entered-in-error' : 'completed',
    testScript: { display: title, identifier: { system: SCENARIO_SYSTEM, value: id } },
    result: 'pending',
    tester: `${result.tool.name} ${result.tool.version}`,
    issued: issuedAt(startedAt, durationMs),
    participant: participants(result),
  };
}

/** A skipped or errored scenario without steps: one assert carries its reason. */
function scenarioAssert(scenario: ScenarioResult): fhir4.TestReportSetupActionAssert {
  const reasons = scenario.messages.map((message) => `- ${markdownText(message)}`).join('\n');
  const message = `**${markdownText(scenario.title)}** (\`${scenario.id}\`): ${scenario.outcome}${reasons ? `\n\n${reasons}` : ''}`;
  return { result: ACTION_RESULT[scenario.outcome], message };
}

export function toTestReport(result: RunResult, scenario: ScenarioResult): fhir4.TestReport {
  const report = base(result, scenario.id, scenario.title, scenario.startedAt, scenario.durationMs);
  report.result = REPORT_RESULT[scenario.outcome];
  const value = score(scenario.steps);
  if (value !== undefined) report.score = value;
  const setup = scenario.steps.filter((step) => step.phase === 'setup');
  const steps = scenario.steps.filter((step) => step.phase === 'step');
  const teardown = scenario.steps.filter((step) => step.phase === 'teardown');
  if (setup.length > 0) report.setup = { action: setup.map((step) => ({ operation: operation(step) })) };
  const testActions: fhir4.TestReportTestAction[] = steps.map((step) => ({ assert: assertion(step) }));
  if (testActions.length === 0 && setup.length === 0 && teardown.length === 0) {
    testActions.push({ assert: scenarioAssert(scenario) });
  }
  if (testActions.length > 0) {
    report.test = [
      {
        name: scenario.title,
        ...(scenario.description ? { description: scenario.description } : {}),
        action: testActions,
      },
    ];
  }
  if (teardown.length > 0)
    report.teardown = { action: teardown.map((step) => ({ operation: operation(step) })) };
  return report;
}

/** A run that failed before any scenario: one report, entered in error, saying why. */
function infrastructureReport(result: RunResult, error: string): fhir4.TestReport {
  const title = `${result.tool.name} run against ${result.target}`;
  const report = base(result, 'infrastructure', title, result.startedAt, result.durationMs);
  report.test = [
    {
      name: 'infrastructure',
      action: [{ assert: { result: 'error', message: `The run failed: ${markdownText(error)}`.trim() } }],
    },
  ];
  return report;
}

export function toTestReports(result: RunResult): fhir4.TestReport[] {
  const reports = result.scenarios.map((scenario) => toTestReport(result, scenario));
  if (result.infrastructureError !== undefined && reports.length === 0) {
    reports.push(infrastructureReport(result, result.infrastructureError));
  }
  return reports;
}
