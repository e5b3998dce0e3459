/**
 * The engine against the bundled reference server: outcomes from expectations (MUST fails, SHOULD warns),
 * thrown errors, skips, setup and teardown, values between steps, cleanup in reverse order, keep,
 * unique values and parallel runs, and live events.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scenario, step, type RunEvent, type StepContext } from '../../harness/runner/index.js';
import { startServer, type RunningServer } from '../../harness/server/server.js';
import { onlyStep, run } from '../support/fake-servers.js';

let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ validation: 'off' });
});
afterAll(() => server.close());

/** Creates a Patient with a run-unique identifier, tracks it, and saves its id. */
async function createPatient(t: StepContext, family = 'Runner'): Promise<string> {
  const reply = await t.post('Patient', {
    resourceType: 'Patient',
    identifier: [{ system: 'urn:test', value: t.unique('pat') }],
    name: [{ family }],
  });
  t.expect(reply).status(201).resourceType('Patient');
  t.track(reply.headers.location ?? '');
  const id = (reply.json as { id: string }).id;
  t.save('id', id);
  return id;
}

describe('a scenario against the bundled server', () => {
  it('passes when every expectation holds, and keeps the exchanges with their step', async () => {
    const result = await run(
      [
        scenario({
          id: 'crud',
          title: 'Create then read',
          steps: [
            step({ id: 'create', title: 'Create', run: async (t) => void (await createPatient(t)) }),
            step({
              id: 'read',
              title: 'Read',
              run: async (t) => {
                const reply = await t.get(`Patient/${t.load<string>('id')}`);
                t.expect(reply)
                  .status(200)
                  .statusClass(2)
                  .header('ETag', /^W\/"/)
                  .resourceType('Patient')
                  .valid()
                  .fhirpath("name.first().family = 'Runner'")
                  .fhirpath('name.family', 'Runner')
                  .that((r) => r.text.length > 0, 'a body');
              },
            }),
          ],
        }),
      ],
      server.url,
    );
    expect(result.infrastructureError).toBeUndefined();
    expect(result.software).toMatch(/openimis/i);
    expect(result.capabilities?.exchange.response?.status).toBe(200);
    const [scenarioResult] = result.scenarios;
    expect(scenarioResult?.outcome).toBe('pass');
    expect(scenarioResult?.steps.map((s) => [s.id, s.outcome, s.messages])).toEqual([
      ['create', 'pass', []],
      ['read', 'pass', []],
    ]);
    const read = scenarioResult?.steps[1]?.exchanges[0];
    expect(read?.request.method).toBe('GET');
    expect(read?.request.headers.accept).toBe('application/fhir+json');
    expect(read?.response?.status).toBe(200);
    expect(typeof read?.response?.durationMs).toBe('number');
    const created = scenarioResult?.steps[0]?.exchanges[0];
    expect(created?.request.headers['content-type']).toBe('application/fhir+json');
    expect(JSON.parse(created?.request.body ?? '{}')).toMatchObject({ resourceType: 'Patient' });
  });

  it('fails a step once with every broken MUST, and warns on broken SHOULDs only', async () => {
    const result = await run(
      [
        scenario({
          id: 'expectations',
          title: 'Broken expectations',
          steps: [
            step({
              id: 'must',
              title: 'MUST',
              run: async (t) => {
                const reply = await t.get('Patient/does-not-exist');
                t.expect(reply).status(200).resourceType('Patient').header('X-Nothing');
                t.should(reply).outcome();
              },
            }),
            step({
              id: 'should-level',
              title: 'SHOULD step',
              level: 'SHOULD',
              run: async (t) => {
                t.expect(await t.get('Patient/does-not-exist')).status(200);
              },
            }),
            step({
              id: 'warn-only',
              title: 'warn',
              run: async (t) => {
                t.should(await t.get('Patient/does-not-exist')).header('ETag');
                t.warn('a note');
              },
            }),
            step({
              id: 'invalid-resource',
              title: 'valid()',
              run: async (t) => {
                const reply = await t.post('Patient', { resourceType: 'Patient', gender: 'sometimes' });
                t.track(reply.headers.location ?? '');
                t.expect(reply)
                  .valid()
                  .fhirpath('gender', 'male')
                  .fhirpath('gender.exists().not()')
                  .fhirpath('(((');
              },
            }),
          ],
        }),
      ],
      server.url,
    );
    const [must, shouldLevel, warnOnly, invalid] = result.scenarios[0]?.steps ?? [];
    expect(must?.outcome).toBe('fail');
    expect(must?.messages).toEqual([
      expect.stringMatching(/^GET Patient\/does-not-exist: expected status 200, found 404/),
      'GET Patient/does-not-exist: expected a Patient, found OperationOutcome',
      'GET Patient/does-not-exist: expected header X-Nothing, found none',
    ]);
    expect(shouldLevel?.outcome).toBe('warning');
    expect(shouldLevel?.messages[0]).toMatch(
      /^\(SHOULD\) GET Patient\/does-not-exist: expected status 200, found 404/,
    );
    expect(warnOnly?.outcome).toBe('warning');
    expect(warnOnly?.messages).toEqual([
      '(SHOULD) GET Patient/does-not-exist: expected header ETag, found none',
      '(SHOULD) a note',
    ]);
    expect(invalid?.outcome).toBe('fail');
    expect(invalid?.messages[0]).toMatch(
      /expected a valid resource, found \d+ errors?: \[BIND_REQUIRED_NOT_IN_VS\] Patient\.gender/,
    );
    expect(invalid?.messages[1]).toBe('POST Patient: expected gender = "male", found "sometimes"');
    expect(invalid?.messages[2]).toBe(
      'POST Patient: expected gender.exists().not() to be true, found [false]',
    );
    expect(invalid?.messages[3]).toMatch(/the FHIRPath expression \(\(\( cannot be evaluated/);
    expect(result.scenarios[0]?.outcome).toBe('fail');
  });

  it('errors a step whose code throws, with the message and no stack', async () => {
    const result = await run(
      [
        scenario({
          id: 'throws',
          title: 'Throws',
          steps: [
            step({
              id: 'boom',
              title: 'boom',
              run: async (t) => {
                t.fail('seen first');
                await Promise.resolve();
                throw new TypeError('cannot read properties of undefined');
              },
            }),
          ],
        }),
      ],
      server.url,
    );
    const boom = onlyStep(result);
    expect(boom.outcome).toBe('error');
    expect(boom.messages).toEqual([
      'seen first',
      "the step's code threw: cannot read properties of undefined",
    ]);
    expect(JSON.stringify(result)).not.toMatch(/\bat .+:\d+:\d+/);
    expect(result.scenarios[0]?.outcome).toBe('error');
  });

  it('skips with a reason, and skips a step that loads what no earlier step saved', async () => {
    const result = await run(
      [
        scenario({
          id: 'skips',
          title: 'Skips',
          steps: [
            step({
              id: 'explicit',
              title: 'skip',
              run: async (t) => t.skip('supply --patient-id to run this'),
            }),
            step({ id: 'load', title: 'load', run: async (t) => void t.load('never-saved') }),
          ],
        }),
      ],
      server.url,
    );
    const steps = result.scenarios[0]?.steps ?? [];
    expect(steps.map((s) => [s.outcome, s.messages])).toEqual([
      ['skip', ['supply --patient-id to run this']],
      ['skip', ['needs "never-saved", which no earlier step saved']],
    ]);
    expect(result.scenarios[0]?.outcome).toBe('skip');
  });

  it('a broken setup skips the steps, and teardown still runs', async () => {
    const ran: string[] = [];
    const result = await run(
      [
        scenario({
          id: 'setup-broken',
          title: 'Setup broken',
          setup: [
            step({
              id: 'seed',
              title: 'seed',
              run: async (t) => {
                ran.push('seed');
                t.expect(await t.get('metadata')).status(500);
              },
            }),
          ],
          steps: [step({ id: 'main', title: 'main', run: async () => void ran.push('main') })],
          teardown: [step({ id: 'tidy', title: 'tidy', run: async () => void ran.push('tidy') })],
        }),
      ],
      server.url,
    );
    expect(ran).toEqual(['seed', 'tidy']);
    expect(result.scenarios[0]?.steps.map((s) => [s.phase, s.id, s.outcome])).toEqual([
      ['setup', 'seed', 'fail'],
      ['step', 'main', 'skip'],
      ['teardown', 'tidy', 'pass'],
    ]);
    expect(result.scenarios[0]?.steps[1]?.messages).toEqual(['not run: the setup step seed ended with fail']);
  });

  it('teardown runs after a step errors, and values are scoped to their scenario', async () => {
    const result = await run(
      [
        scenario({
          id: 'first',
          title: 'first',
          steps: [
            step({ id: 'save', title: 'save', run: async (t) => t.save('x', 1) }),
            step({
              id: 'boom',
              title: 'boom',
              run: async () => {
                throw new Error('bad');
              },
            }),
          ],
          teardown: [step({ id: 'tidy', title: 'tidy', run: async (t) => void t.load('x') })],
        }),
        scenario({
          id: 'second',
          title: 'second',
          steps: [step({ id: 'load', title: 'l', run: async (t) => void t.load('x') })],
        }),
      ],
      server.url,
    );
    expect(result.scenarios.map((s) => s.steps.map((x) => x.outcome))).toEqual([
      ['pass', 'error', 'pass'],
      ['skip'],
    ]);
  });
});

describe('cleanup', () => {
  const chain = scenario({
    id: 'chain',
    title: 'Creates three resources',
    steps: [
      step({
        id: 'create',
        title: 'create',
        run: async (t) => {
          const patient = await createPatient(t);
          const group = await t.post('Group', {
            resourceType: 'Group',
            type: 'person',
            actual: true,
            member: [{ entity: { reference: `Patient/${patient}` } }],
          });
          t.track(`Group/${(group.json as { id: string }).id}`);
          const versioned = await t.put(`Patient/${patient}`, {
            resourceType: 'Patient',
            id: patient,
            active: true,
          });
          // Tracked again through a versioned Location: one deletion, at its first position.
          t.track(versioned.headers['content-location'] ?? `${t.base}/Patient/${patient}/_history/2`);
          t.track('not a reference');
        },
      }),
    ],
  });

  it('deletes every tracked resource in reverse order', async () => {
    const result = await run([chain], server.url);
    const created = result.scenarios[0]?.steps[0];
    expect(created?.outcome).toBe('warning');
    expect(created?.messages).toEqual([
      '(SHOULD) cannot track not a reference for deletion: not a Type/id reference',
    ]);
    expect(result.cleanup.kept).toBe(false);
    expect(result.cleanup.failed).toEqual([]);
    expect(result.cleanup.deleted).toHaveLength(2);
    expect(result.cleanup.deleted[0]).toMatch(/^Group\//);
    expect(result.cleanup.deleted[1]).toMatch(/^Patient\//);
    for (const reference of result.cleanup.deleted) {
      expect((await fetch(`${server.url}/${reference}`)).status).toBe(410);
    }
  });

  it('keeps them with keep', async () => {
    const result = await run([chain], server.url, { keep: true });
    expect(result.cleanup).toMatchObject({ kept: true, deleted: [], failed: [] });
    expect(result.cleanup.remaining).toHaveLength(2);
    for (const reference of result.cleanup.remaining) {
      expect((await fetch(`${server.url}/${reference}`)).status).toBe(200);
    }
  });
});

describe('unique values, parallel runs and events', () => {
  const lookup = (id: string) =>
    scenario({
      id,
      title: `lookup ${id}`,
      steps: [
        step({
          id: 'create-and-find',
          title: 'Create, then find by identifier',
          run: async (t) => {
            const value = t.unique('mrn');
            expect(value).toMatch(/^mrn-[a-z0-9]+-\d+$/);
            const created = await t.post('Patient', {
              resourceType: 'Patient',
              identifier: [{ system: 'urn:parallel', value }],
            });
            t.track(created.headers.location ?? '');
            const found = await t.get(`Patient?identifier=urn:parallel|${value}`);
            t.expect(found).status(200).fhirpath('total', 1);
          },
        }),
      ],
    });

  it('runs scenarios in parallel, and parallel runs do not collide', async () => {
    const scenarios = ['a', 'b', 'c', 'd'].map((id) => lookup(`lookup-${id}`));
    const [first, second] = await Promise.all([
      run(scenarios, server.url, { parallel: 4 }),
      run(scenarios, server.url, { parallel: 2 }),
    ]);
    for (const result of [first, second]) {
      expect(result.scenarios.map((s) => s.outcome)).toEqual(['pass', 'pass', 'pass', 'pass']);
      expect(result.scenarios.map((s) => s.id)).toEqual(scenarios.map((s) => s.id));
    }
    expect(first?.runId).not.toBe(second?.runId);
  });

  it('uses the given run id in unique values', async () => {
    let value = '';
    await run(
      [
        scenario({
          id: 'u',
          title: 'u',
          steps: [step({ id: 's', title: 's', run: async (t) => void (value = t.unique()) })],
        }),
      ],
      server.url,
      {
        runId: 'fixedrun',
      },
    );
    expect(value).toBe('oi-fixedrun-1');
  });

  it('selects by id and tag, and refuses unknown ids', async () => {
    const tagged = { ...lookup('tagged'), tags: ['fast'] };
    const result = await run([lookup('plain'), tagged], server.url, { select: { tags: ['fast'] } });
    expect(result.scenarios.map((s) => s.id)).toEqual(['tagged']);
    const byId = await run([lookup('plain'), tagged], server.url, { select: { ids: ['plain'] } });
    expect(byId.scenarios.map((s) => s.id)).toEqual(['plain']);
    const unknown = await run([lookup('plain')], server.url, { select: { ids: ['nope'] } });
    expect(unknown.infrastructureError).toBe('no scenario has the id "nope" (known: plain)');
  });

  it('reports progress events, and a throwing listener does not stop the run', async () => {
    const events: RunEvent['kind'][] = [];
    const result = await run([lookup('one')], server.url, {
      onEvent: (event) => {
        events.push(event.kind);
        throw new Error('reporter bug');
      },
    });
    expect(result.scenarios[0]?.outcome).toBe('pass');
    expect(events).toEqual([
      'run-started',
      'scenario-started',
      'step-finished',
      'scenario-finished',
      'run-finished',
    ]);
  });

  it('refuses malformed scenarios as a whole, before running anything', async () => {
    const result = await run(
      [
        { id: 'Bad Id', title: '', steps: [{ id: 'x', title: 'x' }] } as never,
        scenario({ id: 'dup', title: 'd', steps: [] }),
        scenario({ id: 'dup', title: 'd', steps: [] }),
      ],
      server.url,
    );
    expect(result.scenarios).toEqual([]);
    expect(result.infrastructureError).toContain('scenario 1.id must be a kebab-case string, found "Bad Id"');
    expect(result.infrastructureError).toContain('scenario 1 (Bad Id).steps[0].run must be a function');
    expect(result.infrastructureError).toContain(
      'scenario 3: the scenario id "dup" is already used by scenario 2',
    );
  });
});

describe('eventually and the receiver', () => {
  it('retries until a value comes, and fails past its deadline', async () => {
    let tries = 0;
    const result = await run(
      [
        scenario({
          id: 'eventually',
          title: 'eventually',
          steps: [
            step({
              id: 'comes',
              title: 'comes',
              run: async (t) => {
                const value = await t.eventually(async () => (++tries >= 3 ? 'done' : undefined), {
                  backoffMs: 5,
                });
                t.expect(await t.get('metadata')).that(() => value === 'done', 'the value');
              },
            }),
            step({
              id: 'never',
              title: 'never',
              run: async (t) => {
                await t.eventually(async () => undefined, {
                  deadlineMs: 120,
                  backoffMs: 10,
                  maxBackoffMs: 40,
                });
              },
            }),
          ],
        }),
      ],
      server.url,
    );
    const [comes, never] = result.scenarios[0]?.steps ?? [];
    expect(comes?.outcome).toBe('pass');
    expect(tries).toBe(3);
    expect(never?.outcome).toBe('fail');
    expect(never?.messages[0]).toMatch(
      /^expected the condition to hold within 120 ms, found it did not after \d+ tries$/,
    );
  });

  it('records what it receives and answers the chosen status', async () => {
    let receiverUrl = '';
    const result = await run(
      [
        scenario({
          id: 'receiver',
          title: 'receiver',
          steps: [
            step({
              id: 'notify',
              title: 'notify',
              run: async (t) => {
                const receiver = await t.receiver();
                receiverUrl = receiver.url;
                expect(await t.receiver()).toBe(receiver);
                const first = await t.post(`${receiver.url}/hook/a`, {
                  resourceType: 'Bundle',
                  type: 'history',
                });
                t.expect(first).status(200);
                receiver.answerWith(503);
                t.expect(
                  await t.post(`${receiver.url}/other`, 'ping', {
                    headers: { 'content-type': 'text/plain' },
                  }),
                ).status(503);
                const notification = await t.eventually(async () => receiver.received('/hook')[0]);
                t.expect(first).that(
                  () => notification.method === 'POST' && notification.body.includes('history'),
                  'the hook',
                );
                t.expect(first).that(
                  () => notification.headers['content-type'] === 'application/fhir+json',
                  'its type',
                );
                t.expect(first).that(() => receiver.received().length === 2, 'two requests');
                t.expect(first).that(() => !Number.isNaN(Date.parse(notification.at)), 'a time');
              },
            }),
          ],
        }),
      ],
      server.url,
    );
    expect(onlyStep(result)).toMatchObject({ outcome: 'pass', messages: [] });
    // Closed at the end of the run.
    await expect(fetch(receiverUrl)).rejects.toThrow();
  });
});
