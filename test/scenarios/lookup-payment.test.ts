/**
 * The patient-lookup and payment scenarios: well formed; passing against the bundled server with strict
 * validation; ending with explained verdicts (never an error or a hang) against @medplum/fhir-router;
 * and naming the step a server breaks (faults injected between the runner and the real bundled server:
 * a conditional create that creates again, a string search that ignores :exact, a bill left unpaid, a
 * negative payment taken).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScenarios, type RunResult } from '../../harness/runner/index.js';
import { patientLookupScenario, paymentScenario } from '../../harness/scenarios/index.js';
import { startServer, type RunningServer } from '../../harness/server/server.js';
import { faultyTargets, type Fault } from '../support/faulty-proxy.js';
import {
  expectExplainedVerdicts,
  expectWellFormedWorkflows,
  stepOf,
  stepsOf,
  notPassed,
  runOnMedplum,
} from '../support/workflows.js';

const SCENARIOS = [patientLookupScenario, paymentScenario];

describe('the scenarios', () => {
  it('are built in, with kebab-case step ids and a clause citing its source on every step', () => {
    expectWellFormedWorkflows(SCENARIOS);
  });
});

describe('against the bundled server', () => {
  let server: RunningServer;
  let result: RunResult;
  beforeAll(async () => {
    server = await startServer({ port: 0, validation: 'strict' });
    result = await runScenarios(SCENARIOS, { target: { baseUrl: server.url } });
  });
  afterAll(() => server?.close());

  it('passes every step, the negative ones included', () => {
    expect(result.infrastructureError).toBeUndefined();
    expect(notPassed(result)).toEqual([]);
    expect(stepsOf(result)).toHaveLength(SCENARIOS.reduce((n, s) => n + s.steps.length, 0));
  });
});

describe('against @medplum/fhir-router, which knows nothing of openIMIS', () => {
  let declared: RunResult;
  let ignored: RunResult;
  beforeAll(async () => {
    ({ declared, ignored } = await runOnMedplum(SCENARIOS));
  }, 120_000);

  it('ends every step with an explained verdict, never an error', () => {
    expectExplainedVerdicts([declared, ignored]);
  });

  it('with --capabilities ignore, finds that the router bills nothing', () => {
    const bill = stepOf(ignored, 'payment', 'bill-issued');
    expect(['fail', 'skip']).toContain(bill?.outcome);
    expect(bill?.messages.join(' ')).toMatch(/bill|claim/);
  });
});

describe('a server that breaks a rule fails the step that checks it', () => {
  const targets = faultyTargets();
  beforeAll(() => targets.start());
  afterAll(() => targets.close());

  const runUnder = (fault: Fault, scenario = patientLookupScenario) => targets.runUnder(fault, [scenario]);

  it('a conditional create that creates again', async () => {
    const result = await runUnder({ dropIfNoneExist: true });
    const again = stepOf(result, 'patient-lookup', 'create-again');
    expect(again?.outcome).toBe('fail');
    expect(again?.messages.join(' ')).toMatch(/expected status 200, found 201/);
  });

  it('a string search that ignores :exact', async () => {
    const result = await runUnder({ rewritePath: (path) => path.replace(/family:exact=/g, 'family=') });
    const modifiers = stepOf(result, 'patient-lookup', 'string-modifiers');
    expect(modifiers?.outcome).toBe('fail');
    expect(modifiers?.messages.join(' ')).toMatch(/expected 0 Patients for family:exact=/);
  });

  it('a bill a payment leaves unpaid', async () => {
    const result = await runUnder(
      {
        request: (method, path, body) =>
          method === 'POST' && path === '/PaymentNotice'
            ? { answer: { ...body, id: 'not-stored' } }
            : undefined,
      },
      paymentScenario,
    );
    const paid = stepOf(result, 'payment', 'bill-paid');
    expect(paid?.outcome).toBe('fail');
    expect(paid?.messages.join(' ')).toMatch(
      /expected Invoice\/\S+ balanced after its payment, found issued/,
    );
  });

  it('a negative payment taken', async () => {
    const result = await runUnder(
      {
        request: (method, path, body) =>
          method === 'POST' && path === '/PaymentNotice' && (body?.amount as { value: number }).value < 0
            ? { answer: { ...body, id: 'taken' } }
            : undefined,
      },
      paymentScenario,
    );
    const negative = stepOf(result, 'payment', 'negative-amount');
    expect(negative?.outcome).toBe('fail');
    expect(negative?.messages.join(' ')).toMatch(/expected status 4xx, found 201|expected a 4xx/);
  });
});
