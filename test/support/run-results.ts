/**
 * RunResults for the reporter tests, built by hand: every outcome, exchanges with hostile bodies, an
 * infrastructure failure and an empty run.
 */
import type { Exchange, Outcome, RunResult, ScenarioResult, StepResult } from '../../harness/runner/types.js';

export const HOSTILE = '</script><script>alert(1)</script><img src=x onerror=alert(2)>';

export function exchange(overrides: Partial<Exchange> = {}): Exchange {
  return {
    request: {
      method: 'POST',
      url: 'http://localhost:8080/fhir/Patient',
      headers: { 'content-type': 'application/fhir+json', authorization: 'Bearer s3cr3t-token' },
      body: '{"resourceType":"Patient","name":[{"family":"Doe"}]}',
    },
    response: {
      status: 201,
      headers: {
        'content-type': 'application/fhir+json',
        location: 'http://localhost:8080/fhir/Patient/1/_history/1',
      },
      body: '{"resourceType":"Patient","id":"1","meta":{"versionId":"1"}}',
      durationMs: 12,
    },
    ...overrides,
  };
}

export function step(id: string, outcome: Outcome, overrides: Partial<StepResult> = {}): StepResult {
  return {
    id,
    title: `Step ${id}`,
    level: 'MUST',
    phase: 'step',
    outcome,
    messages: [],
    exchanges: [],
    startedAt: '2025-03-01T10:00:01.000Z',
    durationMs: 15,
    ...overrides,
  };
}

function scenario(
  id: string,
  outcome: Outcome,
  steps: StepResult[],
  overrides: Partial<ScenarioResult> = {},
): ScenarioResult {
  return {
    id,
    title: `Scenario ${id}`,
    tags: [],
    requirements: [],
    outcome,
    messages: [],
    steps,
    startedAt: '2025-03-01T10:00:00.000Z',
    durationMs: 250,
    ...overrides,
  };
}

const BASE: Omit<RunResult, 'scenarios'> = {
  target: 'http://localhost:8080/fhir',
  bundledServer: true,
  runId: 'r1a2b3',
  startedAt: '2025-03-01T10:00:00.000Z',
  durationMs: 1234,
  tool: { name: 'openimis-fhir', version: '0.1.0' },
  ig: { packageId: 'openimis.fhir.r4', version: '1.0.0' },
  software: 'openimis-fhir reference server 0.1.0',
  capabilityMode: 'declared',
  inputs: [
    { name: 'insuree-code', value: '070707070', source: 'given', scenarios: ['claim'] },
    { name: 'password', value: '***', source: 'given', scenarios: ['claim'] },
  ],
  cleanup: { kept: false, deleted: ['Patient/1'], failed: [], remaining: [], undeletable: [] },
};

/** A run with every outcome: 5 scenarios, 11 steps. */
export function mixedRun(): RunResult {
  return {
    ...BASE,
    capabilities: {
      exchange: exchange({
        request: {
          method: 'GET',
          url: 'http://localhost:8080/fhir/metadata',
          headers: { accept: 'application/fhir+json' },
        },
        response: {
          status: 200,
          headers: { 'content-type': 'application/fhir+json' },
          body: '{"resourceType":"CapabilityStatement","status":"active"}',
          durationMs: 4,
        },
      }),
      note: 'planned from the declared capabilities',
    },
    cleanup: {
      kept: false,
      deleted: ['Patient/1'],
      failed: [
        { reference: 'Patient/2', message: 'expected status 200 or 204, found 409', exchange: exchange() },
      ],
      remaining: [],
      undeletable: [],
    },
    scenarios: [
      scenario(
        'rest-baseline',
        'warning',
        [
          step('create-patient', 'pass', {
            phase: 'setup',
            title: 'Create a patient to read',
            exchanges: [exchange()],
          }),
          step('read-patient', 'pass', {
            title: 'Server returns the patient it created',
            says: 'FHIR R4 http.html#read: the server returns the resource with status 200',
            exchanges: [
              exchange({
                request: { method: 'GET', url: 'http://localhost:8080/fhir/Patient/1', headers: {} },
              }),
            ],
          }),
          step('etag', 'warning', {
            level: 'SHOULD',
            title: 'Server sends an ETag',
            messages: ['expected header ETag, found none'],
          }),
          step('delete-patient', 'pass', { phase: 'teardown', title: 'Delete the patient' }),
        ],
        {
          description: 'The basic REST interactions <b>every</b> server supports.',
          tags: ['rest'],
          requirements: ['https://hl7.org/fhir/R4/http.html', 'javascript:alert(3)'],
        },
      ),
      scenario('validation', 'fail', [
        step('invalid-patient', 'fail', {
          title: 'Server returns valid resources',
          messages: [
            'expected valid against http://example.org/StructureDefinition/p, found 2 errors: [STRUCT_REQUIRED] Patient.identifier: at least 1 required; [STRUCT_TYPE] Patient.birthDate: "x" is not a date',
            'expected status 200, found 500',
          ],
          exchanges: [
            exchange({
              request: { method: 'GET', url: 'http://localhost:8080/fhir/Patient/evil', headers: {} },
              response: {
                status: 200,
                headers: { 'content-type': 'text/html' },
                body: `<html>${HOSTILE} ]]> and \u0001\u0007 control chars</html>`,
                durationMs: 3,
              },
            }),
          ],
        }),
        step('search', 'pass', { title: 'Search by name' }),
      ]),
      scenario('subscriptions', 'skip', [], {
        messages: ['the target does not declare Subscription:create'],
      }),
      scenario('history', 'error', [
        step('history-instance', 'error', {
          title: 'Server returns the history <of> a "resource" & its versions',
          messages: ['request timed out after 30000 ms\nGET http://localhost:8080/fhir/Patient/1/_history'],
          exchanges: [
            {
              request: { method: 'GET', url: 'http://localhost:8080/fhir/Patient/1/_history', headers: {} },
              error: 'timed out after 30000 ms',
            },
          ],
        }),
        step('history-type', 'skip', { messages: ['the target does not declare Patient:history-type'] }),
      ]),
      scenario('batch', 'pass', [
        step('batch', 'pass', { title: 'Server processes a batch' }),
        step('batch-empty', 'pass', { title: 'Server accepts an empty batch' }),
        step('transaction', 'skip', { messages: ['no transaction support declared'] }),
      ]),
    ],
  };
}

/** The target could not be reached: nothing ran. */
export function infrastructureRun(): RunResult {
  return {
    ...BASE,
    software: undefined,
    cleanup: { kept: false, deleted: [], failed: [], remaining: [], undeletable: [] },
    scenarios: [],
    infrastructureError:
      'cannot read http://localhost:8080/fhir/metadata: connect ECONNREFUSED 127.0.0.1:8080',
  };
}

/** No scenario was selected. */
export function emptyRun(): RunResult {
  return {
    ...BASE,
    cleanup: { kept: false, deleted: [], failed: [], remaining: [], undeletable: [] },
    scenarios: [],
  };
}
