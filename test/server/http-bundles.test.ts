/**
 * Batch and transaction over HTTP (http.html#transaction): atomicity checked by searching afterwards,
 * urn:uuid references rewritten, ifNoneExist and ifMatch in entries, per-entry outcomes in a batch.
 */
import { describe, expect, it } from 'vitest';
import {
  TEST_SYSTEM,
  call,
  identifiedPatient,
  marker,
  matchIds,
  post,
  type Json,
  serveForFile,
} from '../support/http-server.js';

let base: string;

serveForFile({ validation: 'lenient' }, (url) => (base = url));

const bundle = (type: 'batch' | 'transaction', entry: Json[]) => ({ resourceType: 'Bundle', type, entry });
const create = (resource: Json, fullUrl?: string, extra: Json = {}) => ({
  ...(fullUrl ? { fullUrl } : {}),
  resource,
  request: { method: 'POST', url: resource.resourceType, ...extra },
});
const identifierQuery = (value: string) => `identifier=${encodeURIComponent(`${TEST_SYSTEM}|${value}`)}`;

async function count(value: string, type = 'Patient'): Promise<number> {
  return (await call(`${base}/${type}?${identifierQuery(value)}`)).body.total as number;
}

function coverage(value: string, beneficiary: string): Json {
  return {
    resourceType: 'Coverage',
    status: 'active',
    identifier: [{ system: TEST_SYSTEM, value }],
    beneficiary: { reference: beneficiary },
    payor: [{ reference: beneficiary }],
  };
}

describe('transaction', () => {
  it('stores every entry, answers in request order, and rewrites urn:uuid references', async () => {
    const value = marker('t');
    const uuid = `urn:uuid:${crypto.randomUUID()}`;
    const answer = await post(
      base,
      bundle('transaction', [create(coverage(value, uuid)), create(identifiedPatient(value), uuid)]),
    );
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body.type).toBe('transaction-response');
    const [coverageEntry, patientEntry] = answer.body.entry;
    expect(coverageEntry.response.status).toMatch(/^201/);
    expect(coverageEntry.response.location).toMatch(/^Coverage\/[^/]+\/_history\/1$/);
    expect(coverageEntry.response.etag).toBe('W/"1"');
    expect(patientEntry.response.location).toMatch(/^Patient\/[^/]+\/_history\/1$/);
    const patientId = patientEntry.response.location.split('/')[1];
    const coverageId = coverageEntry.response.location.split('/')[1];
    const stored = (await call(`${base}/Coverage/${coverageId}`)).body;
    expect(stored.beneficiary.reference).toBe(`Patient/${patientId}`);
    expect(stored.payor[0].reference).toBe(`Patient/${patientId}`);
    expect(await count(value)).toBe(1);
  });

  it('one bad entry: 4xx with an OperationOutcome naming the entry, and nothing is stored', async () => {
    const value = marker('t');
    const answer = await post(
      base,
      bundle('transaction', [
        create(identifiedPatient(value)),
        create(coverage(value, 'Patient/whatever')),
        create({ ...identifiedPatient(value), gender: 'not-a-gender' }),
      ]),
    );
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expect(answer.body.resourceType).toBe('OperationOutcome');
    expect(JSON.stringify(answer.body)).toMatch(/Bundle\.entry\[2\]/);
    expect(await count(value)).toBe(0);
    expect(await count(value, 'Coverage')).toBe(0);
  });

  it('a failed delete or update inside makes the whole transaction fail: nothing changes', async () => {
    const value = marker('t');
    const kept = (await post(`${base}/Patient`, identifiedPatient(value))).body;
    const other = (await post(`${base}/Patient`, identifiedPatient(marker('t')))).body;
    const answer = await post(
      base,
      bundle('transaction', [
        { request: { method: 'DELETE', url: `Patient/${other.id}` } },
        create(identifiedPatient(value)),
        {
          resource: { ...kept, gender: 'male' },
          request: { method: 'PUT', url: `Patient/${kept.id}`, ifMatch: 'W/"7"' },
        },
      ]),
    );
    expect(answer.status).toBe(412);
    expect(answer.body.resourceType).toBe('OperationOutcome');
    expect((await call(`${base}/Patient/${other.id}`)).status).toBe(200);
    const read = await call(`${base}/Patient/${kept.id}`);
    expect(read.status).toBe(200);
    expect(read.body.meta.versionId).toBe('1');
    expect(await count(value)).toBe(1);
  });

  it('ifNoneExist: an existing match answers 200 with it, and references point to it', async () => {
    const value = marker('t');
    const existing = (await post(`${base}/Patient`, identifiedPatient(value))).body;
    const uuid = `urn:uuid:${crypto.randomUUID()}`;
    const answer = await post(
      base,
      bundle('transaction', [
        create(identifiedPatient(value), uuid, { ifNoneExist: identifierQuery(value) }),
        create(coverage(value, uuid)),
      ]),
    );
    expect(answer.status, answer.text).toBe(200);
    const [patientEntry, coverageEntry] = answer.body.entry;
    expect(patientEntry.response.status).toMatch(/^200/);
    expect(patientEntry.response.location).toMatch(new RegExp(`^Patient/${existing.id}/`));
    const coverageId = coverageEntry.response.location.split('/')[1];
    expect((await call(`${base}/Coverage/${coverageId}`)).body.beneficiary.reference).toBe(
      `Patient/${existing.id}`,
    );
    expect(await count(value)).toBe(1);
  });

  it('ifNoneExist without a match creates; with several matches the transaction fails', async () => {
    const value = marker('t');
    const first = await post(
      base,
      bundle('transaction', [
        create(identifiedPatient(value), undefined, { ifNoneExist: identifierQuery(value) }),
      ]),
    );
    expect(first.body.entry[0].response.status).toMatch(/^201/);
    await post(`${base}/Patient`, identifiedPatient(value));
    const several = await post(
      base,
      bundle('transaction', [
        create(identifiedPatient(value), undefined, { ifNoneExist: identifierQuery(value) }),
      ]),
    );
    expect(several.status).toBe(412);
    expect(await count(value)).toBe(2);
  });

  it('ifMatch: the current version updates (200), a stale one fails the transaction (412)', async () => {
    const patient = (await post(`${base}/Patient`, identifiedPatient(marker('t')))).body;
    const update = (ifMatch: string) =>
      post(
        base,
        bundle('transaction', [
          { resource: patient, request: { method: 'PUT', url: `Patient/${patient.id}`, ifMatch } },
        ]),
      );
    const current = await update('W/"1"');
    expect(current.status).toBe(200);
    expect(current.body.entry[0].response.status).toMatch(/^200/);
    expect(current.body.entry[0].response.etag).toBe('W/"2"');
    const stale = await update('W/"1"');
    expect(stale.status).toBe(412);
    expect(stale.body.resourceType).toBe('OperationOutcome');
    expect((await call(`${base}/Patient/${patient.id}`)).body.meta.versionId).toBe('2');
  });

  it('deletes, conditional updates and reads in one transaction; reads see the writes', async () => {
    const value = marker('t');
    const doomed = (await post(`${base}/Patient`, identifiedPatient(marker('t')))).body;
    const answer = await post(
      base,
      bundle('transaction', [
        { request: { method: 'DELETE', url: `Patient/${doomed.id}` } },
        {
          resource: identifiedPatient(value),
          request: { method: 'PUT', url: `Patient?${identifierQuery(value)}` },
        },
        { request: { method: 'GET', url: `Patient?${identifierQuery(value)}` } },
      ]),
    );
    expect(answer.status, answer.text).toBe(200);
    const [deleted, put, read] = answer.body.entry;
    expect(deleted.response.status).toMatch(/^20[04]/);
    expect(put.response.status).toMatch(/^201/);
    expect(read.response.status).toMatch(/^200/);
    expect(read.resource.total).toBe(1);
    expect((await call(`${base}/Patient/${doomed.id}`)).status).toBe(410);
  });

  it('two entries changing the same resource: 400 and nothing stored', async () => {
    const value = marker('t');
    const id = marker('same');
    const resource = { ...identifiedPatient(value), id };
    const answer = await post(
      base,
      bundle('transaction', [
        { resource, request: { method: 'PUT', url: `Patient/${id}` } },
        { resource, request: { method: 'PUT', url: `Patient/${id}` } },
      ]),
    );
    expect(answer.status).toBe(400);
    expect((await call(`${base}/Patient/${id}`)).status).toBe(404);
  });
});

