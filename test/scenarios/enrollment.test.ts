/**
 * The enrollment scenario: well formed; passing against the bundled server with strict validation;
 * ending with explained verdicts (never an error or a hang) against @medplum/fhir-router, which knows
 * nothing of openIMIS; and naming the step a server breaks when it gets one rule wrong (a fault injected
 * between the runner and the real bundled server: an invoice of the wrong amount, a family sent twice
 * creating its Patients again, a payment that activates no policy, a payment that balances nothing).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScenarios, type RunResult } from '../../harness/runner/index.js';
import { enrollmentScenario } from '../../harness/scenarios/index.js';
import { startServer, type RunningServer } from '../../harness/server/server.js';
import { faultyTargets, type Fault, type Json } from '../support/faulty-proxy.js';
import {
  expectExplainedVerdicts,
  expectWellFormedWorkflows,
  stepsOf,
  runOnMedplum,
} from '../support/workflows.js';

const step = (result: RunResult, id: string) => stepsOf(result).find((s) => s.id === id);

describe('the enrollment scenario', () => {
  it('is built in, with kebab-case step ids and a clause citing its source on every step', () => {
    expectWellFormedWorkflows([enrollmentScenario]);
  });
});

describe('against the bundled server', () => {
  let server: RunningServer;
  let result: RunResult;
  beforeAll(async () => {
    server = await startServer({ port: 0, validation: 'strict' });
    result = await runScenarios([enrollmentScenario], { target: { baseUrl: server.url } });
  });
  afterAll(() => server?.close());

  it('passes every step, the negative ones included', () => {
    expect(result.infrastructureError).toBeUndefined();
    expect(stepsOf(result).map((s) => `${s.id}: ${s.outcome} ${s.messages.join(' | ')}`)).toEqual(
      enrollmentScenario.steps.map((s) => `${s.id}: pass `),
    );
  });

  it('cleans up, asking no deletion of what the server declares undeletable (policies, payments)', () => {
    expect(result.cleanup.failed).toEqual([]);
    const left = new Set(result.cleanup.undeletable.map((reference) => reference.split('/')[0]));
    expect([...left].sort()).toEqual(['Contract', 'PaymentNotice']);
    expect(result.cleanup.deleted.some((reference) => reference.startsWith('Patient/'))).toBe(true);
  });
});

describe('against @medplum/fhir-router, which knows nothing of openIMIS', () => {
  let declared: RunResult;
  let ignored: RunResult;
  beforeAll(async () => {
    ({ declared, ignored } = await runOnMedplum([enrollmentScenario]));
  }, 120_000);

  it('ends every step with an explained verdict, never an error', () => {
    expectExplainedVerdicts([declared, ignored]);
  });

  it('with --capabilities ignore, finds that the router issues no invoice', () => {
    const invoice = step(ignored, 'invoice');
    expect(invoice?.outcome).toBe('fail');
    expect(invoice?.messages.join(' ')).toMatch(/expected an issued Invoice/);
  });
});

describe('a server that breaks an enrollment rule fails the step that checks it', () => {
  const targets = faultyTargets();
  beforeAll(() => targets.start());
  afterAll(() => targets.close());

  const runUnder = (fault: Fault) => targets.runUnder(fault, [enrollmentScenario]);

  it('an invoice of the wrong amount', async () => {
    const result = await runUnder({
      response: (method, path, body) => {
        if (method !== 'GET' || !path.startsWith('/Invoice?')) return undefined;
        const entries = (body.entry as { resource: Json }[] | undefined) ?? [];
        for (const entry of entries) entry.resource.totalGross = { value: 1, currency: 'EUR' };
        return { body };
      },
    });
    const invoice = step(result, 'invoice');
    expect(invoice?.outcome).toBe('fail');
    expect(invoice?.messages.join(' ')).toMatch(/expected the invoice's totalGross \d+.*found 1/);
  });

  it('a family sent twice creating its Patients again', async () => {
    const result = await runUnder({
      request: (method, path, body) => {
        if (method !== 'POST' || path !== '' || body?.resourceType !== 'Bundle') return undefined;
        // Without their conditions, the Patients are created again.
        const entries = (body.entry as { request: Json }[]).map((entry) => {
          const { ifNoneExist: _condition, ...request } = entry.request;
          return { ...entry, request };
        });
        return { body: { ...body, entry: entries } };
      },
    });
    const twice = step(result, 'sent-twice');
    expect(twice?.outcome).toBe('fail');
    expect(twice?.messages.join(' ')).toMatch(/expected one Patient with the Code \w+ .*found 2/);
  });

  it('a payment that activates no policy', async () => {
    const result = await runUnder({
      response: (method, path, body) => {
        if (method !== 'GET' || !path.startsWith('/Coverage?')) return undefined;
        for (const entry of (body.entry as { resource: Json }[] | undefined) ?? [])
          entry.resource.status = 'draft';
        return { body };
      },
    });
    const payment = step(result, 'payment');
    expect(payment?.outcome).toBe('fail');
    expect(payment?.messages.join(' ')).toMatch(
      /expected an active Coverage for Patient\/\S+ after the payment, found none/,
    );
  });

  it('a payment that balances nothing', async () => {
    const result = await runUnder({
      request: (method, path, body) =>
        method === 'POST' && path === '/PaymentNotice'
          ? { answer: { ...body, id: 'not-stored' } }
          : undefined,
    });
    const payment = step(result, 'payment');
    expect(payment?.outcome).toBe('fail');
    expect(payment?.messages.join(' ')).toMatch(
      /expected Invoice\/\S+ balanced after the payment, found issued/,
    );
  });
});
