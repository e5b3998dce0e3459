/**
 * The subscription scenario: well formed; passing against the bundled server (R4 flavour), and against
 * its openIMIS flavour with openIMIS criteria (where the failing receiver is only a warning: openIMIS
 * logs failures instead of turning the subscription error); ending with explained verdicts against
 * @medplum/fhir-router, which sends no notifications; and naming the step a server breaks (faults
 * injected between the runner and the real bundled server: the header dropped, criteria widened).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScenarios, type RunResult } from '../../harness/runner/index.js';
import { subscriptionScenario } from '../../harness/scenarios/index.js';
import { startServer, type RunningServer } from '../../harness/server/server.js';
import { faultyTargets, type Fault, type Json } from '../support/faulty-proxy.js';
import {
  expectExplainedVerdicts,
  expectWellFormedWorkflows,
  stepOf,
  notPassed,
  runOnMedplum,
} from '../support/workflows.js';

const step = (result: RunResult, id: string) => stepOf(result, 'subscription', id);
describe('the subscription scenario', () => {
  it('is built in, with kebab-case step ids and a clause citing its source on every step', () => {
    expectWellFormedWorkflows([subscriptionScenario]);
  });
});

describe('against the bundled server', () => {
  let r4: RunningServer;
  let openimis: RunningServer;
  let r4Result: RunResult;
  let openimisResult: RunResult;
  beforeAll(async () => {
    r4 = await startServer({ port: 0, validation: 'strict', subscriptions: { backoffMs: [50, 50] } });
    openimis = await startServer({ port: 0, subscriptions: { flavour: 'openimis', backoffMs: [50] } });
    [r4Result, openimisResult] = await Promise.all([
      runScenarios([subscriptionScenario], { target: { baseUrl: r4.url } }),
      runScenarios([subscriptionScenario], {
        target: { baseUrl: openimis.url },
        inputs: { 'criteria-style': 'openimis', 'notification-deadline-ms': '2000' },
      }),
    ]);
  }, 120_000);
  afterAll(async () => {
    await r4?.close();
    await openimis?.close();
  });

  it('R4 flavour: passes every step', () => {
    expect(r4Result.infrastructureError).toBeUndefined();
    expect(notPassed(r4Result)).toEqual([]);
  });

  it('openIMIS flavour with openIMIS criteria: passes, the failing receiver only warned', () => {
    expect(notPassed(openimisResult)).toEqual([
      expect.stringMatching(
        /^failing-receiver: warning .*expected Subscription\/\S+ to turn error .*found status active/,
      ),
    ]);
  });
});

describe('against @medplum/fhir-router, which sends no notifications', () => {
  let declared: RunResult;
  let ignored: RunResult;
  beforeAll(async () => {
    ({ declared, ignored } = await runOnMedplum([subscriptionScenario], {
      inputs: { 'notification-deadline-ms': '300' },
    }));
  }, 120_000);

  it('ends every step with an explained verdict, never an error', () => {
    expectExplainedVerdicts([declared, ignored]);
  });

  it('with --capabilities ignore, finds that nothing is notified', () => {
    const notified = step(ignored, 'insuree-notified');
    expect(['fail', 'skip']).toContain(notified?.outcome);
    expect(notified?.messages.join(' ')).toMatch(/notification|Subscription/);
  });
});

describe('a server that breaks a rule fails the step that checks it', () => {
  const targets = faultyTargets({ subscriptions: { backoffMs: [50] } });
  beforeAll(() => targets.start());
  afterAll(() => targets.close());

  const runUnder = (fault: Fault) =>
    targets.runUnder(fault, [subscriptionScenario], { inputs: { 'notification-deadline-ms': '3000' } });

  const onSubscription = (change: (channel: Json, body: Json) => Json) => ({
    request: (method: string, path: string, body: Json | undefined) =>
      method === 'POST' && path === '/Subscription' && body
        ? { body: change(body.channel as Json, body) }
        : undefined,
  });

  it('notifications without the subscription header', async () => {
    const result = await runUnder(
      onSubscription((channel, body) => {
        const { header: _header, ...rest } = channel;
        return { ...body, channel: rest };
      }),
    );
    const notified = step(result, 'insuree-notified');
    expect(notified?.outcome).toBe('fail');
    expect(notified?.messages.join(' ')).toMatch(/expected the subscription's header X-Openimis-Test/);
  });

  it('a notification for a write the criteria do not select', async () => {
    const result = await runUnder(onSubscription((_channel, body) => ({ ...body, criteria: 'Patient' })));
    const quiet = step(result, 'not-matching');
    expect(quiet?.outcome).toBe('fail');
    expect(quiet?.messages.join(' ')).toMatch(
      /expected no notification for a Patient the criteria do not select, found 1/,
    );
  });
});
