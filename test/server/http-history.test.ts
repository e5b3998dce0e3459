/**
 * History over HTTP (http.html#history): instance, type and system level; _since, _at, _count; paging
 * links that work when fetched; deletes as DELETE entries without a resource.
 */
import { describe, expect, it } from 'vitest';
import {
  call,
  del,
  marker,
  plainPatient,
  post,
  put,
  tick,
  type Json,
  serveForFile,
} from '../support/http-server.js';

let base: string;

serveForFile({ validation: 'off' }, (url) => (base = url));

/** A Patient with three versions (create, update, delete) unless `deleteIt` is false. */
async function lifeOfAPatient(deleteIt = true): Promise<{ id: string; stamps: string[] }> {
  const created = (await post(`${base}/Patient`, plainPatient(marker('H')))).body;
  await tick();
  const updated = (await put(`${base}/Patient/${created.id}`, { ...created, gender: 'male' })).body;
  const stamps = [created.meta.lastUpdated, updated.meta.lastUpdated];
  if (deleteIt) {
    await tick();
    await del(`${base}/Patient/${created.id}`);
  }
  return { id: created.id, stamps };
}

const entriesOf = (bundle: Json) => (bundle.entry ?? []) as Json[];
const link = (bundle: Json, relation: string) =>
  (bundle.link as Json[]).find((l) => l.relation === relation)?.url as string | undefined;

describe('instance history', () => {
  it('lists every version newest first, each with request and response; the delete has no resource', async () => {
    const { id } = await lifeOfAPatient();
    const answer = await call(`${base}/Patient/${id}/_history`);
    expect(answer.status).toBe(200);
    const bundle = answer.body;
    expect(bundle.type).toBe('history');
    expect(bundle.total).toBe(3);
    const entries = entriesOf(bundle);
    expect(entries.map((e) => e.request.method)).toEqual(['DELETE', 'PUT', 'POST']);
    expect(entries.map((e) => e.response.etag)).toEqual(['W/"3"', 'W/"2"', 'W/"1"']);
    expect(entries[0]?.resource).toBeUndefined();
    expect(entries[1]?.resource.gender).toBe('male');
    for (const entry of entries) {
      expect(entry.request.url).toBeTruthy();
      expect(entry.response.status).toMatch(/^2\d\d/);
      expect(entry.fullUrl).toBe(`${base}/Patient/${id}`);
    }
  });

  it('404 for an id that never existed', async () => {
    const answer = await call(`${base}/Patient/${marker('never')}/_history`);
    expect(answer.status).toBe(404);
    expect(answer.body.resourceType).toBe('OperationOutcome');
  });

  it('_since keeps the versions made at or after the instant', async () => {
    const { id, stamps } = await lifeOfAPatient(false);
    const since = (instant: number) =>
      call(`${base}/Patient/${id}/_history?_since=${encodeURIComponent(new Date(instant).toISOString())}`);
    const first = Date.parse(stamps[0] as string);
    const atFirst = (await since(first)).body;
    expect(entriesOf(atFirst).map((e) => e.response.etag)).toEqual(['W/"2"', 'W/"1"']);
    const afterFirst = (await since(first + 1)).body;
    expect(entriesOf(afterFirst).map((e) => e.response.etag)).toEqual(['W/"2"']);
  });

  it('_at gives the version current at the instant', async () => {
    const { id, stamps } = await lifeOfAPatient();
    const at = encodeURIComponent(stamps[0] as string);
    const bundle = (await call(`${base}/Patient/${id}/_history?_at=${at}`)).body;
    expect(entriesOf(bundle).map((e) => e.response.etag)).toEqual(['W/"1"']);
  });

  it('a malformed _since or _at is 400 naming it', async () => {
    const { id } = await lifeOfAPatient(false);
    const answer = await call(`${base}/Patient/${id}/_history?_since=yesterday`);
    expect(answer.status).toBe(400);
    expect(answer.body.issue[0].expression).toEqual(['_since']);
  });

  it('_count pages, with next and previous links that work when fetched', async () => {
    const { id } = await lifeOfAPatient();
    const first = (await call(`${base}/Patient/${id}/_history?_count=2`)).body;
    expect(entriesOf(first).map((e) => e.response.etag)).toEqual(['W/"3"', 'W/"2"']);
    const next = link(first, 'next') as string;
    expect(next.startsWith(`${base}/Patient/${id}/_history?`)).toBe(true);
    const second = (await call(next)).body;
    expect(entriesOf(second).map((e) => e.response.etag)).toEqual(['W/"1"']);
    expect(link(second, 'next')).toBeUndefined();
    const previous = (await call(link(second, 'previous') as string)).body;
    expect(entriesOf(previous).map((e) => e.response.etag)).toEqual(['W/"3"', 'W/"2"']);
  });
});

describe('type and system history', () => {
  it('type history holds the versions of that type only, newest first', async () => {
    const before = new Date(Date.now() - 1).toISOString();
    const { id } = await lifeOfAPatient();
    await post(`${base}/Organization`, { resourceType: 'Organization', name: marker('Org') });
    const bundle = (await call(`${base}/Patient/_history?_since=${encodeURIComponent(before)}`)).body;
    const entries = entriesOf(bundle);
    expect(entries.every((e) => e.fullUrl.startsWith(`${base}/Patient/`))).toBe(true);
    const ours = entries.filter((e) => e.fullUrl === `${base}/Patient/${id}`);
    expect(ours.map((e) => e.request.method)).toEqual(['DELETE', 'PUT', 'POST']);
    const times = entries.map((e) => e.response.lastModified as string);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('system history holds every type, pages with _count, and its next link works', async () => {
    const before = new Date(Date.now() - 1).toISOString();
    await lifeOfAPatient();
    const org = (await post(`${base}/Organization`, { resourceType: 'Organization', name: marker('Org') }))
      .body;
    const since = encodeURIComponent(before);
    const all = (await call(`${base}/_history?_since=${since}`)).body;
    expect(all.type).toBe('history');
    expect(all.total).toBeGreaterThanOrEqual(4);
    expect(entriesOf(all)[0]?.fullUrl).toBe(`${base}/Organization/${org.id}`);
    const types = new Set(entriesOf(all).map((e) => e.fullUrl.split('/').at(-2)));
    expect(types).toEqual(new Set(['Patient', 'Organization']));

    const paged: Json[] = [];
    let url: string | undefined = `${base}/_history?_since=${since}&_count=3`;
    while (url) {
      const page = (await call(url)).body;
      paged.push(...entriesOf(page));
      url = link(page, 'next');
    }
    expect(paged.map((e) => `${e.fullUrl} ${e.response.etag}`)).toEqual(
      entriesOf(all).map((e) => `${e.fullUrl} ${e.response.etag}`),
    );
  });

  it('_count=0 gives the total without entries and without a next link', async () => {
    const { id } = await lifeOfAPatient();
    const bundle = (await call(`${base}/Patient/${id}/_history?_count=0`)).body;
    expect(bundle.total).toBe(3);
    expect(entriesOf(bundle)).toEqual([]);
    expect(link(bundle, 'next')).toBeUndefined();
  });

  it('history takes GET only', async () => {
    const answer = await post(`${base}/_history`, { resourceType: 'Bundle' });
    expect(answer.status).toBe(405);
  });
});
