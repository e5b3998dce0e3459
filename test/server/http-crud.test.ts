/**
 * Instance interactions over HTTP (http.html#read, #vread, #create, #update, #delete, #patch), $validate
 * and /metadata (http.html#capabilities), against a strict server with IG-conformant Patients.
 */
import { describe, expect, it } from 'vitest';
import {
  call,
  del,
  marker,
  openimisPatient,
  outcomeText,
  post,
  put,
  type Json,
  createPatient,
  serveForFile,
} from '../support/http-server.js';

let base: string;

serveForFile({ validation: 'strict' }, (url) => (base = url));

const created = (resource?: Json) => createPatient(base, resource);

describe('create (http.html#create)', () => {
  it('answers 201 with Location, ETag, Last-Modified and the stored resource with its meta', async () => {
    const answer = await post(`${base}/Patient`, { ...openimisPatient(), id: 'client-chosen' });
    expect(answer.status).toBe(201);
    const { id, meta } = answer.body;
    expect(id).not.toBe('client-chosen');
    expect(meta.versionId).toBe('1');
    expect(Number.isNaN(Date.parse(meta.lastUpdated))).toBe(false);
    expect(answer.headers.get('location')).toBe(`${base}/Patient/${id}/_history/1`);
    expect(answer.headers.get('etag')).toBe('W/"1"');
    expect(answer.headers.get('last-modified')).toBe(new Date(meta.lastUpdated).toUTCString());
    expect(answer.headers.get('content-type')).toMatch(/^application\/fhir\+json/);
  });

  it('refuses a body of another type than the URL with 400 saying so', async () => {
    const answer = await post(`${base}/Observation`, openimisPatient());
    expect(answer.status).toBe(400);
    expect(answer.body.resourceType).toBe('OperationOutcome');
    expect(outcomeText(answer.body)).toMatch(/Patient.*Observation/);
  });
});

describe('read and vread (http.html#read, #vread)', () => {
  it('reads the current version with ETag and Last-Modified', async () => {
    const { id, meta } = await created();
    const answer = await call(`${base}/Patient/${id}`);
    expect(answer.status).toBe(200);
    expect(answer.body.id).toBe(id);
    expect(answer.headers.get('etag')).toBe(`W/"${meta.versionId}"`);
    expect(answer.headers.get('last-modified')).toBe(new Date(meta.lastUpdated).toUTCString());
  });

  it('HEAD answers the headers of a read without a body', async () => {
    const { id } = await created();
    const answer = await call(`${base}/Patient/${id}`, { method: 'HEAD' });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('etag')).toBe('W/"1"');
    expect(answer.text).toBe('');
  });

  it('vread gives each version as it was, and 404 for a version that never existed', async () => {
    const patient = await created();
    const renamed = { ...patient, name: [{ ...patient.name[0], family: marker('Renamed') }] };
    expect((await put(`${base}/Patient/${patient.id}`, renamed)).status).toBe(200);
    const first = await call(`${base}/Patient/${patient.id}/_history/1`);
    expect(first.status).toBe(200);
    expect(first.body.name[0].family).toBe(patient.name[0].family);
    expect(first.headers.get('etag')).toBe('W/"1"');
    const second = await call(`${base}/Patient/${patient.id}/_history/2`);
    expect(second.body.name[0].family).toBe(renamed.name[0].family);
    const none = await call(`${base}/Patient/${patient.id}/_history/9`);
    expect(none.status).toBe(404);
    expect(none.body.resourceType).toBe('OperationOutcome');
  });

  it('404 with a not-found OperationOutcome for an unknown id', async () => {
    const answer = await call(`${base}/Patient/${marker('unknown')}`);
    expect(answer.status).toBe(404);
    expect(answer.body.issue[0].code).toBe('not-found');
  });
});

describe('update (http.html#update)', () => {
  it('makes a new version with a new ETag, Location and body', async () => {
    const patient = await created();
    const answer = await put(`${base}/Patient/${patient.id}`, { ...patient, gender: 'female' });
    expect(answer.status).toBe(200);
    expect(answer.body.meta.versionId).toBe('2');
    expect(answer.body.gender).toBe('female');
    expect(answer.headers.get('etag')).toBe('W/"2"');
    expect(answer.headers.get('location')).toBe(`${base}/Patient/${patient.id}/_history/2`);
  });

  it('creates on update: a PUT to a new id answers 201 and keeps the id', async () => {
    const id = marker('client-id-');
    const answer = await put(`${base}/Patient/${id}`, { ...openimisPatient(), id });
    expect(answer.status).toBe(201);
    expect(answer.body.id).toBe(id);
    expect(answer.headers.get('location')).toBe(`${base}/Patient/${id}/_history/1`);
    expect((await call(`${base}/Patient/${id}`)).status).toBe(200);
  });

  it('refuses a body whose id differs from the URL, or that has none, with 400 naming Patient.id', async () => {
    const patient = await created();
    const other = await put(`${base}/Patient/${patient.id}`, { ...patient, id: 'another' });
    expect(other.status).toBe(400);
    expect(other.body.issue[0].expression).toEqual(['Patient.id']);
    const { id: _id, ...withoutId } = patient;
    const missing = await put(`${base}/Patient/${patient.id}`, withoutId);
    expect(missing.status).toBe(400);
    expect(outcomeText(missing.body)).toMatch(/no id/);
  });
});

