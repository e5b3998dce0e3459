/**
 * Conditional interactions and conditional headers over HTTP: If-None-Exist (http.html#ccreate),
 * conditional update and delete (#cond-update, #cond-delete), If-Match (#concurrency), If-None-Match and
 * If-Modified-Since (#cread).
 */
import { describe, expect, it } from 'vitest';
import {
  TEST_SYSTEM,
  call,
  del,
  identifiedPatient,
  marker,
  post,
  put,
  type Json,
  serveForFile,
} from '../support/http-server.js';

let base: string;

serveForFile({ validation: 'off' }, (url) => (base = url));

const byIdentifier = (value: string) => `identifier=${encodeURIComponent(`${TEST_SYSTEM}|${value}`)}`;

async function stored(value: string): Promise<Json> {
  const answer = await post(`${base}/Patient`, identifiedPatient(value));
  expect(answer.status).toBe(201);
  return answer.body;
}

async function countOf(value: string): Promise<number> {
  return (await call(`${base}/Patient?${byIdentifier(value)}`)).body.total as number;
}

describe('conditional create (If-None-Exist)', () => {
  it('creates the first time (201), then answers 200 with the same resource and creates nothing', async () => {
    const value = marker('v');
    const headers = { 'if-none-exist': byIdentifier(value) };
    const first = await post(`${base}/Patient`, identifiedPatient(value), headers);
    expect(first.status).toBe(201);
    const second = await post(`${base}/Patient`, identifiedPatient(value), headers);
    expect(second.status).toBe(200);
    expect(second.body.id).toBe(first.body.id);
    expect(second.headers.get('location')).toBe(`${base}/Patient/${first.body.id}/_history/1`);
    expect(await countOf(value)).toBe(1);
  });

  it('concurrent conditional creates with the same criteria create one resource', async () => {
    const value = marker('v');
    const headers = { 'if-none-exist': byIdentifier(value) };
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => post(`${base}/Patient`, identifiedPatient(value), headers)),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(await countOf(value)).toBe(1);
  });

  it('412 when the criteria match several resources, and nothing is created', async () => {
    const value = marker('v');
    await stored(value);
    await stored(value);
    const answer = await post(`${base}/Patient`, identifiedPatient(value), {
      'if-none-exist': byIdentifier(value),
    });
    expect(answer.status).toBe(412);
    expect(answer.body.resourceType).toBe('OperationOutcome');
    expect(await countOf(value)).toBe(2);
  });
});

describe('conditional update (PUT [type]?[criteria])', () => {
  it('no match: creates (201)', async () => {
    const value = marker('v');
    const answer = await put(`${base}/Patient?${byIdentifier(value)}`, identifiedPatient(value));
    expect(answer.status).toBe(201);
    expect(answer.headers.get('location')).toMatch(new RegExp(`^${base}/Patient/[^/]+/_history/1$`));
    expect(await countOf(value)).toBe(1);
  });

  it('one match: updates that resource (200, version 2)', async () => {
    const value = marker('v');
    const { id } = await stored(value);
    const answer = await put(`${base}/Patient?${byIdentifier(value)}`, {
      ...identifiedPatient(value),
      gender: 'male',
    });
    expect(answer.status).toBe(200);
    expect(answer.body.id).toBe(id);
    expect(answer.body.meta.versionId).toBe('2');
    expect(answer.body.gender).toBe('male');
    expect(await countOf(value)).toBe(1);
  });

  it('one match but a body id of another resource: 400', async () => {
    const value = marker('v');
    await stored(value);
    const answer = await put(`${base}/Patient?${byIdentifier(value)}`, {
      ...identifiedPatient(value),
      id: 'someone-else',
    });
    expect(answer.status).toBe(400);
    expect(answer.body.resourceType).toBe('OperationOutcome');
  });

  it('several matches: 412 and neither changes', async () => {
    const value = marker('v');
    await stored(value);
    await stored(value);
    const answer = await put(`${base}/Patient?${byIdentifier(value)}`, identifiedPatient(value));
    expect(answer.status).toBe(412);
    const bundle = (await call(`${base}/Patient?${byIdentifier(value)}`)).body;
    expect(bundle.entry.map((e: Json) => e.resource.meta.versionId)).toEqual(['1', '1']);
  });

  it('criteria are required: PUT [type] without any is 400', async () => {
    const answer = await put(`${base}/Patient`, identifiedPatient(marker('v')));
    expect(answer.status).toBe(400);
  });
});

