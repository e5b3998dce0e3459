/**
 * The FHIR REST baseline of workflows.md §1, one test per check (R1..R22), against a strict server with
 * IG-conformant resources. Each MUST of the table is an assertion; where the table allows a choice, the
 * test accepts each allowed answer.
 */
import { expect, it } from 'vitest';
import {
  call,
  del,
  marker,
  matchIds,
  openimisCoverage,
  openimisPatient,
  post,
  put,
  tick,
  type Answer,
  type Json,
  createPatient,
  serveForFile,
} from '../support/http-server.js';

let base: string;

serveForFile({ validation: 'strict' }, (url) => (base = url));

const created = (resource?: Json) => createPatient(base, resource);

function expectOutcome(answer: Answer): void {
  expect(answer.body?.resourceType).toBe('OperationOutcome');
  expect(answer.body.issue.length).toBeGreaterThan(0);
}

const link = (bundle: Json, relation: string) =>
  (bundle.link as Json[]).find((l) => l.relation === relation)?.url as string | undefined;

/** The Code identifier of openimis-patient has no system: `|code` searches for exactly that. */
const byCode = (code: string) => `identifier=${encodeURIComponent(`|${code}`)}`;

it('R1 GET metadata: 200 CapabilityStatement, fhirVersion 4.0.x', async () => {
  const answer = await call(`${base}/metadata`);
  expect(answer.status).toBe(200);
  expect(answer.body.resourceType).toBe('CapabilityStatement');
  expect(answer.body.fhirVersion).toMatch(/^4\.0\.\d+$/);
});

it('R2 POST Patient with an id: 201, Location of the version, client id ignored, ETag, Last-Modified, meta', async () => {
  const answer = await post(`${base}/Patient`, { ...openimisPatient(), id: 'chosen-by-client' });
  expect(answer.status).toBe(201);
  const { id, meta } = answer.body;
  expect(id).not.toBe('chosen-by-client');
  expect(answer.headers.get('location')).toBe(`${base}/Patient/${id}/_history/${meta.versionId}`);
  expect(answer.headers.get('etag')).toBe(`W/"${meta.versionId}"`);
  expect(answer.headers.get('last-modified')).toBeTruthy();
  expect(meta.versionId).toBeTruthy();
  expect(meta.lastUpdated).toBeTruthy();
  expect((await call(`${base}/Patient/chosen-by-client`)).status).toBe(404);
});

it('R3 GET Patient/{id}: 200, ETag equals W/"{meta.versionId}"', async () => {
  const { id } = await created();
  const answer = await call(`${base}/Patient/${id}`);
  expect(answer.status).toBe(200);
  expect(answer.headers.get('etag')).toBe(`W/"${answer.body.meta.versionId}"`);
});

it('R4 PUT with If-Match of the current version: 200, new versionId, new ETag', async () => {
  const patient = await created();
  const answer = await put(`${base}/Patient/${patient.id}`, patient, {
    'if-match': `W/"${patient.meta.versionId}"`,
  });
  expect(answer.status).toBe(200);
  expect(answer.body.meta.versionId).not.toBe(patient.meta.versionId);
  expect(answer.headers.get('etag')).toBe(`W/"${answer.body.meta.versionId}"`);
});

it('R5 PUT with a stale If-Match: 412 + OperationOutcome', async () => {
  const patient = await created();
  const etag = `W/"${patient.meta.versionId}"`;
  expect((await put(`${base}/Patient/${patient.id}`, patient, { 'if-match': etag })).status).toBe(200);
  const stale = await put(`${base}/Patient/${patient.id}`, patient, { 'if-match': etag });
  expect(stale.status).toBe(412);
  expectOutcome(stale);
});

it('R6 PUT whose body id differs from the URL, or has no id: 400 + OperationOutcome', async () => {
  const patient = await created();
  const other = await put(`${base}/Patient/${patient.id}`, { ...patient, id: 'someone-else' });
  expect(other.status).toBe(400);
  expectOutcome(other);
  const { id: _id, ...withoutId } = patient;
  const missing = await put(`${base}/Patient/${patient.id}`, withoutId);
  expect(missing.status).toBe(400);
  expectOutcome(missing);
});