describe('delete (http.html#delete)', () => {
  it('deletes; a read then answers 410 with an OperationOutcome; deleting again is harmless', async () => {
    const { id } = await created();
    const answer = await del(`${base}/Patient/${id}`);
    expect([200, 204]).toContain(answer.status);
    const read = await call(`${base}/Patient/${id}`);
    expect(read.status).toBe(410);
    expect(read.body.resourceType).toBe('OperationOutcome');
    expect(read.body.issue[0].code).toBe('deleted');
    expect([200, 204]).toContain((await del(`${base}/Patient/${id}`)).status);
    // The version before the delete is still there to vread.
    expect((await call(`${base}/Patient/${id}/_history/1`)).status).toBe(200);
  });

  it('answers 204 without a body under Prefer: return=minimal', async () => {
    const { id } = await created();
    const answer = await del(`${base}/Patient/${id}`, { prefer: 'return=minimal' });
    expect(answer.status).toBe(204);
    expect(answer.text).toBe('');
  });

  it('404 for an id that never existed', async () => {
    expect((await del(`${base}/Patient/${marker('never')}`)).status).toBe(404);
  });

  it('with a stale If-Match: 412 and the resource stays', async () => {
    const patient = await created();
    await put(`${base}/Patient/${patient.id}`, { ...patient, gender: 'female' });
    const answer = await del(`${base}/Patient/${patient.id}`, { 'if-match': 'W/"1"' });
    expect(answer.status).toBe(412);
    expect((await call(`${base}/Patient/${patient.id}`)).status).toBe(200);
  });
});

describe('patch with JSON Patch (http.html#patch)', () => {
  const patchHeaders = { 'content-type': 'application/json-patch+json' };

  it('applies the operations and makes a new version', async () => {
    const { id } = await created();
    const answer = await call(`${base}/Patient/${id}`, {
      method: 'PATCH',
      headers: patchHeaders,
      body: [
        { op: 'replace', path: '/gender', value: 'female' },
        { op: 'add', path: '/telecom/-', value: { system: 'email', value: 'a@example.org' } },
      ],
    });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body.gender).toBe('female');
    expect(answer.body.telecom.at(-1).value).toBe('a@example.org');
    expect(answer.body.meta.versionId).toBe('2');
    expect(answer.headers.get('etag')).toBe('W/"2"');
    expect((await call(`${base}/Patient/${id}`)).body.gender).toBe('female');
  });

  it('422 when a test operation fails or the patch would change the id; nothing changes', async () => {
    const { id } = await created();
    const failedTest = await call(`${base}/Patient/${id}`, {
      method: 'PATCH',
      headers: patchHeaders,
      body: [
        { op: 'test', path: '/gender', value: 'female' },
        { op: 'replace', path: '/gender', value: 'other' },
      ],
    });
    expect(failedTest.status).toBe(422);
    expect(failedTest.body.resourceType).toBe('OperationOutcome');
    const newId = await call(`${base}/Patient/${id}`, {
      method: 'PATCH',
      headers: patchHeaders,
      body: [{ op: 'replace', path: '/id', value: 'other' }],
    });
    expect(newId.status).toBe(422);
    const read = await call(`${base}/Patient/${id}`);
    expect(read.body.meta.versionId).toBe('1');
    expect(read.body.gender).toBe('male');
  });

  it('a patch that breaks the profile is refused like any write (strict: 422)', async () => {
    const { id } = await created();
    const answer = await call(`${base}/Patient/${id}`, {
      method: 'PATCH',
      headers: patchHeaders,
      body: [{ op: 'remove', path: '/birthDate' }],
    });
    expect([400, 422]).toContain(answer.status);
    expect(answer.body.resourceType).toBe('OperationOutcome');
  });

  it('412 on a stale If-Match, 404 on an unknown id, 400 on a body that is not a patch', async () => {
    const patient = await created();
    await put(`${base}/Patient/${patient.id}`, { ...patient, gender: 'female' });
    const patch = [{ op: 'replace', path: '/gender', value: 'male' }];
    const stale = await call(`${base}/Patient/${patient.id}`, {
      method: 'PATCH',
      headers: { ...patchHeaders, 'if-match': 'W/"1"' },
      body: patch,
    });
    expect(stale.status).toBe(412);
    const unknown = await call(`${base}/Patient/${marker('none')}`, {
      method: 'PATCH',
      headers: patchHeaders,
      body: patch,
    });
    expect(unknown.status).toBe(404);
    const notAPatch = await call(`${base}/Patient/${patient.id}`, {
      method: 'PATCH',
      headers: patchHeaders,
      body: { op: 'replace' },
    });
    expect([400, 422]).toContain(notAPatch.status);
    expect(notAPatch.body.resourceType).toBe('OperationOutcome');
  });
});

