/**
 * Every interaction the server supports, run three ways: as a request of its own, as the entry of a
 * batch and as the entry of a transaction. Each way works on its own copy of the same data, and the
 * three must agree on the status, the version headers (ETag, Location, Last-Modified), the
 * OperationOutcome and what is stored afterwards. This is what "each interaction written once" means
 * to a client: a rule of the server cannot hold on one path and not on another.
 */
import { describe, expect, it } from 'vitest';
import {
  TEST_SYSTEM,
  call,
  identifiedPatient,
  marker,
  post,
  serveForFile,
  type Json,
} from '../support/http-server.js';
import { WAYS, perform, type Interaction, type Observed, type Way } from '../support/interaction-ways.js';

let base: string;
serveForFile({ validation: 'lenient' }, (url) => (base = url));

/** The data one way works on: its own marker, and the resources its setup made. */
interface World {
  marker: string;
  /** Ids of the resources the setup made, by name. */
  ids: Record<string, string>;
}

interface Case {
  name: string;
  /** Makes the data (in the world's own marker) and records the ids the request needs. */
  setup?: (world: World) => Promise<void>;
  request: (world: World) => Interaction;
  /** Prefer, sent with the request (or with the Bundle). */
  prefer?: string;
}

/** An observation, and what is stored afterwards: compared with every world-specific value replaced. */
type Seen = Observed & { stored: unknown };

const byMarker = (world: World) => `identifier=${encodeURIComponent(`${TEST_SYSTEM}|${world.marker}`)}`;
const patient = (world: World, extra: Json = {}) => ({
  ...identifiedPatient(world.marker, 'Both'),
  ...extra,
});

async function created(world: World, name: string, extra: Json = {}): Promise<void> {
  const answer = await post(`${base}/Patient`, patient(world, extra));
  if (answer.status !== 201) throw new Error(`setup: ${answer.status} ${answer.text}`);
  world.ids[name] = String(answer.body.id);
}

