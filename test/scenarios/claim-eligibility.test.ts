/**
 * The claim and eligibility scenarios: well formed; passing against the bundled server with strict
 * validation, adjudicating at once or after an asynchronous review; cleaning up after themselves; ending
 * with explained verdicts (never an error or a hang) against @medplum/fhir-router, which knows nothing
 * of openIMIS; and naming the step a server breaks when it answers a claim wrongly (a fault injected
 * between the runner and the real bundled server).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScenarios, type RunResult, type StepResult } from '../../harness/runner/index.js';
import { claimScenario, eligibilityScenario } from '../../harness/scenarios/index.js';
import { startServer, type RunningServer } from '../../harness/server/server.js';
import { faultyTargets, type Fault, type Json } from '../support/faulty-proxy.js';
import { IG } from '../support/http-server.js';
import { expectExplainedVerdicts, expectWellFormedWorkflows, runOnMedplum } from '../support/workflows.js';

const WORKFLOWS = [claimScenario, eligibilityScenario];

const stepsOf = (result: RunResult, scenario?: string): StepResult[] =>
  result.scenarios.filter((s) => scenario === undefined || s.id === scenario).flatMap((s) => s.steps);
const step = (result: RunResult, scenario: string, id: string) =>
  stepsOf(result, scenario).find((s) => s.id === id);
const FEEDBACK_STEPS = ['feedback', 'feedback-answered'];
/** The steps that did not pass; with `feedbackAsked` false, the feedback steps may skip. */
const notPassed = (result: RunResult, feedbackAsked = true) =>
  stepsOf(result)
    .filter(
      (s) =>
        s.outcome !== 'pass' && !(!feedbackAsked && FEEDBACK_STEPS.includes(s.id) && s.outcome === 'skip'),
    )
    .map((s) => `${s.id}: ${s.outcome} ${s.messages.join(' | ')}`);

describe('the workflow definitions', () => {
  it('are built in, with kebab-case step ids and a clause citing its source on every step', () => {
    expectWellFormedWorkflows(WORKFLOWS);
  });

  it('declare the inputs a vendor gives for a live server', () => {
    const names = claimScenario.inputs?.map((input) => input.name);
    expect(names).toEqual(expect.arrayContaining(['insuree-code', 'service-code', 'item-code']));
  });
});

describe('against the bundled server, adjudicating at once', () => {
  let server: RunningServer;
  let result: RunResult;

  beforeAll(async () => {
    server = await startServer({ port: 0, validation: 'strict' });
    result = await runScenarios(WORKFLOWS, { target: { baseUrl: server.url } });
  });
  afterAll(() => server?.close());

  it('passes every step (the feedback steps skip: the server selects no claim for feedback)', () => {
    expect(result.infrastructureError).toBeUndefined();
    expect(notPassed(result, false)).toEqual([]);
    expect(step(result, 'claim', 'feedback')?.outcome).toBe('skip');
    expect(step(result, 'claim', 'feedback-answered')?.outcome).toBe('skip');
  });

  it('deletes what it made: no claim, response, patient or price-list entry is left', async () => {
    expect(result.cleanup.failed).toEqual([]);
    for (const type of [
      'Claim',
      'ClaimResponse',
      'Patient',
      'Coverage',
      'ActivityDefinition',
      'Medication',
    ]) {
      const answer = (await (await fetch(`${server.url}/${type}?_summary=count`)).json()) as {
        total: number;
      };
      expect(answer.total, type).toBe(0);
    }
  });
});

describe('against the bundled server, reviewing claims asynchronously and asking feedback on every claim', () => {
  let server: RunningServer;
  let result: RunResult;

  beforeAll(async () => {
    server = await startServer({
      port: 0,
      claimReview: { mode: 'async', delayMs: 300 },
      claimFeedback: { mode: 'all' },
    });
    result = await runScenarios([claimScenario], { target: { baseUrl: server.url } });
  });
  afterAll(() => server?.close());

  it('answers the submission queued and the scenario follows it to the end, feedback answered', () => {
    expect(notPassed(result)).toEqual([]);
    expect(step(result, 'claim', 'feedback-answered')?.outcome).toBe('pass');
    const submitted = step(result, 'claim', 'submit')?.exchanges[0]?.response?.body ?? '';
    expect(JSON.parse(submitted).outcome).toBe('queued');
    const polled = step(result, 'claim', 'final-answer')?.exchanges ?? [];
    expect(polled.length).toBeGreaterThan(0);
    expect(polled.every((exchange) => exchange.request.url.includes('/ClaimResponse/'))).toBe(true);
  });

  it('leaves no feedback behind: the requests and answers go with their claims', async () => {
    expect(result.cleanup.failed).toEqual([]);
    expect(result.cleanup.undeletable).toEqual([]);
    for (const type of ['Claim', 'CommunicationRequest', 'Communication']) {
      const answer = (await (await fetch(`${server.url}/${type}?_summary=count`)).json()) as {
        total: number;
      };
      expect(answer.total, type).toBe(0);
    }
  });
});