describe('batch', () => {
  it('runs each entry on its own: the bad one reports 4xx with an outcome, the others succeed', async () => {
    const value = marker('b');
    const answer = await post(
      base,
      bundle('batch', [
        create(identifiedPatient(value)),
        create({ ...identifiedPatient(value), gender: 'not-a-gender' }),
        { request: { method: 'GET', url: `Patient/${marker('missing')}` } },
        create(identifiedPatient(value)),
      ]),
    );
    expect(answer.status).toBe(200);
    expect(answer.body.type).toBe('batch-response');
    const entries = answer.body.entry;
    expect(entries.map((e: Json) => e.response.status.slice(0, 3))).toEqual(['201', '400', '404', '201']);
    expect(entries[1].response.outcome.resourceType).toBe('OperationOutcome');
    expect(entries[2].response.outcome.issue[0].code).toBe('not-found');
    expect(entries[0].response.location).toMatch(/Patient\/[^/]+\/_history\/1$/);
    expect(await count(value)).toBe(2);
  });

  it('reads and searches in a batch answer with resources and searchsets', async () => {
    const value = marker('b');
    const patient = (await post(`${base}/Patient`, identifiedPatient(value))).body;
    const answer = await post(
      base,
      bundle('batch', [
        { request: { method: 'GET', url: `Patient/${patient.id}` } },
        { request: { method: 'GET', url: `Patient?${identifierQuery(value)}` } },
      ]),
    );
    const [read, search] = answer.body.entry;
    expect(read.resource.id).toBe(patient.id);
    expect(read.response.etag).toBe('W/"1"');
    expect(matchIds(search.resource)).toEqual([patient.id]);
  });
});

describe('what the base URL refuses', () => {
  it('a Bundle of another type, or a body that is not a Bundle: 400 with an OperationOutcome', async () => {
    const collection = await post(base, { resourceType: 'Bundle', type: 'collection' });
    expect(collection.status).toBe(400);
    expect(collection.body.issue[0].expression).toEqual(['Bundle.type']);
    const patient = await post(base, identifiedPatient(marker('b')));
    expect(patient.status).toBe(400);
  });

  it('an entry without a request, or with a bad method: 400 saying which entry', async () => {
    const noRequest = await post(base, bundle('transaction', [{ resource: identifiedPatient('x') }]));
    expect(noRequest.status).toBe(400);
    expect(noRequest.body.issue[0].expression).toEqual(['Bundle.entry[0].request']);
    const badMethod = await post(base, bundle('batch', [{ request: { method: 'FETCH', url: 'Patient' } }]));
    expect(badMethod.status).toBe(400);
    expect(badMethod.body.issue[0].expression).toEqual(['Bundle.entry[0].request.method']);
  });
});
