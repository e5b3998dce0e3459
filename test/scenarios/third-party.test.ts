/**
 * rest-baseline against a generic third-party server, @medplum/fhir-router over its MemoryRepository
 * (see medplum-server.ts): the scenario must not depend on the bundled server. Whatever the target
 * gets wrong, every step ends in a verdict (pass, fail, warning or skip, never an error of the harness)
 * and every fail and skip says why.
 *
 * What medplum's router gets wrong today (the verdicts are not pinned, only that they are explained):
 * it stores a create under the id in the body (r2), answers an empty Bundle for an unknown type (r10),
 * stores what no R4 server may (r11, r21: the MemoryRepository does not validate), has no self or next
 * links and no paging (r12), finds nothing when a search has an unknown parameter (r15 warns), does no
 * content negotiation and answers a text/plain body 400, not 415 (r16: the express app in front of it
 * does not negotiate either), keeps the good entries of a failed transaction (r20), and forgets a
 * deleted resource's history (r22 warns, since the delete answered 404 rather than 410).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScenarios, type RunResult, type StepResult } from '../../harness/runner/index.js';
import { restBaseline } from '../../harness/scenarios/index.js';
import { startMedplumServer, type RunningThirdParty } from '../support/medplum-server.js';

const VERDICTS = ['pass', 'fail', 'warning', 'skip'];

function stepsOf(result: RunResult): StepResult[] {
  return result.scenarios.flatMap((scenario) => scenario.steps);
}

/** Steps whose verdict is not one of the four, or that fail or skip without saying why. */
function unexplained(result: RunResult): string[] {
  return stepsOf(result)
    .filter(
      (step) =>
        !VERDICTS.includes(step.outcome) ||
        ((step.outcome === 'fail' || step.outcome === 'skip') &&
          !step.messages.some((message) => message.trim().length > 0)),
    )
    .map((step) => `${step.id}: ${step.outcome} ${step.messages.join(' | ')}`);
}

async function runAgainst(server: RunningThirdParty): Promise<RunResult> {
  return runScenarios([restBaseline], { target: { baseUrl: server.url } });
}

describe('rest-baseline against @medplum/fhir-router with a CapabilityStatement', () => {
  let server: RunningThirdParty;
  let result: RunResult;

  beforeAll(async () => {
    server = await startMedplumServer();
    result = await runAgainst(server);
  });
  afterAll(() => server?.close());

  it('completes without an infrastructure error', () => {
    expect(result.infrastructureError).toBeUndefined();
    expect(result.scenarios.map((scenario) => scenario.id)).toEqual(['rest-baseline']);
    expect(stepsOf(result)).toHaveLength(restBaseline.steps.length);
  });

  it('gives every step a verdict, and says why each one failed or was skipped', () => {
    expect(unexplained(result)).toEqual([]);
  });

  it('reads the hand-written CapabilityStatement and plans with it: nothing is skipped for want of a declaration', () => {
    expect(result.capabilities?.note).toBeUndefined();
    expect(result.software).toMatch(/medplum/);
    const capabilities = stepsOf(result).find((step) => step.id === 'r1-capabilities');
    expect(capabilities?.outcome).toBe('pass');
    const undeclared = stepsOf(result).filter((step) =>
      step.messages.some((message) => message.includes('does not declare')),
    );
    expect(undeclared.map((step) => step.id)).toEqual([]);
  });

  it('checks the core interactions the router does implement, and passes them', () => {
    const passed = new Set(
      stepsOf(result)
        .filter((s) => s.outcome === 'pass')
        .map((s) => s.id),
    );
    for (const id of ['r3-read', 'r4-update', 'r7-vread', 'r9-read-missing', 'r13-search-post'])
      expect(passed, id).toContain(id);
  });

  it('deletes what it created', () => {
    expect(result.cleanup.failed).toEqual([]);
    expect(result.cleanup.deleted.length).toBeGreaterThan(0);
  });
});

describe('rest-baseline against @medplum/fhir-router without a CapabilityStatement', () => {
  let server: RunningThirdParty;

  beforeAll(async () => {
    server = await startMedplumServer({ capabilityStatement: false });
  });
  afterAll(() => server?.close());

  it('by default, stops before any step: a /metadata that is no CapabilityStatement is not a FHIR base', async () => {
    const result = await runAgainst(server);
    expect(result.runErrorKind).toBe('configuration');
    expect(result.infrastructureError).toMatch(/not a FHIR base: GET \[base\]\/metadata answered a Bundle/);
    expect(result.scenarios).toEqual([]);
  });

  it('under --capabilities ignore, completes, fails r1, and runs what it could not plan, saying so', async () => {
    const result = await runScenarios([restBaseline], {
      target: { baseUrl: server.url },
      capabilities: 'ignore',
    });
    expect(result.infrastructureError).toBeUndefined();
    expect(unexplained(result)).toEqual([]);
    const steps = stepsOf(result);
    expect(steps.find((step) => step.id === 'r1-capabilities')?.outcome).toBe('fail');
    expect(steps.filter((step) => step.outcome === 'pass').length).toBeGreaterThan(5);
    expect(result.capabilities?.note).toMatch(/not a CapabilityStatement/);
  });
});
