/**
 * Target authentication: the openIMIS login against the bundled server (a new token on expiry and on a
 * 401, with one retry), bearer and basic headers, target headers, and secrets kept out of the results.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scenario, step, type RunResult } from '../../harness/runner/index.js';
import { startServer, type RunningServer } from '../../harness/server/server.js';
import {
  capabilityStatement,
  fakeServer,
  json,
  onlyStep,
  run,
  withMetadata,
} from '../support/fake-servers.js';

const PASSWORD = 'admin-secret-123';
const clock = { offset: 0 };
let server: RunningServer;

beforeAll(async () => {
  server = await startServer({
    validation: 'off',
    auth: {
      users: [{ username: 'Admin', password: PASSWORD }],
      tokenLifetimeSeconds: 600,
      now: () => Date.now() + clock.offset,
    },
  });
});
afterAll(() => server.close());

const openimis = { kind: 'openimis', user: 'Admin', password: PASSWORD } as const;

function secretsIn(result: RunResult): string[] {
  const text = JSON.stringify(result);
  return [PASSWORD, 'eyJ'].filter((secret) => text.includes(secret));
}

describe('openIMIS login', () => {
  it('logs in, sends the token, and renews it on a 401 (retrying the request once)', async () => {
    clock.offset = 0;
    const result = await run(
      [
        scenario({
          id: 'auth',
          title: 'auth',
          steps: [
            step({
              id: 'create',
              title: 'create',
              run: async (t) => {
                const created = await t.post('Patient', { resourceType: 'Patient', active: true });
                t.expect(created).status(201);
                t.track(created.headers.location ?? '');
                // The server's clock jumps past the token's expiry: the next request gets a 401, the
                // client logs in again and retries.
                clock.offset = 700_000;
                t.expect(await t.get(`Patient/${(created.json as { id: string }).id}`)).status(200);
              },
            }),
            step({
              id: 'own-authorization',
              title: 'a step may send its own',
              run: async (t) => {
                t.expect(await t.get('Patient', { headers: { authorization: 'Bearer nonsense' } })).status(
                  401,
                );
                t.expect(await t.get('Patient', { headers: { authorization: '' } }))
                  .status(401)
                  .outcome();
              },
            }),
          ],
        }),
      ],
      server.url,
      { target: { baseUrl: server.url, auth: openimis } },
    );
    expect(result.scenarios[0]?.steps.map((s) => [s.outcome, s.messages])).toEqual([
      ['pass', []],
      ['pass', []],
    ]);
    expect(result.cleanup.failed).toEqual([]);
    expect(result.cleanup.deleted).toHaveLength(1);
    const sent = result.scenarios[0]?.steps[0]?.exchanges[0]?.request.headers.authorization;
    expect(sent).toBe('Bearer ***');
    expect(secretsIn(result)).toEqual([]);
  });

  it('a wrong password is an infrastructure error, said once, with no secret', async () => {
    clock.offset = 0;
    const result = await run(
      [
        scenario({
          id: 'bad',
          title: 'bad',
          steps: [step({ id: 'read', title: 'read', run: async (t) => void (await t.get('Patient')) })],
        }),
      ],
      server.url,
      { target: { baseUrl: server.url, auth: { ...openimis, password: 'wrong-password' } } },
    );
    expect(result.infrastructureError).toBe(
      `cannot log in to the target: the openIMIS login at ${server.url}/login/ answered 401: check the user name and password`,
    );
    expect(result.runErrorKind).toBe('configuration');
    expect(result.scenarios).toEqual([]);
    expect(JSON.stringify(result)).not.toContain('wrong-password');
  });
});

describe('tokens against a server that counts logins', () => {
  it('renews a token shortly before it expires, and tries login after login/', async () => {
    let logins = 0;
    let issued = 0;
    const target = await fakeServer(
      withMetadata(capabilityStatement({ Patient: ['read'] }), (request, response) => {
        if (request.path === '/fhir/login/') return json(response, 404, {}, 'application/json');
        if (request.path === '/fhir/login') {
          logins += 1;
          expect(JSON.parse(request.body)).toEqual({ username: 'u', password: 'p' });
          // Expires in 10 s: inside the client's safety margin, so every request logs in again.
          return json(
            response,
            200,
            { token: `t${++issued}`, exp: Math.floor(Date.now() / 1000) + 10 },
            'application/json',
          );
        }
        json(response, request.headers.authorization === `Bearer t${issued}` ? 200 : 401, {
          resourceType: 'Patient',
        });
      }),
    );
    try {
      const result = await run(
        [
          scenario({
            id: 'renew',
            title: 'renew',
            steps: [
              step({
                id: 'twice',
                title: 'twice',
                run: async (t) => {
                  t.expect(await t.get('Patient/1')).status(200);
                  t.expect(await t.get('Patient/1')).status(200);
                },
              }),
            ],
          }),
        ],
        target.url,
        { target: { baseUrl: target.url, auth: { kind: 'openimis', user: 'u', password: 'p' } } },
      );
      expect(onlyStep(result).outcome).toBe('pass');
      // The login before the scenarios, then one per request (each token is inside the margin).
      expect(logins).toBe(3);
      // login/ answered 404 once; login is remembered.
      expect(target.seen.filter((request) => request.path === '/fhir/login/')).toHaveLength(1);
    } finally {
      await target.close();
    }
  });
});

describe('bearer, basic and target headers', () => {
  it('sends them, lets a request drop or override one, and redacts credentials in the record', async () => {
    const target = await fakeServer(
      withMetadata(capabilityStatement({}), (_request, response) =>
        json(response, 200, { resourceType: 'Bundle' }),
      ),
    );
    try {
      const scenarios = [
        scenario({
          id: 'headers',
          title: 'headers',
          steps: [
            step({
              id: 'send',
              title: 'send',
              run: async (t) => {
                await t.get('Patient');
                await t.get('Patient', { headers: { Accept: '', 'X-Tenant': 'b' } });
                await t.post('Patient/_search', new URLSearchParams({ family: 'Doe' }));
              },
            }),
          ],
        }),
      ];
      const bearer = await run(scenarios, target.url, {
        target: {
          baseUrl: target.url,
          auth: { kind: 'bearer', token: 'sekrit-token' },
          headers: { 'X-Tenant': 'a' },
        },
      });
      const [first, second, form] = target.seen.filter((request) => !request.path.endsWith('/metadata'));
      expect(first?.headers).toMatchObject({
        authorization: 'Bearer sekrit-token',
        accept: 'application/fhir+json',
        'x-tenant': 'a',
      });
      // fetch itself sends Accept: */* when there is none.
      expect(second?.headers.accept).toBe('*/*');
      expect(second?.headers['x-tenant']).toBe('b');
      expect(form?.headers['content-type']).toBe('application/x-www-form-urlencoded');
      expect(form?.body).toBe('family=Doe');
      expect(JSON.stringify(bearer)).not.toContain('sekrit-token');

      target.seen.length = 0;
      const basic = await run(scenarios, target.url, {
        target: { baseUrl: target.url, auth: { kind: 'basic', user: 'ann', password: 'pw-9' } },
      });
      expect(target.seen[1]?.headers.authorization).toBe(
        `Basic ${Buffer.from('ann:pw-9').toString('base64')}`,
      );
      expect(onlyStep(basic).exchanges[0]?.request.headers.authorization).toBe('Basic ***');
    } finally {
      await target.close();
    }
  });
});
