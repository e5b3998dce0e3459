import { describe, expect, it } from 'vitest';
import {
  combineTallies,
  diffIssueKeys,
  errorCount,
  issueKeys,
  normaliseExpression,
  rates,
  scoreCase,
  tallyByTier,
  type CaseRun,
  type Severity,
} from '../../harness/oracle/compare.js';

function outcome(...issues: [Severity, string?][]): fhir4.OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: issues.map(([severity, expression]) => ({
      severity,
      code: 'invalid',
      details: { text: `some text about ${expression ?? 'nothing'}` },
      ...(expression !== undefined ? { expression: [expression] } : {}),
    })),
  };
}

const ran = (expected: fhir4.OperationOutcome, actual: fhir4.OperationOutcome): CaseRun => ({
  status: 'ran',
  expected,
  actual,
});

describe('error counts and issue keys', () => {
  it('counts errors and fatals, not warnings or information', () => {
    expect(errorCount(outcome(['error', 'A'], ['fatal', 'B'], ['warning', 'C'], ['information', 'D']))).toBe(
      2,
    );
    expect(errorCount({ resourceType: 'OperationOutcome', issue: [] })).toBe(0);
  });

  it('keeps only the requested severities', () => {
    const keys = issueKeys(outcome(['error', 'Patient.a'], ['warning', 'Patient.b']), ['fatal', 'error']);
    expect(keys).toEqual([{ severity: 'error', expression: 'Patient.a' }]);
  });

  it('falls back to location, then to no expression', () => {
    const keys = issueKeys({
      resourceType: 'OperationOutcome',
      issue: [
        { severity: 'error', code: 'invalid', location: ['Patient.x'] },
        { severity: 'error', code: 'invalid' },
      ],
    });
    expect(keys.map((k) => k.expression)).toEqual(['Patient.x', '']);
  });

  it("drops the Java validator's resource comments, extension url annotations and ofType() spellings", () => {
    expect(normaliseExpression('Bundle.entry[2].resource/*Patient/fc2e*/.managingOrganization')).toBe(
      'Bundle.entry[2].resource.managingOrganization',
    );
    expect(normaliseExpression('ValueSet.contained[0]/*CodeSystem/c1*/')).toBe('ValueSet.contained[0]');
    expect(normaliseExpression('Observation.component[0].value.ofType(Quantity)')).toBe(
      'Observation.component[0].valueQuantity',
    );
    expect(normaliseExpression('Questionnaire.item[0].answerOption[1].value.ofType(Coding).display')).toBe(
      'Questionnaire.item[0].answerOption[1].valueCoding.display',
    );
    expect(normaliseExpression('Patient.deceased.ofType(boolean)')).toBe('Patient.deceasedBoolean');
    expect(normaliseExpression('Patient.identifier[0].value')).toBe('Patient.identifier[0].value');
    expect(
      normaliseExpression(
        "Patient.extension[1][url='http://hl7.org/fhir/StructureDefinition/patient-congregation|4.0.0']",
      ),
    ).toBe('Patient.extension[1]');
  });
});

describe('diffIssueKeys', () => {
  it('compares as multisets', () => {
    const e = (expression: string) => ({ severity: 'error' as const, expression });
    const { missing, unexpected } = diffIssueKeys([e('A'), e('A'), e('B')], [e('A'), e('C'), e('C')]);
    expect(missing).toEqual([e('A'), e('B')]);
    expect(unexpected).toEqual([e('C'), e('C')]);
  });

  it('tells severities apart at the same expression', () => {
    const { missing, unexpected } = diffIssueKeys(
      [{ severity: 'fatal', expression: 'X' }],
      [{ severity: 'error', expression: 'X' }],
    );
    expect(missing).toHaveLength(1);
    expect(unexpected).toHaveLength(1);
  });
});