it('R7 vread: 200 with the old content', async () => {
  const patient = await created();
  await put(`${base}/Patient/${patient.id}`, { ...patient, gender: 'female' });
  const answer = await call(`${base}/Patient/${patient.id}/_history/${patient.meta.versionId}`);
  expect(answer.status).toBe(200);
  expect(answer.body.gender).toBe('male');
  expect(answer.body.meta.versionId).toBe(patient.meta.versionId);
});

it('R8 DELETE then read: 200 or 204, then 410', async () => {
  const { id } = await created();
  expect([200, 204]).toContain((await del(`${base}/Patient/${id}`)).status);
  const read = await call(`${base}/Patient/${id}`);
  expect(read.status).toBe(410);
  expectOutcome(read);
});

it('R9 GET Patient/does-not-exist: 404 with an OperationOutcome, issue.code not-found', async () => {
  const answer = await call(`${base}/Patient/does-not-exist`);
  expect(answer.status).toBe(404);
  expect(answer.body.resourceType).toBe('OperationOutcome');
  expect(answer.body.issue[0].code).toBe('not-found');
});

it('R10 GET NotAType: 404', async () => {
  const answer = await call(`${base}/NotAType`);
  expect(answer.status).toBe(404);
  expectOutcome(answer);
});

it('R11 POST broken JSON or a rule-breaking body: 400 / 422, each with an OperationOutcome', async () => {
  const broken = await post(`${base}/Patient`, '{"resourceType": "Patient", ');
  expect(broken.status).toBe(400);
  expectOutcome(broken);
  const { birthDate: _birthDate, ...ruleBreaking } = openimisPatient();
  const invalid = await post(`${base}/Patient`, ruleBreaking);
  expect([400, 422]).toContain(invalid.status);
  expectOutcome(invalid);
});

