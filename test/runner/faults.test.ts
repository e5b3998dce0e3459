/**
 * The engine against servers that misbehave on purpose: wrong statuses, invalid or garbage bodies,
 * hangs, resets, an unreachable target and a /metadata that is not a CapabilityStatement. Each fault is
 * a failed or errored step (or the run's infrastructureError) with a clear message; the run completes.
 */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { scenario, step, type ScenarioDefinition } from '../../harness/runner/index.js';
import {
  capabilityStatement,
  fakeServer,
  json,
  onlyStep,
  run,
  fakeTargetsPerTest,
} from '../support/fake-servers.js';

const serve = fakeTargetsPerTest(capabilityStatement({ Patient: ['read', 'create'] }));

const readPatient: ScenarioDefinition = scenario({
  id: 'read-patient',
  title: 'Reads a Patient',
  steps: [
    step({
      id: 'read',
      title: 'read',
      run: async (t) => {
        t.expect(await t.get('Patient/1', { timeoutMs: 300 }))
          .status(200)
          .resourceType('Patient')
          .valid();
      },
    }),
    step({ id: 'after', title: 'runs after the fault', run: async () => undefined }),
  ],
});

describe('faults of the target', () => {
  it('a wrong status and an invalid resource fail the step with expected vs found', async () => {
    const server = await serve((_request, response) =>
      json(response, 201, { resourceType: 'Patient', birthDate: 'yesterday', unknownThing: 1 }),
    );
    const result = await run([readPatient], server.url);
    const read = onlyStep(result);
    expect(read.outcome).toBe('fail');
    expect(read.messages[0]).toBe('GET Patient/1: expected status 200, found 201');
    expect(read.messages[1]).toMatch(/^GET Patient\/1: expected a valid resource, found \d+ errors?: \[/);
    expect(result.scenarios[0]?.steps[1]?.outcome).toBe('pass');
  });

  it('a body that is not JSON, or JSON that is not a resource, fails', async () => {
    const server = await serve((request, response) => {
      if (request.path.endsWith('/1'))
        response.writeHead(200, { 'content-type': 'application/fhir+json' }).end('{"resourceType": "Pat');
      else json(response, 200, [1, 2, 3]);
    });
    const first = onlyStep(await run([readPatient], server.url));
    expect(first.outcome).toBe('fail');
    expect(first.messages).toEqual([
      'GET Patient/1: expected a Patient, found a body that is not JSON (application/fhir+json)',
      'GET Patient/1: expected a valid resource, found a body that is not JSON (application/fhir+json)',
    ]);
    const second = onlyStep(
      await run(
        [
          scenario({
            id: 's',
            title: 's',
            steps: [
              step({
                id: 'x',
                title: 'x',
                run: async (t) =>
                  void t
                    .expect(await t.get('Patient/2'))
                    .resourceType('Patient')
                    .outcome(),
              }),
            ],
          }),
        ],
        server.url,
      ),
    );
    expect(second.messages).toEqual([
      'GET Patient/2: expected a Patient, found JSON without a resourceType',
      'GET Patient/2: expected an OperationOutcome body, found JSON without a resourceType',
    ]);
  });

  it('garbage (HTML with a 500) fails with what was found', async () => {
    const server = await serve((_request, response) =>
      response.writeHead(500, { 'content-type': 'text/html' }).end('<h1>oops</h1>'),
    );
    const read = onlyStep(await run([readPatient], server.url));
    expect(read.outcome).toBe('fail');
    expect(read.messages[0]).toBe('GET Patient/1: expected status 200, found 500');
    expect(read.messages[1]).toBe(
      'GET Patient/1: expected a Patient, found a body that is not JSON (text/html)',
    );
    expect(read.exchanges[0]?.response?.body).toBe('<h1>oops</h1>');
  });

  it('a server that never answers is a timeout: the step errors and the run goes on', async () => {
    const server = await serve(() => undefined);
    const result = await run([readPatient], server.url);
    const read = onlyStep(result);
    expect(read.outcome).toBe('error');
    expect(read.messages).toEqual([`GET ${server.url}/Patient/1: no answer within 300 ms (timeout)`]);
    expect(read.exchanges[0]?.error).toBe(read.messages[0]);
    expect(read.exchanges[0]?.response).toBeUndefined();
    expect(result.scenarios[0]?.steps[1]?.outcome).toBe('pass');
    expect(result.scenarios[0]?.outcome).toBe('error');
  });

  it('a server that stalls in the middle of the body is a timeout too', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/fhir+json', 'content-length': '1000' });
      response.write('{"resourceType":');
    });
    const read = onlyStep(await run([readPatient], server.url));
    expect(read.outcome).toBe('error');
    expect(read.messages[0]).toMatch(/no answer within 300 ms \(timeout\)$/);
  });

  it('a reset connection errors the step with a clear message', async () => {
    const server = await serve((_request, _response, socket) => socket.destroy());
    const read = onlyStep(await run([readPatient], server.url));
    expect(read.outcome).toBe('error');
    expect(read.messages).toEqual([
      `GET ${server.url}/Patient/1: the connection was closed before a complete answer (reset)`,
    ]);
  });

  it('a target without a server is an infrastructure error, with nothing run', async () => {
    const port = await freePort();
    const result = await run([readPatient], `http://127.0.0.1:${port}/fhir`);
    expect(result.infrastructureError).toBe(
      `the target is unreachable: GET http://127.0.0.1:${port}/fhir/metadata: connection refused (is the server running?)`,
    );
    expect(result.scenarios).toEqual([]);
    expect(result.capabilities?.exchange.error).toBeDefined();
  });

  it('a target that hangs on /metadata is unreachable too', async () => {
    const server = await fakeServer(() => undefined);
    const result = await run([readPatient], server.url, { target: { baseUrl: server.url, timeoutMs: 200 } });
    expect(result.infrastructureError).toMatch(
      /^the target is unreachable: .*no answer within 200 ms \(timeout\)$/,
    );
    await server.close();
  });

  it('a host name that does not resolve is unreachable', async () => {
    const result = await run([readPatient], 'http://no-such-host.invalid/fhir', {
      target: { baseUrl: 'http://no-such-host.invalid/fhir', timeoutMs: 5_000 },
    });
    expect(result.infrastructureError).toMatch(/the target is unreachable: .*(cannot be resolved|timeout)/);
  });

  it('bad target options are reported, not thrown, as configuration errors', async () => {
    expect((await run([readPatient], 'ftp://example.org')).runErrorKind).toBe('configuration');
    expect((await run([readPatient], 'ftp://example.org')).infrastructureError).toBe(
      'the server URL "ftp://example.org" must be http:// or https://',
    );
    expect((await run([readPatient], 'not a url')).infrastructureError).toBe(
      'the server URL "not a url" is not a URL',
    );
    const missingCa = await run([readPatient], 'https://example.org', {
      target: { baseUrl: 'https://example.org', caFile: '/nonexistent/ca.pem' },
    });
    expect(missingCa.infrastructureError).toBe('cannot read the CA file /nonexistent/ca.pem: ENOENT');
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
