/**
 * JUnit XML, the shape GitLab, Jenkins, Azure and the GitHub test-report actions read: a testsuite per
 * scenario, a testcase per step. A failed MUST is a <failure>, a fault of the harness or the
 * infrastructure an <error>, a skip a <skipped> with its reason. JUnit has no warning: warnings go to
 * the testcase's <system-out> and to the suite's properties, and the testcase counts as passed.
 */
import type { RunResult, ScenarioResult, StepResult } from '../types.js';
import { exchangeText } from './exchanges.js';
import { firstLine, scenarioNeedsOwnEntry, stepName } from './summary.js';
import { cdata, escapeXmlText, xmlAttributes as attributes, type XmlAttributes } from '../../xml.js';

/** Seconds with millisecond precision, as JUnit's `time` wants. */
function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

/** JUnit's schema wants a local date-time without zone or fraction; ours are UTC. */
function timestamp(iso: string): string | undefined {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString().slice(0, 19);
}

interface TestCase {
  name: string;
  classname: string;
  durationMs: number;
  result?: { element: ResultElement; message: string; body?: string };
  out: string;
}

function stepOut(step: StepResult): string {
  const parts: string[] = [];
  if (step.says) parts.push(`says: ${step.says}`);
  if (step.outcome === 'warning') parts.push(...step.messages.map((message) => `WARNING: ${message}`));
  else if (step.outcome === 'pass') parts.push(...step.messages);
  for (const exchange of step.exchanges) parts.push(exchangeText(exchange));
  return parts.join('\n\n');
}

function stepCase(scenario: ScenarioResult, step: StepResult): TestCase {
  const message = firstLine(step.messages[0]);
  const all = step.messages.join('\n');
  const testCase: TestCase = {
    name: `${stepName(step)}: ${step.title}`,
    classname: scenario.id,
    durationMs: step.durationMs,
    out: stepOut(step),
  };
  if (step.outcome === 'fail') testCase.result = { element: 'failure', message, body: all };
  if (step.outcome === 'error') testCase.result = { element: 'error', message, body: all };
  if (step.outcome === 'skip') testCase.result = { element: 'skipped', message };
  return testCase;
}

/** An entry for a scenario skipped or errored as a whole, so its reason reaches CI. */
function scenarioCase(scenario: ScenarioResult): TestCase {
  const message = firstLine(scenario.messages[0]) || `scenario ${scenario.outcome}`;
  const body = scenario.messages.join('\n');
  const testCase: TestCase = {
    name: `(scenario): ${scenario.title}`,
    classname: scenario.id,
    durationMs: 0,
    out: scenario.outcome === 'warning' || scenario.outcome === 'pass' ? body : '',
  };
  if (scenario.outcome === 'fail') testCase.result = { element: 'failure', message, body };
  if (scenario.outcome === 'error') testCase.result = { element: 'error', message, body };
  if (scenario.outcome === 'skip') testCase.result = { element: 'skipped', message };
  return testCase;
}

function renderCase(testCase: TestCase): string {
  const head = `    <testcase${attributes({ name: testCase.name, classname: testCase.classname, time: seconds(testCase.durationMs) })}`;
  const inner: string[] = [];
  const result = testCase.result;
  if (result) {
    const open = `      <${result.element}${attributes({ message: result.message, type: result.element === 'skipped' ? undefined : result.element })}`;
    inner.push(result.body ? `${open}>${escapeXmlText(result.body)}</${result.element}>` : `${open}/>`);
  }
  if (testCase.out !== '') inner.push(`      <system-out>${cdata(testCase.out)}</system-out>`);
  return inner.length === 0 ? `${head}/>` : `${head}>\n${inner.join('\n')}\n    </testcase>`;
}

function runProperties(result: RunResult): [string, string][] {
  const properties: [string, string][] = [
    ['target', result.target],
    ['bundledServer', String(result.bundledServer)],
    ['tool.name', result.tool.name],
    ['tool.version', result.tool.version],
    ['ig', `${result.ig.packageId}#${result.ig.version}`],
    ['runId', result.runId],
  ];
  if (result.software !== undefined) properties.push(['software', result.software]);
  return properties;
}

interface Suite {
  name: string;
  cases: TestCase[];
  properties: [string, string][];
  durationMs: number;
  startedAt: string;
  out?: string;
}

type ResultElement = 'failure' | 'error' | 'skipped';