describe('conditional delete (DELETE [type]?[criteria])', () => {
  it('no match: succeeds and deletes nothing', async () => {
    const answer = await del(`${base}/Patient?${byIdentifier(marker('none'))}`);
    expect([200, 204]).toContain(answer.status);
  });

  it('one match: deletes it (a read then answers 410)', async () => {
    const value = marker('v');
    const { id } = await stored(value);
    expect([200, 204]).toContain((await del(`${base}/Patient?${byIdentifier(value)}`)).status);
    expect((await call(`${base}/Patient/${id}`)).status).toBe(410);
    expect(await countOf(value)).toBe(0);
  });

  it('several matches: deletes them all', async () => {
    const value = marker('v');
    await stored(value);
    await stored(value);
    expect([200, 204]).toContain((await del(`${base}/Patient?${byIdentifier(value)}`)).status);
    expect(await countOf(value)).toBe(0);
  });
});

describe('If-Match (http.html#concurrency)', () => {
  it('updates with the current version (200) and refuses a stale one (412 + OperationOutcome)', async () => {
    const patient = await stored(marker('v'));
    const current = await put(`${base}/Patient/${patient.id}`, patient, { 'if-match': 'W/"1"' });
    expect(current.status).toBe(200);
    expect(current.headers.get('etag')).toBe('W/"2"');
    const stale = await put(`${base}/Patient/${patient.id}`, patient, { 'if-match': 'W/"1"' });
    expect(stale.status).toBe(412);
    expect(stale.body.resourceType).toBe('OperationOutcome');
    expect((await call(`${base}/Patient/${patient.id}`)).body.meta.versionId).toBe('2');
  });

  it('a malformed If-Match is 400, never an unguarded update', async () => {
    const patient = await stored(marker('v'));
    for (const ifMatch of ['W/"1"x', '"1" garbage', 'W/"', '""', 'W/""', '"1""']) {
      const answer = await put(`${base}/Patient/${patient.id}`, patient, { 'if-match': ifMatch });
      expect(answer.status, ifMatch).toBe(400);
      expect(answer.body.resourceType).toBe('OperationOutcome');
    }
    for (const ifMatch of ['W/"1"', '"1"', '1']) {
      const answer = await call(`${base}/Patient/${patient.id}`, { headers: { 'if-none-match': ifMatch } });
      expect(answer.status, ifMatch).toBe(304);
    }
    const listed = await call(`${base}/Patient/${patient.id}`, {
      headers: { 'if-none-match': 'W/"9", W/"1"' },
    });
    expect(listed.status).toBe(304);
    expect((await call(`${base}/Patient/${patient.id}`)).body.meta.versionId).toBe('1');
  });

  it('If-Match on an id that does not exist yet: 412, nothing created', async () => {
    const id = marker('new');
    const resource = { ...identifiedPatient(marker('v')), id };
    expect((await put(`${base}/Patient/${id}`, resource, { 'if-match': 'W/"1"' })).status).toBe(412);
    expect((await put(`${base}/Patient/${id}`, resource, { 'if-match': '*' })).status).toBe(412);
    expect((await call(`${base}/Patient/${id}`)).status).toBe(404);
  });

  it('concurrent updates with the same If-Match: exactly one wins', async () => {
    const patient = await stored(marker('v'));
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        put(`${base}/Patient/${patient.id}`, patient, { 'if-match': 'W/"1"' }),
      ),
    );
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 412)).toHaveLength(9);
    expect((await call(`${base}/Patient/${patient.id}`)).body.meta.versionId).toBe('2');
  });
});

describe('conditional read (If-None-Match, If-Modified-Since)', () => {
  it('If-None-Match with the current ETag: 304 without a body; with an older one: 200', async () => {
    const patient = await stored(marker('v'));
    const notModified = await call(`${base}/Patient/${patient.id}`, {
      headers: { 'if-none-match': 'W/"1"' },
    });
    expect(notModified.status).toBe(304);
    expect(notModified.text).toBe('');
    expect(notModified.headers.get('etag')).toBe('W/"1"');
    await put(`${base}/Patient/${patient.id}`, patient);
    const modified = await call(`${base}/Patient/${patient.id}`, { headers: { 'if-none-match': 'W/"1"' } });
    expect(modified.status).toBe(200);
    expect(modified.body.meta.versionId).toBe('2');
  });

  it('If-Modified-Since at or after Last-Modified: 304; before it: 200', async () => {
    const patient = await stored(marker('v'));
    const lastModified = (await call(`${base}/Patient/${patient.id}`)).headers.get('last-modified') as string;
    const same = await call(`${base}/Patient/${patient.id}`, {
      headers: { 'if-modified-since': lastModified },
    });
    expect(same.status).toBe(304);
    const later = new Date(Date.parse(lastModified) + 60_000).toUTCString();
    expect(
      (await call(`${base}/Patient/${patient.id}`, { headers: { 'if-modified-since': later } })).status,
    ).toBe(304);
    const earlier = new Date(Date.parse(lastModified) - 60_000).toUTCString();
    const answer = await call(`${base}/Patient/${patient.id}`, { headers: { 'if-modified-since': earlier } });
    expect(answer.status).toBe(200);
    expect(answer.body.id).toBe(patient.id);
  });
});
