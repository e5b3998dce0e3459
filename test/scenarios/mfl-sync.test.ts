/**
 * The mfl-sync scenario: well formed; passing against the bundled server with a bundled registry beside
 * it; skipping with the reason when the run has no registry to give; ending with explained verdicts
 * against @medplum/fhir-router; and naming the step a server breaks (a fault injected between the runner
 * and the real bundled server: partof ignored).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScenarios, type HelperServer, type RunResult } from '../../harness/runner/index.js';
import { mflSyncScenario } from '../../harness/scenarios/index.js';
import { startServer, type RunningServer } from '../../harness/server/server.js';
import { faultyTargets } from '../support/faulty-proxy.js';
import {
  expectExplainedVerdicts,
  expectWellFormedWorkflows,
  stepOf,
  stepsOf,
  notPassed,
  runOnMedplum,
} from '../support/workflows.js';

const step = (result: RunResult, id: string) => stepOf(result, 'mfl-sync', id);

/** A registry as the test command gives one: the bundled server, storing what it is sent. */
const helperServer = async (): Promise<HelperServer> => {
  const server = await startServer({ port: 0, validation: 'off', subscriptions: false });
  return { url: server.url, close: () => server.close() };
};

describe('the mfl-sync scenario', () => {
  it('is built in, with kebab-case step ids and a clause citing its source on every step', () => {
    expectWellFormedWorkflows([mflSyncScenario]);
  });
});

describe('against the bundled server', () => {
  let server: RunningServer;
  let result: RunResult;
  let withoutRegistry: RunResult;
  beforeAll(async () => {
    server = await startServer({ port: 0, validation: 'strict', subscriptions: false });
    result = await runScenarios([mflSyncScenario], { target: { baseUrl: server.url }, helperServer });
    withoutRegistry = await runScenarios([mflSyncScenario], { target: { baseUrl: server.url } });
  });
  afterAll(() => server?.close());

  it('passes every step', () => {
    expect(result.infrastructureError).toBeUndefined();
    expect(notPassed(result)).toEqual([]);
  });

  it('without a registry to sync from, skips and says why', () => {
    expect(step(withoutRegistry, 'registry')?.outcome).toBe('skip');
    expect(step(withoutRegistry, 'registry')?.messages.join(' ')).toMatch(
      /no server to stand for the registry/,
    );
    expect(stepsOf(withoutRegistry).every((s) => s.outcome === 'skip')).toBe(true);
  });
});

describe('against @medplum/fhir-router', () => {
  let declared: RunResult;
  let ignored: RunResult;
  beforeAll(async () => {
    ({ declared, ignored } = await runOnMedplum([mflSyncScenario], { helperServer }));
  }, 120_000);

  it('ends every step with an explained verdict, never an error', () => {
    expectExplainedVerdicts([declared, ignored]);
  });
});

describe('a server that ignores partof fails the query step', () => {
  const targets = faultyTargets({ subscriptions: false });
  beforeAll(() => targets.start());
  afterAll(() => targets.close());

  it('names the query that went wrong', async () => {
    const result = await targets.runUnder(
      { rewritePath: (path) => path.replace(/([?&])partof=[^&]*/, '$1_count=50') },
      [mflSyncScenario],
      { helperServer },
    );
    const queries = step(result, 'query-side');
    expect(queries?.outcome).toBe('fail');
    expect(queries?.messages.join(' ')).toMatch(
      /expected the district's 2 facility sites under partof, found \d+/,
    );
  });
});