async function removed(world: World, name: string): Promise<void> {
  const answer = await call(`${base}/Patient/${world.ids[name]}`, { method: 'DELETE' });
  if (answer.status >= 300) throw new Error(`setup: ${answer.status} ${answer.text}`);
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** A value with the world's marker and ids, server-made uuids and instants replaced by placeholders. */
function normalised(world: World, value: unknown): unknown {
  if (value === undefined) return undefined;
  let text = JSON.stringify(value);
  text = text.replaceAll(world.marker, '<marker>');
  for (const [name, id] of Object.entries(world.ids)) text = text.replaceAll(id, `<${name}>`);
  text = text.replace(UUID, '<new>');
  text = text.replace(/"(lastUpdated|lastModified)":"[^"]+"/g, '"$1":"<instant>"');
  // A Bundle's answer names the entry; a request of its own has no entry to name.
  text = text.replace(/Bundle\.entry\[0\]: /g, '').replace(/Bundle\.entry\[0\]\.resource/g, 'Patient');
  text = text.replace(/"id":"<new>",?/g, '').replace(/"fullUrl":"[^"]*",?/g, '');
  return JSON.parse(text) as unknown;
}

/** What is stored afterwards: the world's Patients (by identifier), and the setup's resources by id. */
async function storedState(world: World): Promise<unknown> {
  const search = await call(`${base}/Patient?${byMarker(world)}&_sort=_lastUpdated&_count=50`);
  const patients = ((search.body.entry ?? []) as Json[]).map((entry) => entry.resource as Json);
  const named: Record<string, unknown> = {};
  for (const [name, id] of Object.entries(world.ids)) {
    const read = await call(`${base}/Patient/${id}`);
    named[name] = { status: read.status, versionId: read.body?.meta?.versionId };
  }
  return { patients, named };
}

async function run(way: Way, testCase: Case): Promise<Seen> {
  const world: World = { marker: marker(way.slice(0, 1)), ids: {} };
  await testCase.setup?.(world);
  const observed = await perform(base, way, testCase.request(world), testCase.prefer);
  return normalised(world, { ...observed, stored: await storedState(world) }) as Seen;
}

const stale = 'W/"9"';
const jsonPatch = [{ op: 'replace', path: '/gender', value: 'male' }];

const WRITES: Case[] = [
  { name: 'create', request: (w) => ({ method: 'POST', url: 'Patient', body: patient(w) }) },
  {
    name: 'create, Prefer: return=minimal',
    prefer: 'return=minimal',
    request: (w) => ({ method: 'POST', url: 'Patient', body: patient(w) }),
  },
  {
    name: 'create, Prefer: return=OperationOutcome',
    prefer: 'return=OperationOutcome',
    request: (w) => ({ method: 'POST', url: 'Patient', body: patient(w) }),
  },
  {
    name: 'create of a resource that breaks base R4',
    request: (w) => ({ method: 'POST', url: 'Patient', body: patient(w, { gender: 'neither' }) }),
  },
  {
    name: 'create with a body of another type',
    request: (w) => ({
      method: 'POST',
      url: 'Patient',
      body: { resourceType: 'Basic', code: { text: w.marker } },
    }),
  },
  {
    name: 'conditional create, no match',
    request: (w) => ({
      method: 'POST',
      url: 'Patient',
      body: patient(w),
      headers: { ifNoneExist: byMarker(w) },
    }),
  },
  {
    name: 'conditional create, one match',
    setup: (w) => created(w, 'existing'),
    request: (w) => ({
      method: 'POST',
      url: 'Patient',
      body: patient(w),
      headers: { ifNoneExist: byMarker(w) },
    }),
  },
  {
    name: 'conditional create, two matches',
    setup: async (w) => {
      await created(w, 'first');
      await created(w, 'second');
    },
    request: (w) => ({
      method: 'POST',
      url: 'Patient',
      body: patient(w),
      headers: { ifNoneExist: byMarker(w) },
    }),
  },
  {
    name: 'conditional create with a parameter the server does not know',
    setup: (w) => created(w, 'existing'),
    request: (w) => ({
      method: 'POST',
      url: 'Patient',
      body: patient(w),
      headers: { ifNoneExist: `${byMarker(w)}&no-such-parameter=1` },
    }),
  },
  {
    name: 'conditional create with result parameters only',
    request: (w) => ({
      method: 'POST',
      url: 'Patient',
      body: patient(w),
      headers: { ifNoneExist: '_count=1' },
    }),
  },
  {
    name: 'conditional create whose criteria carry result parameters',
    setup: (w) => created(w, 'existing'),
    request: (w) => ({
      method: 'POST',
      url: 'Patient',
      body: patient(w),
      headers: { ifNoneExist: `${byMarker(w)}&_count=5&_sort=family` },
    }),
  },
  {
    name: 'update',
    setup: (w) => created(w, 'target'),
    request: (w) => ({
      method: 'PUT',
      url: `Patient/${w.ids.target}`,
      body: patient(w, { id: w.ids.target, gender: 'male' }),
    }),
  },
  {
    name: 'update as create',
    request: (w) => ({ method: 'PUT', url: `Patient/${w.marker}`, body: patient(w, { id: w.marker }) }),
  },
  {
    name: 'update with the current version in If-Match',
    setup: (w) => created(w, 'target'),
    request: (w) => ({
      method: 'PUT',
      url: `Patient/${w.ids.target}`,
      body: patient(w, { id: w.ids.target, gender: 'male' }),
      headers: { ifMatch: 'W/"1"' },
    }),
  },
  {
    name: 'update with a stale version in If-Match',
    setup: (w) => created(w, 'target'),
    request: (w) => ({
      method: 'PUT',
      url: `Patient/${w.ids.target}`,
      body: patient(w, { id: w.ids.target, gender: 'male' }),
      headers: { ifMatch: stale },
    }),
  },
  {
    name: 'update whose body names another id',
    setup: (w) => created(w, 'target'),
    request: (w) => ({ method: 'PUT', url: `Patient/${w.ids.target}`, body: patient(w, { id: 'another' }) }),
  },
  {
    name: 'update without an id in the body',
    setup: (w) => created(w, 'target'),
    request: (w) => ({ method: 'PUT', url: `Patient/${w.ids.target}`, body: patient(w) }),
  },
  {
    name: 'conditional update, no match',
    request: (w) => ({ method: 'PUT', url: `Patient?${byMarker(w)}`, body: patient(w) }),
  },
  {
    name: 'conditional update, one match',
    setup: (w) => created(w, 'target'),
    request: (w) => ({ method: 'PUT', url: `Patient?${byMarker(w)}`, body: patient(w, { gender: 'male' }) }),
  },
  {
    name: 'conditional update, two matches',
    setup: async (w) => {
      await created(w, 'first');
      await created(w, 'second');
    },
    request: (w) => ({ method: 'PUT', url: `Patient?${byMarker(w)}`, body: patient(w) }),
  },
  {
    name: 'conditional update with a parameter the server does not know',
    setup: (w) => created(w, 'target'),
    request: (w) => ({ method: 'PUT', url: `Patient?${byMarker(w)}&no-such-parameter=1`, body: patient(w) }),
  },
  {
    name: 'conditional update with result parameters only',
    request: (w) => ({ method: 'PUT', url: 'Patient?_count=1', body: patient(w) }),
  },
  {
    name: 'patch',
    setup: (w) => created(w, 'target'),
    request: (w) => ({ method: 'PATCH', url: `Patient/${w.ids.target}`, body: jsonPatch }),
  },
  {
    name: 'patch with a stale version in If-Match',
    setup: (w) => created(w, 'target'),
    request: (w) => ({
      method: 'PATCH',
      url: `Patient/${w.ids.target}`,
      body: jsonPatch,
      headers: { ifMatch: stale },
    }),
  },
  {
    name: 'patch that cannot be applied',
    setup: (w) => created(w, 'target'),
    request: (w) => ({
      method: 'PATCH',
      url: `Patient/${w.ids.target}`,
      body: [{ op: 'remove', path: '/no/such/element' }],
    }),
  },
  {
    name: 'patch that breaks base R4',
    setup: (w) => created(w, 'target'),
    request: (w) => ({
      method: 'PATCH',
      url: `Patient/${w.ids.target}`,
      body: [{ op: 'replace', path: '/gender', value: 'neither' }],
    }),
  },
  {
    name: 'patch of a resource that does not exist',
    request: (w) => ({ method: 'PATCH', url: `Patient/${w.marker}`, body: jsonPatch }),
  },
  {
    name: 'delete',
    setup: (w) => created(w, 'target'),
    request: (w) => ({ method: 'DELETE', url: `Patient/${w.ids.target}` }),
  },
  {
    name: 'delete, Prefer: return=minimal',
    prefer: 'return=minimal',
    setup: (w) => created(w, 'target'),
    request: (w) => ({ method: 'DELETE', url: `Patient/${w.ids.target}` }),
  },
  {
    name: 'delete of a deleted resource',
    setup: async (w) => {
      await created(w, 'target');
      await removed(w, 'target');
    },
    request: (w) => ({ method: 'DELETE', url: `Patient/${w.ids.target}` }),
  },
  {
    name: 'delete of a resource that never existed',
    request: (w) => ({ method: 'DELETE', url: `Patient/${w.marker}` }),
  },
  {
    name: 'delete with a stale version in If-Match',
    setup: (w) => created(w, 'target'),
    request: (w) => ({ method: 'DELETE', url: `Patient/${w.ids.target}`, headers: { ifMatch: stale } }),
  },
  {
    name: 'conditional delete, no match',
    request: (w) => ({ method: 'DELETE', url: `Patient?${byMarker(w)}` }),
  },
  {
    name: 'conditional delete, two matches',
    setup: async (w) => {
      await created(w, 'first');
      await created(w, 'second');
    },
    request: (w) => ({ method: 'DELETE', url: `Patient?${byMarker(w)}` }),
  },
  {
    name: 'conditional delete with a parameter the server does not know',
    setup: (w) => created(w, 'target'),
    request: (w) => ({ method: 'DELETE', url: `Patient?${byMarker(w)}&no-such-parameter=1` }),
  },
  {
    name: 'a method the path does not take',
    setup: (w) => created(w, 'target'),
    request: (w) => ({ method: 'POST', url: `Patient/${w.ids.target}/_history`, body: patient(w) }),
  },
  {
    name: 'a type the server does not know',
    request: (w) => ({
      method: 'POST',
      url: 'NoSuchType',
      body: { resourceType: 'NoSuchType', id: w.marker },
    }),
  },
];

const READS: Case[] = [
  {
    name: 'read',
    setup: (w) => created(w, 'target'),
    request: (w) => ({ method: 'GET', url: `Patient/${w.ids.target}` }),
  },
  {
    name: 'read with the current version in If-None-Match',
    setup: (w) => created(w, 'target'),
    request: (w) => ({ method: 'GET', url: `Patient/${w.ids.target}`, headers: { ifNoneMatch: 'W/"1"' } }),
  },
  {
    name: 'read of a deleted resource',
    setup: async (w) => {
      await created(w, 'target');
      await removed(w, 'target');
    },
    request: (w) => ({ method: 'GET', url: `Patient/${w.ids.target}` }),
  },
  { name: 'read of an unknown resource', request: (w) => ({ method: 'GET', url: `Patient/${w.marker}` }) },
  {
    name: 'vread',
    setup: (w) => created(w, 'target'),
    request: (w) => ({ method: 'GET', url: `Patient/${w.ids.target}/_history/1` }),
  },
  {
    name: 'search',
    setup: (w) => created(w, 'target'),
    request: (w) => ({ method: 'GET', url: `Patient?${byMarker(w)}` }),
  },
  {
    name: 'search with a malformed value',
    request: () => ({ method: 'GET', url: 'Patient?birthdate=not-a-date' }),
  },
  {
    name: 'instance history',
    setup: (w) => created(w, 'target'),
    request: (w) => ({ method: 'GET', url: `Patient/${w.ids.target}/_history` }),
  },
  {
    name: '$validate',
    request: (w) => ({ method: 'POST', url: 'Patient/$validate', body: patient(w, { gender: 'neither' }) }),
  },
];

/** Bundles and search pages carry links and ids of their own: compared by what they hold. */
function withoutPageDetails(observed: Seen): Seen {
  const resource = observed.resource as Json | undefined;
  if (resource?.resourceType !== 'Bundle') return observed;
  const { link: _link, meta: _meta, ...rest } = resource;
  return { ...observed, resource: rest };
}

describe('each interaction answers and stores the same, on its own, in a batch and in a transaction', () => {
  for (const testCase of [...WRITES, ...READS]) {
    it(testCase.name, async () => {
      const [rest, batch, transaction] = await Promise.all(WAYS.map((way) => run(way, testCase)));
      expect(withoutPageDetails(batch as Seen), 'batch entry').toEqual(withoutPageDetails(rest as Seen));
      expect(withoutPageDetails(transaction as Seen), 'transaction entry').toEqual(
        withoutPageDetails(rest as Seen),
      );
    });
  }

  it('the comparison can fail: a different request gives a different observation', async () => {
    const created = await run('rest', WRITES[0] as Case);
    const refused = await run('rest', WRITES[3] as Case);
    expect(created.status).toBe(201);
    expect(refused.status).toBe(400);
    expect(refused).not.toEqual(created);
  });
});
