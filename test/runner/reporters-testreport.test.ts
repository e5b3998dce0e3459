import { beforeAll, describe, expect, it } from 'vitest';
import { SCENARIO_SYSTEM, toTestReports } from '../../harness/runner/reporters/index.js';
import type { RunResult } from '../../harness/runner/types.js';
import { createValidator, type Validator } from '../../harness/validator/index.js';
import { emptyRun, infrastructureRun, mixedRun } from '../support/run-results.js';

let validator: Validator;

beforeAll(() => {
  validator = createValidator();
});

const TEST_REPORT = 'http://hl7.org/fhir/StructureDefinition/TestReport';

function problems(report: fhir4.TestReport): string[] {
  const outcome = validator.validate(report, { profiles: [TEST_REPORT] });
  return (outcome.issue ?? [])
    .filter((issue) => issue.severity === 'error' || issue.severity === 'fatal')
    .map(
      (issue) => `${issue.expression?.join(',') ?? ''}: ${issue.details?.text ?? issue.diagnostics ?? ''}`,
    );
}

function byId(reports: fhir4.TestReport[], id: string): fhir4.TestReport {
  const report = reports.find((candidate) => candidate.testScript.identifier?.value === id);
  if (!report) throw new Error(`no report for ${id}`);
  return report;
}

describe('TestReport reporter', () => {
  const runs: [string, RunResult][] = [
    ['mixed', mixedRun()],
    ['infrastructure', infrastructureRun()],
    ['empty', emptyRun()],
  ];

  it.each(runs)('produces TestReports our validator accepts (%s run)', (_name, run) => {
    for (const report of toTestReports(run)) expect(problems(report), report.id).toEqual([]);
  });

  it('is checked by a validator that does reject a broken TestReport', () => {
    const [report] = toTestReports(mixedRun());
    const broken = {
      ...report,
      status: 'finished',
      testScript: undefined,
      teardown: { action: [{ assert: { result: 'pass' } }] },
    } as unknown as fhir4.TestReport;
    expect(problems(broken).length).toBeGreaterThanOrEqual(3);
  });

  it('gives one report per scenario, with result, score and participants', () => {
    const reports = toTestReports(mixedRun());
    expect(reports.map((report) => report.testScript.identifier?.value)).toEqual([
      'rest-baseline',
      'validation',
      'subscriptions',
      'history',
      'batch',
    ]);
    const baseline = byId(reports, 'rest-baseline');
    expect(baseline).toMatchObject({
      resourceType: 'TestReport',
      id: 'rest-baseline',
      status: 'completed',
      result: 'pass', // warnings alone pass
      score: 100,
      tester: 'openimis-fhir 0.1.0',
      issued: '2025-03-01T10:00:00.250Z',
      testScript: {
        display: 'Scenario rest-baseline',
        identifier: { system: SCENARIO_SYSTEM, value: 'rest-baseline' },
      },
      participant: [
        { type: 'test-engine', uri: 'urn:openimis-fhir:0.1.0' },
        { type: 'server', uri: 'http://localhost:8080/fhir' },
      ],
    });
    expect(baseline.setup?.action.map((action) => action.operation?.result)).toEqual(['pass']);
    expect(baseline.test?.[0]?.action.map((action) => action.assert?.result)).toEqual(['pass', 'warning']);
    expect(baseline.teardown?.action.map((action) => action.operation.result)).toEqual(['pass']);
    expect(baseline.setup?.action[0]?.operation?.detail).toBe('http://localhost:8080/fhir/Patient');

    const etag = baseline.test?.[0]?.action[1]?.assert;
    expect(etag?.message).toContain('**Server sends an ETag** (`etag`, SHOULD)');
    expect(etag?.message).toContain('- expected header ETag, found none');

    expect(byId(reports, 'validation')).toMatchObject({ result: 'fail', score: 50 });
    expect(byId(reports, 'history')).toMatchObject({ result: 'fail', score: 0 });
    // Skips do not count: 2 of 2 run passed.
    expect(byId(reports, 'batch')).toMatchObject({ result: 'pass', score: 100 });
  });

  it('reports a scenario skipped as a whole as pending, with its reason', () => {
    const skipped = byId(toTestReports(mixedRun()), 'subscriptions');
    expect(skipped.result).toBe('pending');
    expect(skipped.score).toBeUndefined();
    const only = skipped.test?.[0]?.action[0]?.assert;
    expect(only?.result).toBe('skip');
    expect(only?.message).toContain('the target does not declare Subscription:create');
  });

  it('escapes markup in messages', () => {
    const history = byId(toTestReports(mixedRun()), 'history');
    expect(history.test?.[0]?.action[0]?.assert?.message).toContain(
      'history &lt;of&gt; a "resource" &amp; its',
    );
  });

  it('marks the report of a run that failed as entered-in-error', () => {
    const reports = toTestReports(infrastructureRun());
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ status: 'entered-in-error', result: 'pending' });
    expect(reports[0]?.test?.[0]?.action[0]?.assert?.result).toBe('error');
    expect(reports[0]?.test?.[0]?.action[0]?.assert?.message).toContain('ECONNREFUSED');
    expect(toTestReports(emptyRun())).toEqual([]);
  });
});
