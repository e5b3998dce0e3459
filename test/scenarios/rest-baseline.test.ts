/**
 * The rest-baseline scenario: well-formed (stable kebab-case ids R1..R22, a level and a clause on every
 * step), and passing every step against the bundled reference server with strict IG validation, which
 * also proves that the Patients and Coverages it writes conform to the openIMIS profiles.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScenarios, type RunResult } from '../../harness/runner/index.js';
import { builtInScenarios, restBaseline } from '../../harness/scenarios/index.js';
import { startServer, type RunningServer } from '../../harness/server/server.js';

describe('the rest-baseline definition', () => {
  it('is built in', () => {
    expect(builtInScenarios).toContain(restBaseline);
  });

  it('has one step per check R1..R22, in order, each with a kebab-case id, a level and a clause', () => {
    const ids = restBaseline.steps.map((step) => step.id);
    expect(ids).toHaveLength(22);
    ids.forEach((id, index) => expect(id).toMatch(new RegExp(`^r${index + 1}-[a-z0-9]+(-[a-z0-9]+)*$`)));
    for (const step of restBaseline.steps) {
      expect(step.level, step.id).toMatch(/^(MUST|SHOULD)$/);
      expect(step.says, step.id).toMatch(/https:\/\//);
    }
  });
});

describe('rest-baseline against the bundled server', () => {
  let server: RunningServer;
  let result: RunResult;

  beforeAll(async () => {
    server = await startServer({ port: 0, validation: 'strict' });
    result = await runScenarios([restBaseline], { target: { baseUrl: server.url } });
  });
  afterAll(() => server?.close());

  it('passes every step', () => {
    const [scenario] = result.scenarios;
    const notPassed = (scenario?.steps ?? [])
      .filter((step) => step.outcome !== 'pass')
      .map((step) => `${step.id}: ${step.outcome} ${step.messages.join(' | ')}`);
    expect(notPassed).toEqual([]);
    expect(scenario?.outcome).toBe('pass');
  });

  it('deletes everything it created', async () => {
    expect(result.cleanup.failed).toEqual([]);
    expect(result.cleanup.deleted.length).toBeGreaterThan(10);
    for (const type of ['Patient', 'Coverage']) {
      const answer = await fetch(`${server.url}/${type}?_summary=count`);
      const bundle = (await answer.json()) as { total?: number };
      expect(bundle.total, `${type} left on the server`).toBe(0);
    }
  });
});
