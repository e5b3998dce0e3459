/**
 * Errors that say whose fault they are: before any step runs, the test command tells the run's
 * configuration (credentials refused, a base URL that is not a FHIR base, a URL without a scheme: exit
 * 2) from the infrastructure (a host that cannot be reached, a server failing: exit 3); neither is ever
 * counted as a conformance failure (exit 1). Each is said in one line.
 */
import { describe, expect, it } from 'vitest';
import { scenario, step } from '../../harness/runner/index.js';
import { capabilityStatement, fakeTargetsPerTest, json, run } from '../support/fake-servers.js';
import { fakeServer } from '../support/fake-servers.js';
import { runCli } from '../support/cli.js';

const readPatient = scenario({
  id: 'read-patient',
  title: 'Reads a Patient',
  steps: [step({ id: 'read', title: 'read', run: async (t) => void (await t.get('Patient/1')) })],
});

const serve = fakeTargetsPerTest(capabilityStatement({ Patient: ['read'] }));

/** A target whose /metadata answers as told (the rest 200 Patient). */
async function metadataAnswering(status: number, type: string, body: string) {
  const server = await fakeServer((request, response) => {
    if (request.path.startsWith('/fhir/metadata'))
      response.writeHead(status, { 'content-type': type }).end(body);
    else json(response, 200, { resourceType: 'Patient', id: '1' });
  });
  return server;
}

describe('the runner says whose fault a failed run is', () => {
  const cases: [string, number, string, string, 'configuration' | 'infrastructure', RegExp][] = [
    [
      'credentials refused',
      401,
      'application/fhir+json',
      '{}',
      'configuration',
      /refused the credentials: .* 401; check --auth/,
    ],
    ['forbidden', 403, 'text/plain', 'no', 'configuration', /refused the credentials: .* 403/],
    [
      'an HTML page',
      200,
      'text/html',
      '<!DOCTYPE html><html></html>',
      'configuration',
      /not a FHIR base: .*answered an HTML page/,
    ],
    [
      'a Bundle',
      200,
      'application/fhir+json',
      '{"resourceType":"Bundle","type":"searchset"}',
      'configuration',
      /not a FHIR base: .*answered a Bundle/,
    ],
    [
      'nothing there',
      404,
      'text/plain',
      'not found',
      'configuration',
      /not a FHIR base: .*answered 404 \(text\/plain\)/,
    ],
    ['a failing server', 503, 'text/plain', 'down', 'infrastructure', /the target failed: .*503/],
  ];
  for (const [label, status, type, body, kind, message] of cases) {
    it(`/metadata answering ${label}: a ${kind} error, no step run`, async () => {
      const server = await metadataAnswering(status, type, body);
      try {
        const result = await run([readPatient], server.url);
        expect(result.runErrorKind).toBe(kind);
        expect(result.infrastructureError).toMatch(message);
        expect(result.scenarios).toEqual([]);
      } finally {
        await server.close();
      }
    });
  }

  it('a target that answers its CapabilityStatement runs', async () => {
    const server = await serve((_request, response) =>
      json(response, 200, { resourceType: 'Patient', id: '1' }),
    );
    const result = await run([readPatient], server.url);
    expect(result.infrastructureError).toBeUndefined();
    expect(result.scenarios[0]?.outcome).toBe('pass');
  });
});

describe('the test command exits with the code of whose fault it is', () => {
  it('a URL without a scheme: 2', async () => {
    const answer = await runCli(['test', '--server', 'localhost:8080/fhir', '--format', 'console']);
    expect(answer.code, answer.stdout + answer.stderr).toBe(2);
  });

  it('a base that answers HTML: 2, said in one line', async () => {
    const server = await metadataAnswering(200, 'text/html', '<html><body>Welcome</body></html>');
    try {
      const answer = await runCli([
        'test',
        '--server',
        server.url,
        '--format',
        'console',
        '--report-dir',
        '/tmp/whose-fault',
      ]);
      expect(answer.code).toBe(2);
      expect(answer.stdout + answer.stderr).toMatch(/Configuration error: the URL is not a FHIR base/);
    } finally {
      await server.close();
    }
  });

  it('an unreachable host: 3', async () => {
    const answer = await runCli([
      'test',
      '--server',
      'http://127.0.0.1:9/fhir',
      '--format',
      'console',
      '--report-dir',
      '/tmp/whose-fault',
    ]);
    expect(answer.code).toBe(3);
    expect(answer.stdout + answer.stderr).toMatch(/Infrastructure error: the target is unreachable/);
  });
});
