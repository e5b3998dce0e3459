/**
 * Capability planning: what a CapabilityStatement declares, skips with the reason, strict failures,
 * steps run anyway under 'ignore', and a /metadata that is not a CapabilityStatement (the plan declares nothing and says why).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CapabilityPlan, scenario, step, type Reply } from '../../harness/runner/index.js';
import {
  capabilityStatement,
  fakeServer,
  json,
  run,
  withMetadata,
  type FakeServer,
} from '../support/fake-servers.js';

const statement = capabilityStatement(
  { Patient: ['read', 'create', 'history-instance'], Claim: ['create'] },
  ['transaction'],
  ['$validate', 'submit'],
);

describe('CapabilityPlan', () => {
  const plan = CapabilityPlan.declaring(statement);

  it('answers from resource types, interactions at both levels, and operations anywhere', () => {
    expect(plan.supports({ resources: ['Patient', 'Claim'] })).toBe(true);
    expect(plan.supports({ interactions: ['Patient:history-instance', 'transaction'] })).toBe(true);
    expect(plan.supports({ operations: ['validate', '$submit'] })).toBe(true);
    expect(
      plan.missing({
        resources: ['Coverage'],
        interactions: ['Patient:update', 'batch'],
        operations: ['everything'],
      }),
    ).toEqual(['Coverage', 'Patient:update', 'batch', '$everything']);
    expect(plan.explain(['Patient:update'])).toBe('the target does not declare Patient:update');
  });

  it('declares nothing for an answer that is not a CapabilityStatement, and says why', () => {
    const reply = (status: number, json: unknown): Reply =>
      ({
        status,
        headers: {},
        text: '',
        json,
        exchange: { request: { method: 'GET', url: '', headers: {} } },
      }) as Reply;
    const notFound = CapabilityPlan.fromMetadata(reply(404, { resourceType: 'OperationOutcome' }));
    expect(notFound.supports({ resources: ['Patient'] })).toBe(false);
    expect(notFound.supports({})).toBe(true);
    expect(notFound.explain(['Patient'])).toBe(
      'the target does not declare Patient (GET [base]/metadata answered 404, not a CapabilityStatement, so the target declares nothing)',
    );
    expect(CapabilityPlan.fromMetadata(reply(200, undefined)).note).toMatch(
      /answered a body that is not JSON/,
    );
    expect(CapabilityPlan.fromMetadata(reply(200, { resourceType: 'Patient' })).note).toMatch(
      /answered a Patient, not/,
    );
  });
});

describe('planning a run', () => {
  const servers: FakeServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  const ran: string[] = [];
  /** What supports() answered in the adapting step: [transaction (declared), Coverage (not)]. */
  const answers: [boolean, boolean][] = [];
  const scenarios = [
    scenario({
      id: 'needs-history',
      title: 'Needs history',
      needs: { interactions: ['Patient:history-type'] },
      steps: [step({ id: 'a', title: 'a', run: async () => void ran.push('needs-history') })],
    }),
    scenario({
      id: 'mixed',
      title: 'Mixed steps',
      steps: [
        step({
          id: 'declared',
          title: 'declared',
          needs: { interactions: ['Patient:read'] },
          run: async () => void ran.push('declared'),
        }),
        step({
          id: 'undeclared',
          title: 'undeclared',
          needs: { operations: ['everything'] },
          run: async () => void ran.push('undeclared'),
        }),
        step({
          id: 'adapts',
          title: 'adapts',
          run: async (t) => {
            answers.push([
              t.supports({ interactions: ['transaction'] }),
              t.supports({ resources: ['Coverage'] }),
            ]);
            expect(t.capabilities?.software?.name).toBe('fake');
          },
        }),
      ],
    }),
  ];

  async function target(): Promise<string> {
    const server = await fakeServer(withMetadata(statement, (_request, response) => json(response, 200, {})));
    servers.push(server);
    return server.url;
  }

  it('skips what the target does not declare, with the reason', async () => {
    ran.length = 0;
    answers.length = 0;
    const result = await run(scenarios, await target());
    expect(answers).toEqual([[true, false]]);
    expect(ran).toEqual(['declared']);
    const [history, mixed] = result.scenarios;
    expect(history).toMatchObject({
      outcome: 'skip',
      messages: ['the target does not declare Patient:history-type'],
    });
    expect(history?.steps.map((s) => [s.outcome, s.messages])).toEqual([
      ['skip', ['the target does not declare Patient:history-type']],
    ]);
    expect(mixed?.outcome).toBe('pass');
    expect(mixed?.steps.map((s) => [s.id, s.outcome, s.messages])).toEqual([
      ['declared', 'pass', []],
      ['undeclared', 'skip', ['the target does not declare $everything']],
      ['adapts', 'pass', []],
    ]);
  });

  it('fails them with strictCapabilities', async () => {
    ran.length = 0;
    const result = await run(scenarios, await target(), { strictCapabilities: true });
    expect(ran).toEqual(['declared']);
    expect(result.scenarios.map((s) => s.outcome)).toEqual(['fail', 'fail']);
    expect(result.scenarios[1]?.steps[1]?.messages).toEqual([
      'the target does not declare $everything (strict capabilities)',
    ]);
  });

  it('runs them anyway with capabilities "ignore", saying in each what the target did not declare', async () => {
    ran.length = 0;
    answers.length = 0;
    const result = await run(scenarios, await target(), { capabilities: 'ignore' });
    expect(ran).toEqual(['needs-history', 'declared', 'undeclared']);
    // Steps that adapt to the target take their full path too.
    expect(answers).toEqual([[true, true]]);
    expect(result.capabilityMode).toBe('ignore');
    expect(result.scenarios[0]?.messages).toEqual([
      'run although the target does not declare Patient:history-type (--capabilities ignore)',
    ]);
    expect(result.scenarios.map((s) => s.outcome)).toEqual(['pass', 'pass']);
    expect(result.scenarios[1]?.steps.map((s) => [s.id, s.outcome, s.messages])).toEqual([
      ['declared', 'pass', []],
      [
        'undeclared',
        'pass',
        ['run although the target does not declare $everything (--capabilities ignore)'],
      ],
      ['adapts', 'pass', []],
    ]);
  });

  it('records the mode: declared by default, strict for strictCapabilities', async () => {
    expect((await run(scenarios, await target())).capabilityMode).toBe('declared');
    expect((await run(scenarios, await target(), { strictCapabilities: true })).capabilityMode).toBe(
      'strict',
    );
  });

  it('a /metadata that is not a CapabilityStatement: not a FHIR base, a configuration error', async () => {
    ran.length = 0;
    const server = await fakeServer((_request, response) =>
      response.writeHead(404, { 'content-type': 'text/plain' }).end('no'),
    );
    servers.push(server);
    const result = await run(scenarios, server.url);
    expect(result.runErrorKind).toBe('configuration');
    expect(result.infrastructureError).toBe(
      'the URL is not a FHIR base: GET [base]/metadata answered 404 (text/plain), not a CapabilityStatement; check the base URL (or pass --capabilities ignore to run anyway)',
    );
    expect(result.scenarios).toEqual([]);
    expect(ran).toEqual([]);
  });

  it('under --capabilities ignore, plans as if nothing were declared and runs everything', async () => {
    ran.length = 0;
    const server = await fakeServer((_request, response) =>
      response.writeHead(404, { 'content-type': 'text/plain' }).end('no'),
    );
    servers.push(server);
    const result = await run(scenarios, server.url, { capabilities: 'ignore' });
    expect(result.infrastructureError).toBeUndefined();
    expect(result.capabilities?.note).toBe(
      'GET [base]/metadata answered 404, not a CapabilityStatement, so the target declares nothing',
    );
    expect(result.scenarios[0]?.steps.length).toBeGreaterThan(0);
  });
});
