/**
 * Validation on write over HTTP, in its three modes. This file runs three servers (one per mode), the
 * one exception to one server per file, since the mode is fixed when a server starts.
 */
import type { RunningServer } from '../../harness/server/server.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, marker, openimisPatient, post, put, serve, type Json } from '../support/http-server.js';

const PROFILE = 'https://openimis.github.io/openimis_fhir_r4_ig/StructureDefinition/openimis-patient';
let strict: RunningServer;
let lenient: RunningServer;
let off: RunningServer;

beforeAll(async () => {
  [strict, lenient, off] = await Promise.all([
    serve({ validation: 'strict' }),
    serve({ validation: 'lenient' }),
    serve({ validation: 'off' }),
  ]);
});
afterAll(() => Promise.all([strict, lenient, off].map((server) => server.close())));

/** Conformant to base R4, not to openimis-patient (no birthDate, no Code identifier). */
function profileBreaker(): Json {
  const { birthDate: _birthDate, identifier: _identifier, ...rest } = openimisPatient();
  return rest;
}

/** Breaks base R4: a gender outside its required value set. */
const baseBreaker = () => ({ ...openimisPatient(), gender: 'robot' });

const errors = (outcome: Json) => (outcome.issue as Json[]).filter((i) => i.severity === 'error');
const expressions = (outcome: Json) => (outcome.issue as Json[]).flatMap((i) => i.expression ?? []);

describe('strict (the default)', () => {
  it('stores a resource conforming to the IG profile, whether or not it claims it', async () => {
    expect((await post(`${strict.url}/Patient`, openimisPatient())).status).toBe(201);
    const claiming = await post(`${strict.url}/Patient`, openimisPatient(undefined, undefined, true));
    expect(claiming.status, claiming.text).toBe(201);
    expect(claiming.body.meta.profile).toEqual([PROFILE]);
  });

  it('refuses a profile breaker with 422 and an OperationOutcome naming the elements', async () => {
    const answer = await post(`${strict.url}/Patient`, profileBreaker());
    expect(answer.status).toBe(422);
    expect(answer.body.resourceType).toBe('OperationOutcome');
    expect(errors(answer.body).length).toBeGreaterThan(0);
    expect(expressions(answer.body).some((e) => e.startsWith('Patient'))).toBe(true);
  });

  it('refuses a base R4 breaker with 400 naming Patient.gender', async () => {
    const answer = await post(`${strict.url}/Patient`, baseBreaker());
    expect(answer.status).toBe(400);
    expect(expressions(answer.body)).toContain('Patient.gender');
  });

  it('an update that breaks the profile is refused and the stored version stays', async () => {
    const patient = (await post(`${strict.url}/Patient`, openimisPatient())).body;
    const { birthDate: _birthDate, ...broken } = patient;
    const answer = await put(`${strict.url}/Patient/${patient.id}`, broken);
    expect(answer.status).toBe(422);
    expect((await call(`${strict.url}/Patient/${patient.id}`)).body.meta.versionId).toBe('1');
  });

  it('in a transaction, the failing entry is named in the expressions and nothing is stored', async () => {
    const family = marker('Tx');
    const answer = await post(strict.url, {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { resource: openimisPatient(undefined, family), request: { method: 'POST', url: 'Patient' } },
        { resource: profileBreaker(), request: { method: 'POST', url: 'Patient' } },
      ],
    });
    expect(answer.status).toBe(422);
    expect(expressions(answer.body).some((e) => e.startsWith('Bundle.entry[1].resource'))).toBe(true);
    expect((await call(`${strict.url}/Patient?family=${family}`)).body.total).toBe(0);
  });
});

describe('lenient', () => {
  it('stores a profile breaker and reports the profile issues as warnings under return=OperationOutcome', async () => {
    const answer = await post(`${lenient.url}/Patient`, profileBreaker(), {
      prefer: 'return=OperationOutcome',
    });
    expect(answer.status).toBe(201);
    expect(answer.body.resourceType).toBe('OperationOutcome');
    const issues = answer.body.issue as Json[];
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.every((i) => i.severity === 'warning')).toBe(true);
    const location = answer.headers.get('location') as string;
    expect((await call(location)).status).toBe(200);
  });

  it('still refuses a base R4 breaker with 400', async () => {
    const answer = await post(`${lenient.url}/Patient`, baseBreaker());
    expect(answer.status).toBe(400);
    expect(expressions(answer.body)).toContain('Patient.gender');
  });

  it('a conformant resource with return=OperationOutcome gets an informational outcome', async () => {
    const answer = await post(`${lenient.url}/Patient`, openimisPatient(), {
      prefer: 'return=OperationOutcome',
    });
    expect(answer.status).toBe(201);
    expect((answer.body.issue as Json[]).every((i) => i.severity === 'information')).toBe(true);
  });
});

describe('off', () => {
  it('stores even a base R4 breaker, but still wants a resource of the URL type', async () => {
    const answer = await post(`${off.url}/Patient`, baseBreaker());
    expect(answer.status).toBe(201);
    expect(answer.body.gender).toBe('robot');
    expect((await post(`${off.url}/Patient`, { resourceType: 'Observation' })).status).toBe(400);
  });
});