function countOf(cases: readonly TestCase[], element: ResultElement): number {
  return cases.filter((testCase) => testCase.result?.element === element).length;
}

function counters(cases: readonly TestCase[]): XmlAttributes {
  return {
    tests: cases.length,
    failures: countOf(cases, 'failure'),
    errors: countOf(cases, 'error'),
    skipped: countOf(cases, 'skipped'),
  };
}

function renderSuite(suite: Suite): string {
  const suiteAttributes = attributes({
    name: suite.name,
    ...counters(suite.cases),
    time: seconds(suite.durationMs),
    timestamp: timestamp(suite.startedAt),
  });
  const lines = [`  <testsuite${suiteAttributes}>`, '    <properties>'];
  for (const [key, value] of suite.properties)
    lines.push(`      <property${attributes({ name: key, value })}/>`);
  lines.push('    </properties>');
  for (const testCase of suite.cases) lines.push(renderCase(testCase));
  if (suite.out) lines.push(`    <system-out>${cdata(suite.out)}</system-out>`);
  lines.push('  </testsuite>');
  return lines.join('\n');
}

function scenarioSuite(result: RunResult, scenario: ScenarioResult): Suite {
  const cases = scenario.steps.map((step) => stepCase(scenario, step));
  if (scenarioNeedsOwnEntry(scenario)) cases.unshift(scenarioCase(scenario));
  const warnings = scenario.steps.filter((step) => step.outcome === 'warning');
  const properties: [string, string][] = [
    ...runProperties(result),
    ['scenario.title', scenario.title],
    ['scenario.outcome', scenario.outcome],
    ['warnings', String(warnings.length)],
    ...warnings.flatMap((step) =>
      step.messages.map((message): [string, string] => [
        'warning',
        `${stepName(step)}: ${firstLine(message)}`,
      ]),
    ),
    ...scenario.requirements.map((url): [string, string] => ['requirement', url]),
  ];
  return {
    name: scenario.id,
    cases,
    properties,
    durationMs: scenario.durationMs,
    startedAt: scenario.startedAt,
    out: scenario.messages.join('\n'),
  };
}

/** The run's own failure (target unreachable, bad configuration) as one errored testcase. */
function infrastructureSuite(result: RunResult, error: string): Suite {
  const testCase: TestCase = {
    name: 'infrastructure: the run starts and reaches the target',
    classname: 'infrastructure',
    durationMs: result.durationMs,
    result: { element: 'error', message: firstLine(error), body: error },
    out: '',
  };
  return {
    name: 'infrastructure',
    cases: [testCase],
    properties: runProperties(result),
    durationMs: result.durationMs,
    startedAt: result.startedAt,
  };
}

/**
 * Deletions that failed at the end of the run. They do not fail the run, so they are passed testcases
 * whose system-out and properties carry the warning, like a step's warnings.
 */
function cleanupSuite(result: RunResult): Suite {
  const { failed } = result.cleanup;
  const cases = failed.map((failure): TestCase => ({
    name: `delete ${failure.reference}`,
    classname: 'cleanup',
    durationMs: failure.exchange?.response?.durationMs ?? 0,
    out: [`WARNING: could not delete ${failure.reference}: ${failure.message}`]
      .concat(failure.exchange ? [exchangeText(failure.exchange)] : [])
      .join('\n\n'),
  }));
  const properties: [string, string][] = [
    ...runProperties(result),
    ['warnings', String(failed.length)],
    ...failed.map((failure): [string, string] => [
      'warning',
      `${failure.reference}: ${firstLine(failure.message)}`,
    ]),
  ];
  return { name: 'cleanup', cases, properties, durationMs: 0, startedAt: result.startedAt };
}

export function toJUnit(result: RunResult): string {
  const suites = result.scenarios.map((scenario) => scenarioSuite(result, scenario));
  if (result.cleanup.failed.length > 0) suites.push(cleanupSuite(result));
  if (result.infrastructureError !== undefined)
    suites.push(infrastructureSuite(result, result.infrastructureError));
  const rootAttributes = attributes({
    name: `${result.tool.name} ${result.tool.version}`,
    ...counters(suites.flatMap((suite) => suite.cases)),
    time: seconds(result.durationMs),
    timestamp: timestamp(result.startedAt),
  });
  const body = suites.length > 0 ? `\n${suites.map(renderSuite).join('\n')}\n` : '\n';
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites${rootAttributes}>${body}</testsuites>\n`;
}