describe('$validate (resource-operation-validate)', () => {
  it('answers an OperationOutcome without errors for a conformant resource, and stores nothing', async () => {
    const family = marker('Validated');
    const answer = await post(`${base}/Patient/$validate`, openimisPatient(undefined, family));
    expect(answer.status).toBe(200);
    expect(answer.body.resourceType).toBe('OperationOutcome');
    expect(answer.body.issue.filter((i: Json) => i.severity === 'error')).toEqual([]);
    expect((await call(`${base}/Patient?family=${family}`)).body.total).toBe(0);
  });

  it('reports the errors of a broken resource with where they are', async () => {
    const answer = await post(`${base}/Patient/$validate`, { resourceType: 'Patient', gender: 'nope' });
    expect(answer.status).toBe(200);
    const errors = answer.body.issue.filter((i: Json) => i.severity === 'error');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.some((i: Json) => String(i.expression).includes('Patient.gender'))).toBe(true);
  });

  it('takes Parameters with a resource and a profile, and validates a stored resource by id', async () => {
    const profile = 'https://openimis.github.io/openimis_fhir_r4_ig/StructureDefinition/openimis-patient';
    const parameters = {
      resourceType: 'Parameters',
      parameter: [
        { name: 'resource', resource: { resourceType: 'Patient', gender: 'male' } },
        { name: 'profile', valueUri: profile },
      ],
    };
    const answer = await post(`${base}/Patient/$validate`, parameters);
    expect(answer.status).toBe(200);
    expect(answer.body.issue.some((i: Json) => i.severity === 'error')).toBe(true);
    const { id } = await created();
    const stored = await post(`${base}/Patient/${id}/$validate`, undefined);
    expect(stored.status).toBe(200);
    expect(stored.body.resourceType).toBe('OperationOutcome');
  });

  it('404 for an operation the server does not have', async () => {
    const answer = await post(`${base}/Patient/$nope`, { resourceType: 'Parameters' });
    expect(answer.status).toBe(404);
    expect(answer.body.resourceType).toBe('OperationOutcome');
  });
});

describe('capabilities (http.html#capabilities)', () => {
  it('describes what the server does: R4, formats, interactions, search parameters, $validate', async () => {
    const answer = await call(`${base}/metadata`);
    expect(answer.status).toBe(200);
    const statement = answer.body;
    expect(statement.resourceType).toBe('CapabilityStatement');
    expect(statement.fhirVersion).toMatch(/^4\.0\./);
    expect(statement.kind).toBe('instance');
    expect(statement.format).toEqual(
      expect.arrayContaining(['application/fhir+json', 'application/fhir+xml']),
    );
    expect(statement.patchFormat).toContain('application/json-patch+json');
    const rest = statement.rest[0];
    expect(rest.mode).toBe('server');
    expect(rest.interaction.map((i: Json) => i.code)).toEqual(
      expect.arrayContaining(['transaction', 'batch', 'search-system', 'history-system']),
    );
    const patient = rest.resource.find((r: Json) => r.type === 'Patient');
    expect(patient.interaction.map((i: Json) => i.code)).toEqual(
      expect.arrayContaining(['read', 'vread', 'update', 'patch', 'delete', 'create', 'search-type']),
    );
    expect(patient.supportedProfile).toContain(
      'https://openimis.github.io/openimis_fhir_r4_ig/StructureDefinition/openimis-patient',
    );
    expect(patient.operation?.map((o: Json) => o.name)).toContain('validate');
    expect(patient.conditionalCreate).toBe(true);
    expect(patient.conditionalUpdate).toBe(true);
  });

  it('every search parameter it declares for Patient and Observation is understood (strict handling)', async () => {
    const statement = (await call(`${base}/metadata`)).body;
    const sample: Record<string, string> = {
      string: 'x',
      token: 'x',
      date: '2020',
      number: '1',
      quantity: '1',
      reference: 'Patient/x',
      uri: 'http://example.org/x',
    };
    const refused: string[] = [];
    for (const type of ['Patient', 'Observation']) {
      const resource = statement.rest[0].resource.find((r: Json) => r.type === type);
      expect(resource.searchParam.length).toBeGreaterThan(5);
      for (const param of resource.searchParam as Json[]) {
        const value = sample[param.type];
        if (value === undefined) continue; // composite and special take values of their own
        const answer = await call(`${base}/${type}?${param.name}=${encodeURIComponent(value)}`, {
          headers: { prefer: 'handling=strict' },
        });
        expect([200, 400], `${type}?${param.name}`).toContain(answer.status);
        if (answer.status === 400 && /Unknown search parameter/i.test(outcomeText(answer.body)))
          refused.push(`${type}?${param.name}: ${outcomeText(answer.body)}`);
      }
    }
    expect(refused).toEqual([]);
  });

  it('a method a path does not take answers 405 with Allow', async () => {
    const answer = await call(`${base}/metadata`, { method: 'DELETE' });
    expect(answer.status).toBe(405);
    expect(answer.headers.get('allow')).toBe('GET');
    expect(answer.body.resourceType).toBe('OperationOutcome');
  });
});
