/**
 * Typed keys (`key<T>(name, missing)`): values steps pass to each other through the real engine,
 * against the bundled server. A key's value type is checked at compile time (the @ts-expect-error
 * lines below fail `npm run typecheck` if the check ever stops refusing them); a key nobody saved
 * skips the step with the key's own explanation, and `recall` lets a step go on without it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { key, scenario, step, type StepContext } from '../../harness/runner/index.js';
import { startServer, type RunningServer } from '../../harness/server/server.js';
import { run } from '../support/fake-servers.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ validation: 'off' });
});
afterAll(() => server.close());

const PATIENT = key<{ id: string; family: string }>('patient', 'the create step made no Patient (see it)');
const COUNT = key<number>('count');

describe('typed keys', () => {
  it('carry a value from the step that saves it to the steps that load it', async () => {
    const loaded: unknown[] = [];
    const result = await run(
      [
        scenario({
          id: 'typed',
          title: 'Typed keys',
          steps: [
            step({
              id: 'create',
              title: 'create',
              run: async (t) => {
                const reply = await t.post('Patient', {
                  resourceType: 'Patient',
                  name: [{ family: 'Keyed' }],
                });
                t.expect(reply).status(201);
                t.track(reply.headers.location ?? '');
                t.save(PATIENT, { id: (reply.json as { id: string }).id, family: 'Keyed' });
              },
            }),
            step({
              id: 'read',
              title: 'read',
              run: async (t: StepContext) => {
                const patient = t.load(PATIENT);
                loaded.push(patient.family, t.recall(COUNT));
                t.expect(await t.get(`Patient/${patient.id}`)).status(200);
              },
            }),
          ],
        }),
      ],
      server.url,
    );
    expect(result.scenarios[0]?.steps.map((s) => s.outcome)).toEqual(['pass', 'pass']);
    expect(loaded).toEqual(['Keyed', undefined]);
  });

  it("skip a step whose key no earlier step saved, with the key's explanation", async () => {
    const result = await run(
      [
        scenario({
          id: 'missing',
          title: 'Missing',
          steps: [
            step({ id: 'fails', title: 'fails before saving', run: async (t) => t.fail('no Patient made') }),
            step({ id: 'needs', title: 'needs it', run: async (t) => void t.load(PATIENT) }),
            step({ id: 'plain', title: 'a key without explanation', run: async (t) => void t.load(COUNT) }),
          ],
        }),
      ],
      server.url,
    );
    expect(result.scenarios[0]?.steps.map((s) => [s.outcome, s.messages])).toEqual([
      ['fail', ['no Patient made']],
      ['skip', ['the create step made no Patient (see it)']],
      ['skip', ['needs "count", which no earlier step saved']],
    ]);
  });

  it('refuse, at compile time, a value of another type or a key of another type', () => {
    const checks = (t: StepContext) => {
      // @ts-expect-error a number is not the Patient the key holds
      t.save(PATIENT, 3);
      // @ts-expect-error the key holds a number, not a string
      const text: string = t.load(COUNT);
      // @ts-expect-error a property the key's type does not have
      void t.load(PATIENT).birthDate;
      return text;
    };
    expect(typeof checks).toBe('function');
  });
});