it('R12 search with _count=2: searchset, self echoes the parameters, absolute fetchable next, total, fullUrl, mode match', async () => {
  const family = marker('R12');
  for (let i = 0; i < 3; i += 1) await created(openimisPatient(undefined, family));
  const answer = await call(`${base}/Patient?family=${family}&_count=2`);
  expect(answer.status).toBe(200);
  const bundle = answer.body;
  expect(bundle.type).toBe('searchset');
  expect(bundle.total).toBe(3);
  const self = new URL(link(bundle, 'self') as string);
  expect(self.searchParams.get('family')).toBe(family);
  expect(self.searchParams.get('_count')).toBe('2');
  for (const entry of bundle.entry as Json[]) {
    expect(entry.fullUrl).toBe(`${base}/Patient/${entry.resource.id}`);
    expect(entry.search.mode).toBe('match');
  }
  const next = link(bundle, 'next') as string;
  expect(next).toMatch(/^http:\/\//);
  const page2 = await call(next);
  expect(page2.status).toBe(200);
  expect(new Set([...matchIds(bundle), ...matchIds(page2.body)]).size).toBe(3);
});

it('R13 POST Patient/_search (form-urlencoded): the same results as GET', async () => {
  const family = marker('R13');
  for (let i = 0; i < 2; i += 1) await created(openimisPatient(undefined, family));
  const get = await call(`${base}/Patient?family=${family}`);
  const form = await post(`${base}/Patient/_search`, `family=${family}`, {
    'content-type': 'application/x-www-form-urlencoded',
  });
  expect(form.status).toBe(200);
  expect(matchIds(form.body).sort()).toEqual(matchIds(get.body).sort());
  expect(matchIds(form.body)).toHaveLength(2);
});

it('R14 _lastUpdated gt/ge/lt/le/sa/eb around a known lastUpdated: gt excludes the boundary, ge includes it', async () => {
  const { id, meta } = await created();
  const t = Date.parse(meta.lastUpdated);
  const at = (prefix: string, instant: number) =>
    call(
      `${base}/Patient?_id=${id}&_lastUpdated=${prefix}${encodeURIComponent(new Date(instant).toISOString())}`,
    ).then((answer) => matchIds(answer.body));
  expect(await at('gt', t)).toEqual([]);
  expect(await at('ge', t)).toEqual([id]);
  expect(await at('lt', t)).toEqual([]);
  expect(await at('le', t)).toEqual([id]);
  expect(await at('gt', t - 1000)).toEqual([id]);
  expect(await at('lt', t + 1000)).toEqual([id]);
  expect(await at('sa', t - 1000)).toEqual([id]);
  expect(await at('sa', t)).toEqual([]);
  expect(await at('eb', t + 1000)).toEqual([id]);
  expect(await at('eb', t)).toEqual([]);
});

it('R15 unknown parameter: ignored and absent from self; under Prefer handling=strict 400 + OperationOutcome', async () => {
  const family = marker('R15');
  await created(openimisPatient(undefined, family));
  const lenient = await call(`${base}/Patient?family=${family}&madeup=1`);
  expect(lenient.status).toBe(200);
  expect(matchIds(lenient.body)).toHaveLength(1);
  expect(new URL(link(lenient.body, 'self') as string).searchParams.has('madeup')).toBe(false);
  const strict = await call(`${base}/Patient?family=${family}&madeup=1`, {
    headers: { prefer: 'handling=strict' },
  });
  expect(strict.status).toBe(400);
  expectOutcome(strict);
});

it('R16 _format=json wins over Accept xml; unsupported format 406 not-supported; unsupported body 415', async () => {
  const { id } = await created();
  const json = await call(`${base}/Patient/${id}?_format=json`, {
    headers: { accept: 'application/fhir+xml' },
  });
  expect(json.status).toBe(200);
  expect(json.headers.get('content-type')).toMatch(/^application\/fhir\+json/);
  const unsupported = await call(`${base}/Patient/${id}`, { headers: { accept: 'application/pdf' } });
  expect(unsupported.status).toBe(406);
  expect(unsupported.body.issue[0].code).toBe('not-supported');
  const body = await post(`${base}/Patient`, 'gender=male', { 'content-type': 'text/plain' });
  expect(body.status).toBe(415);
  expectOutcome(body);
});

it('R17 POST with If-None-Exist twice: 201 then 200 and no new resource; several matches 412', async () => {
  const code = marker('c').slice(0, 12);
  const headers = { 'if-none-exist': byCode(code) };
  const first = await post(`${base}/Patient`, openimisPatient(code), headers);
  expect(first.status).toBe(201);
  const second = await post(`${base}/Patient`, openimisPatient(code), headers);
  expect(second.status).toBe(200);
  expect(second.body.id).toBe(first.body.id);
  expect((await call(`${base}/Patient?${byCode(code)}`)).body.total).toBe(1);
  await created(openimisPatient(code));
  const several = await post(`${base}/Patient`, openimisPatient(code), headers);
  expect(several.status).toBe(412);
  expectOutcome(several);
});

it('R18 PUT Patient?identifier: 0 matches 201, 1 match 200, several 412', async () => {
  const code = marker('c').slice(0, 12);
  const url = `${base}/Patient?${byCode(code)}`;
  const none = await put(url, openimisPatient(code));
  expect(none.status).toBe(201);
  const one = await put(url, { ...openimisPatient(code), gender: 'female' });
  expect(one.status).toBe(200);
  expect(one.body.id).toBe(none.body.id);
  await created(openimisPatient(code));
  const several = await put(url, openimisPatient(code));
  expect(several.status).toBe(412);
  expectOutcome(several);
});

it('R19 DELETE Patient?identifier: 0 and 1 match an ordinary delete; several deleted all (or 412)', async () => {
  const code = marker('c').slice(0, 12);
  const url = `${base}/Patient?${byCode(code)}`;
  expect([200, 204]).toContain((await del(url)).status);
  const { id } = await created(openimisPatient(code));
  expect([200, 204]).toContain((await del(url)).status);
  expect((await call(`${base}/Patient/${id}`)).status).toBe(410);
  await created(openimisPatient(code));
  await created(openimisPatient(code));
  const several = await del(url);
  expect([200, 204, 412]).toContain(several.status);
  expect((await call(url)).body.total).toBe(several.status === 412 ? 2 : 0);
});

it('R20 transaction Patient (urn:uuid) + Coverage: transaction-response in order, references rewritten; a bad entry stores nothing; ifNoneExist honoured', async () => {
  const code = marker('c').slice(0, 12);
  const family = marker('R20');
  const uuid = `urn:uuid:${crypto.randomUUID()}`;
  const entries = (patient: Json, extra: Json = {}) => [
    { fullUrl: uuid, resource: patient, request: { method: 'POST', url: 'Patient', ...extra } },
    { resource: openimisCoverage(uuid), request: { method: 'POST', url: 'Coverage' } },
  ];
  const answer = await post(base, {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: entries(openimisPatient(code, family)),
  });
  expect(answer.status, answer.text).toBe(200);
  expect(answer.body.type).toBe('transaction-response');
  const [patientEntry, coverageEntry] = answer.body.entry;
  for (const entry of [patientEntry, coverageEntry]) {
    expect(entry.response.status).toMatch(/^201/);
    expect(entry.response.location).toBeTruthy();
    expect(entry.response.etag).toBe('W/"1"');
  }
  expect(patientEntry.response.location).toMatch(/^Patient\//);
  expect(coverageEntry.response.location).toMatch(/^Coverage\//);
  const patientId = patientEntry.response.location.split('/')[1];
  const coverage = await call(`${base}/${coverageEntry.response.location.split('/_history')[0]}`);
  expect(coverage.body.beneficiary.reference).toBe(`Patient/${patientId}`);

  const badFamily = marker('R20bad');
  const bad = await post(base, {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      ...entries(openimisPatient(undefined, badFamily)),
      { resource: { resourceType: 'Patient', gender: 'robot' }, request: { method: 'POST', url: 'Patient' } },
    ],
  });
  expect(bad.status).toBeGreaterThanOrEqual(400);
  expect(bad.status).toBeLessThan(500);
  expectOutcome(bad);
  expect((await call(`${base}/Patient?family=${badFamily}`)).body.total).toBe(0);

  const again = await post(base, {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: entries(openimisPatient(code, family), { ifNoneExist: byCode(code) }),
  });
  expect(again.status).toBe(200);
  expect(again.body.entry[0].response.status).toMatch(/^200/);
  expect((await call(`${base}/Patient?family=${family}`)).body.total).toBe(1);
});

it('R21 batch with one bad entry: 200 batch-response, the bad entry 4xx with an outcome, the others succeed', async () => {
  const family = marker('R21');
  const answer = await post(base, {
    resourceType: 'Bundle',
    type: 'batch',
    entry: [
      { resource: openimisPatient(undefined, family), request: { method: 'POST', url: 'Patient' } },
      { resource: { resourceType: 'Patient', gender: 'robot' }, request: { method: 'POST', url: 'Patient' } },
      { resource: openimisPatient(undefined, family), request: { method: 'POST', url: 'Patient' } },
    ],
  });
  expect(answer.status).toBe(200);
  expect(answer.body.type).toBe('batch-response');
  const [good, bad, other] = answer.body.entry;
  expect(good.response.status).toMatch(/^201/);
  expect(other.response.status).toMatch(/^201/);
  expect(bad.response.status).toMatch(/^4\d\d/);
  expect(bad.response.outcome.resourceType).toBe('OperationOutcome');
  expect((await call(`${base}/Patient?family=${family}`)).body.total).toBe(2);
});

it('R22 instance history: a history Bundle newest first, every entry with request and response, a delete as DELETE without a resource', async () => {
  const patient = await created();
  await tick();
  await put(`${base}/Patient/${patient.id}`, { ...patient, gender: 'female' });
  await tick();
  await del(`${base}/Patient/${patient.id}`);
  const answer = await call(`${base}/Patient/${patient.id}/_history`);
  expect(answer.status).toBe(200);
  expect(answer.body.type).toBe('history');
  const entries = answer.body.entry;
  expect(entries).toHaveLength(3);
  for (const entry of entries) {
    expect(entry.request?.method).toBeTruthy();
    expect(entry.request?.url).toBeTruthy();
    expect(entry.response?.status).toBeTruthy();
  }
  const times = entries.map((e: Json) => Date.parse(e.response.lastModified));
  expect([...times].sort((a, b) => b - a)).toEqual(times);
  expect(entries[0]?.request.method).toBe('DELETE');
  expect(entries[0]?.resource).toBeUndefined();
  expect(entries.slice(1).map((e: Json) => e.resource.meta.versionId)).toEqual(['2', '1']);
});