describe('against @medplum/fhir-router, which knows nothing of openIMIS', () => {
  let declared: RunResult;
  let ignored: RunResult;
  beforeAll(async () => {
    ({ declared, ignored } = await runOnMedplum(WORKFLOWS, { inputs: { 'review-deadline-ms': '500' } }));
  }, 120_000);

  it('ends every step with an explained verdict, never an error', () => {
    expectExplainedVerdicts([declared, ignored]);
  });

  it('with --capabilities ignore, runs the steps the router does not declare, and fails the claim precisely', () => {
    const ran = stepsOf(ignored).filter((s) => s.outcome !== 'skip');
    expect(ran.length).toBeGreaterThan(stepsOf(declared).filter((s) => s.outcome !== 'skip').length);
    const submit = step(ignored, 'claim', 'submit');
    expect(submit?.outcome).toBe('fail');
    expect(submit?.messages.join(' ')).toMatch(/expected .*ClaimResponse/);
  });
});

describe('a server that answers a claim wrongly fails the step that checks it', () => {
  const targets = faultyTargets();
  beforeAll(() => targets.start());
  afterAll(() => targets.close());

  /** The claim's answer changed by `fault` (POST Claim answered 201 only), the submit step's result. */
  async function submitUnder(
    fault: (response: Json) => { status: number; body: unknown },
  ): Promise<StepResult | undefined> {
    const result = await targets.runUnder(
      {
        response: (method, path, body, status) =>
          method === 'POST' && /^\/Claim\/?$/.test(path) && status === 201
            ? (fault(body) as { status: number; body: Json })
            : undefined,
      },
      [claimScenario],
    );
    return step(result, 'claim', 'submit');
  }

  it.each([
    [
      'a wrong outcome',
      (r: Record<string, unknown>) => ({ status: 201, body: { ...r, outcome: 'approved' } }),
      /expected outcome queued, complete, partial or error, found approved/,
    ],
    [
      'no adjudication on the lines',
      (r: Record<string, unknown>) => ({
        status: 201,
        body: {
          ...r,
          item: (r.item as Record<string, unknown>[]).map(({ adjudication: _a, ...item }) => item),
        },
      }),
      /expected valid against .*openimis-claim-response.*adjudication/,
    ],
    [
      'a ClaimResponse that names no claim',
      (r: Record<string, unknown>) => {
        const { request: _request, ...rest } = r;
        return { status: 201, body: rest };
      },
      /expected request to point at the submitted Claim/,
    ],
    [
      'a 500',
      () => ({
        status: 500,
        body: { resourceType: 'OperationOutcome', issue: [{ severity: 'fatal', code: 'exception' }] },
      }),
      /expected status 200 or 201, found 500/,
    ],
  ])('%s', async (_name, fault, message) => {
    const submit = await submitUnder(fault);
    expect(submit?.outcome).toBe('fail');
    expect(submit?.messages.join(' | ')).toMatch(message);
  });
});

describe('a server that handles feedback wrongly fails the feedback step that checks it', () => {
  const targets = faultyTargets({ claimFeedback: { mode: 'all' } });
  beforeAll(() => targets.start());
  afterAll(() => targets.close());

  const isFeedbackRead = (method: string, path: string) =>
    method === 'GET' && /^\/CommunicationRequest\/[^/?]+$/.test(path);
  let answers = 0;

  it.each<[string, Fault, string, RegExp]>([
    [
      'a request about another claim',
      {
        response: (method, path, body) =>
          isFeedbackRead(method, path)
            ? { body: { ...body, about: [{ reference: 'Claim/another' }] } }
            : undefined,
      },
      'feedback',
      /expected the request to be about Claim\/.*, found .*Claim\/another/,
    ],
    [
      'a request left active once answered',
      {
        response: (method, path, body) =>
          isFeedbackRead(method, path)
            ? {
                body: {
                  ...body,
                  status: 'active',
                  statusReason: { coding: [{ system: `${IG}/CodeSystem/feedback-status`, code: '4' }] },
                },
              }
            : undefined,
      },
      'feedback-answered',
      /expected the answered request completed with feedback status 8 \(Delivered\), found status active with feedback status 4/,
    ],
    [
      'a second feedback on the same claim accepted',
      {
        request: (method, path, body) =>
          method === 'POST' && path === '/Communication' && ++answers === 2
            ? { answer: { ...body, id: 'accepted-again' } }
            : undefined,
      },
      'feedback-answered',
      /expected a 4xx status, found 201/,
    ],
  ])('%s', async (_name, fault, stepId, message) => {
    const result = await targets.runUnder(fault, [claimScenario]);
    const checked = step(result, 'claim', stepId);
    // Feedback is a SHOULD: a broken rule is a warning, with expected and found.
    expect(checked?.outcome).toBe('warning');
    expect(checked?.messages.join(' | ')).toMatch(message);
  });
});
