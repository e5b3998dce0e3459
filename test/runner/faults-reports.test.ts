/**
 * Whatever the target does wrong, the reports stay valid: the JUnit XML parses, and every TestReport
 * validates against the core TestReport with our own validator.
 */
import { XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scenario, step, type RunResult } from '../../harness/runner/index.js';
import { toJUnit, toTestReports } from '../../harness/runner/reporters/index.js';
import { createValidator } from '../../harness/validator/index.js';
import {
  capabilityStatement,
  fakeServer,
  json,
  run,
  withMetadata,
  type FakeServer,
} from '../support/fake-servers.js';

const faults = scenario({
  id: 'faults',
  title: 'Survives a broken server',
  steps: [
    step({
      id: 'wrong-status',
      title: 'a wrong status and an invalid body',
      run: async (t) => {
        t.expect(await t.get('Patient/wrong'))
          .status(200)
          .resourceType('Patient')
          .valid();
      },
    }),
    step({
      id: 'garbage',
      title: 'garbage instead of JSON',
      run: async (t) => {
        t.expect(await t.get('Patient/garbage'))
          .status(200)
          .resourceType('Patient');
      },
    }),
    step({
      id: 'hang',
      title: 'a request that never gets an answer',
      run: async (t) => {
        t.expect(await t.get('Patient/hang', { timeoutMs: 200 })).status(200);
      },
    }),
    step({
      id: 'reset',
      title: 'a connection reset',
      run: async (t) => {
        t.expect(await t.get('Patient/reset')).status(200);
      },
    }),
    step({
      id: 'markup',
      title: 'markup and control characters in the answer',
      run: async (t) => {
        t.expect(await t.get('Patient/markup')).status(200);
      },
    }),
  ],
});

describe('reports of a run against a broken server', () => {
  let server: FakeServer;
  let result: RunResult;

  beforeAll(async () => {
    server = await fakeServer(
      withMetadata(capabilityStatement({ Patient: ['read'] }), (request, response, socket) => {
        if (request.path.endsWith('/wrong'))
          return json(response, 201, { resourceType: 'Patient', birthDate: 'never' });
        if (request.path.endsWith('/garbage')) {
          response.writeHead(200, { 'Content-Type': 'application/fhir+json' });
          return response.end('{"resourceType": "Pat\u0000ient", oops');
        }
        if (request.path.endsWith('/hang')) return; // never answers
        if (request.path.endsWith('/reset')) return socket.destroy();
        response.writeHead(500, { 'Content-Type': 'text/html' });
        response.end('<html>]]><script>alert(1)</script>\u0007\u001b[31m</html>');
      }),
    );
    result = await run([faults], server.url);
  });
  afterAll(() => server.close());

  it('turns every fault into a failed or errored step, and completes', () => {
    const outcomes = result.scenarios[0]?.steps.map((s) => s.outcome);
    expect(outcomes).toEqual(['fail', 'fail', 'error', 'error', 'fail']);
    for (const s of result.scenarios[0]?.steps ?? []) expect(s.messages.join(' ')).not.toBe('');
  });

  it('writes JUnit XML that parses', () => {
    const xml = toJUnit(result);
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toContain('<failure');
    expect(xml).toContain('<error');
  });

  it('writes TestReports that are valid against the core TestReport', () => {
    const validator = createValidator();
    const reports = toTestReports(result);
    expect(reports.length).toBe(1);
    for (const report of reports) {
      const errors = validator
        .validateDetailed(report)
        .issues.filter((i) => i.severity === 'error' || i.severity === 'fatal');
      expect(errors).toEqual([]);
      expect(report.result).toBe('fail');
    }
  });
});