describe('scoreCase', () => {
  it('a true positive with the same pairs is no disagreement, whatever the text', () => {
    const expected = outcome(['error', 'Patient.a'], ['warning', 'Patient.b']);
    const actual = outcome(['error', 'Patient.a']);
    actual.issue[0]!.details = { text: 'entirely different words' };
    const score = scoreCase('c', 'A', ran(expected, actual));
    expect(score).toMatchObject({
      expectedErrors: 1,
      actualErrors: 1,
      verdictAgree: true,
      exactErrorCount: true,
      confusion: 'tp',
      disagrees: false,
    });
  });

  it('warnings are only compared when asked for', () => {
    const run = ran(outcome(['warning', 'Patient.b']), outcome());
    expect(scoreCase('c', 'A', run).disagrees).toBe(false);
    const strict = scoreCase('c', 'A', run, ['fatal', 'error', 'warning']);
    expect(strict.disagrees).toBe(true);
    expect(strict.missing).toEqual([{ severity: 'warning', expression: 'Patient.b' }]);
    expect(strict.confusion).toBe('tn');
  });

  it('same verdict but a different error count is a disagreement', () => {
    const score = scoreCase('c', 'A', ran(outcome(['error', 'A'], ['error', 'B']), outcome(['error', 'A'])));
    expect(score).toMatchObject({
      verdictAgree: true,
      exactErrorCount: false,
      confusion: 'tp',
      disagrees: true,
    });
    expect(score.missing).toEqual([{ severity: 'error', expression: 'B' }]);
  });

  it('same count at different places is a disagreement with the differing pairs', () => {
    const score = scoreCase('c', 'A', ran(outcome(['error', 'A']), outcome(['error', 'B'])));
    expect(score).toMatchObject({ exactErrorCount: true, disagrees: true });
    expect(score.missing).toEqual([{ severity: 'error', expression: 'A' }]);
    expect(score.unexpected).toEqual([{ severity: 'error', expression: 'B' }]);
  });

  it('classifies false positives and false negatives', () => {
    expect(scoreCase('c', 'A', ran(outcome(), outcome(['error', 'A']))).confusion).toBe('fp');
    expect(scoreCase('c', 'A', ran(outcome(['fatal', 'A']), outcome(['warning', 'A']))).confusion).toBe('fn');
    expect(scoreCase('c', 'A', ran(outcome(['information', 'A']), outcome())).confusion).toBe('tn');
  });

  it('a harness error is always wrong and never crashes the scoring', () => {
    const onInvalid = scoreCase('c', 'B', {
      status: 'harnessError',
      expected: outcome(['error', 'A']),
      message: 'boom',
    });
    expect(onInvalid).toMatchObject({
      actualErrors: null,
      verdictAgree: false,
      confusion: 'fn',
      disagrees: true,
    });
    expect(onInvalid.reason).toBe('boom');
    const onValid = scoreCase('c', 'B', { status: 'harnessError', expected: outcome(), message: 'boom' });
    expect(onValid.confusion).toBe('fp');
    const unreadable = scoreCase('c', 'B', {
      status: 'harnessError',
      expected: undefined,
      message: 'bad file',
    });
    expect(unreadable.confusion).toBe('fn');
  });

  it('a case not scored counts for nothing but itself', () => {
    const score = scoreCase('c', 'C', { status: 'notScored', reason: 'option fetcher' });
    expect(score).toEqual({
      name: 'c',
      tier: 'C',
      status: 'notScored',
      reason: 'option fetcher',
      disagrees: false,
    });
  });
});

describe('tallies and rates', () => {
  const scores = [
    scoreCase('tp', 'A', ran(outcome(['error', 'A']), outcome(['error', 'A']))),
    scoreCase('tp-count', 'A', ran(outcome(['error', 'A'], ['error', 'B']), outcome(['error', 'A']))),
    scoreCase('fp', 'A', ran(outcome(), outcome(['error', 'A']))),
    scoreCase('tn', 'B', ran(outcome(), outcome())),
    scoreCase('fn', 'B-snapgen', ran(outcome(['error', 'A']), outcome())),
    scoreCase('crash', 'B-snapgen', { status: 'harnessError', expected: outcome(), message: 'x' }),
    scoreCase('skip', 'C', { status: 'notScored', reason: 'r' }),
  ];

  it('counts per tier, every tier present', () => {
    const tallies = tallyByTier(scores);
    expect(tallies.A).toEqual({
      runs: 3,
      verdictAgree: 2,
      exactErrorCount: 1,
      tp: 2,
      fp: 1,
      tn: 0,
      fn: 0,
      notScored: 0,
      harnessErrors: 0,
    });
    expect(tallies['B-snapgen']).toMatchObject({ runs: 2, fn: 1, fp: 1, harnessErrors: 1, verdictAgree: 0 });
    expect(tallies.C).toMatchObject({ runs: 0, notScored: 1 });
  });

  it('combines tiers and derives the rates', () => {
    const tallies = tallyByTier(scores);
    const core = combineTallies([tallies.A, tallies.B, tallies['B-snapgen']]);
    expect(core).toMatchObject({ runs: 6, tp: 2, fp: 2, tn: 1, fn: 1, exactErrorCount: 2, harnessErrors: 1 });
    const r = rates(core);
    expect(r.exactErrorCount).toBeCloseTo(2 / 6);
    expect(r.recall).toBeCloseTo(2 / 3);
    expect(r.falsePositiveRate).toBeCloseTo(2 / 3);
    expect(r.verdictAgreement).toBeCloseTo(3 / 6);
  });

  it('empty tallies have neutral rates', () => {
    expect(rates(tallyByTier([]).A)).toEqual({
      verdictAgreement: 0,
      exactErrorCount: 0,
      recall: 1,
      falsePositiveRate: 0,
    });
  });
});
