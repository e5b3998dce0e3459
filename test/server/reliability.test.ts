/**
 * Reliability of the reference server over real HTTP on loopback (issue 4, "Reliability tests" and
 * "Safety"): concurrent If-Match updates, atomic transactions, kill -9 with a durable store, 1,000
 * hostile requests, and slow clients.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { igPaths } from '../../harness/paths.js';
import { inPool } from '../../harness/runner/in-pool.js';
import type { RunningServer } from '../../harness/server/server.js';
import {
  HOSTILE_KEYS,
  PLACEHOLDER,
  POLLUTION_MARK,
  fixedHostileRequests,
  generatedHostileRequests,
  jsonWithKey,
  type HostileContext,
} from '../support/hostile-requests.js';
import { call, openimisPatient, post, put, serve, type Answer, type Json } from '../support/http-server.js';
import {
  notAnOutcome,
  rawRequest,
  sleep,
  socketRequest,
  startServerProcess,
  type ServerProcess,
} from '../support/raw-http.js';

const versionOf = (etag: string | null) => Number(/^W\/"(\d+)"$/.exec(etag ?? '')?.[1] ?? NaN);
const familyOf = (resource: Json | undefined) => String(resource?.name?.[0]?.family);
/** An example of the IG, without its id. */
function igExample(name: string): Json {
  const { id: _id, ...example } = JSON.parse(
    readFileSync(join(igPaths().generatedResources, `${name}.json`), 'utf8'),
  ) as Json;
  return example;
}
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const isOutcome = (answer: Answer) =>
  (answer.headers.get('content-type') ?? '').startsWith('application/fhir+json') &&
  answer.body?.resourceType === 'OperationOutcome';

/** Every entry of a history, following its next links. */
async function fullHistory(url: string): Promise<Json[]> {
  const entries: Json[] = [];
  let next: string | undefined = `${url}?_count=1000`;
  while (next) {
    const page = await call(next);
    expect(page.status, page.text).toBe(200);
    entries.push(...((page.body.entry ?? []) as Json[]));
    next = (page.body.link as Json[]).find((link) => link.relation === 'next')?.url as string | undefined;
  }
  return entries;
}

describe('concurrent updates of one resource', () => {
  const patient = (id: string, family: string) => ({ resourceType: 'Patient', id, name: [{ family }] });

  it('200 If-Match updates from one version: one winner per version, no gap, no lost update', async () => {
    const server = await serve({ validation: 'off' });
    try {
      const url = `${server.url}/Patient/race`;
      expect((await put(url, patient('race', 'start'))).status).toBe(201);
      const winners = new Map<number, string>([[1, 'start']]);
      const etags: string[] = [];
      const won = (answer: Answer, family: string) => {
        expect(familyOf(answer.body)).toBe(family);
        etags.push(answer.headers.get('etag') ?? '');
        winners.set(versionOf(answer.headers.get('etag')), family);
      };

      // All at once, all from version 1: exactly one lands.
      const burst = await Promise.all(
        range(0, 199).map((i) => put(url, patient('race', `burst-${i}`), { 'if-match': 'W/"1"' })),
      );
      const burstWinners = burst.filter((answer) => answer.status === 200);
      expect(burstWinners).toHaveLength(1);
      expect(burst.filter((answer) => answer.status === 412 && isOutcome(answer))).toHaveLength(199);
      won(burstWinners[0] as Answer, familyOf(burstWinners[0]?.body));

      // Clients that re-read and retry on 412 until their update lands.
      let conflicts = 0;
      const retrying = async (client: number) => {
        for (let attempt = 0; attempt < 1_000; attempt++) {
          const current = await call(url);
          const family = `client-${client}-try-${attempt}`;
          const answer = await put(url, patient('race', family), {
            'if-match': current.headers.get('etag') ?? '',
          });
          if (answer.status === 200) return won(answer, family);
          expect(answer.status, answer.text).toBe(412);
          conflicts++;
        }
        throw new Error(`client ${client} never landed its update`);
      };
      await Promise.all(range(0, 49).map(retrying));
      expect(conflicts).toBeGreaterThan(0);

      // One winner per version: 2..52, each ETag once.
      const last = 1 + 1 + 50;
      expect(new Set(etags).size).toBe(etags.length);
      expect([...winners.keys()].sort((a, b) => a - b)).toEqual(range(1, last));

      // The history holds exactly one version per success, each with its winner's content.
      const history = await fullHistory(`${url}/_history`);
      expect(history.map((entry) => Number(entry.resource.meta.versionId)).sort((a, b) => a - b)).toEqual(
        range(1, last),
      );
      for (const entry of history)
        expect(familyOf(entry.resource)).toBe(winners.get(Number(entry.resource.meta.versionId)));

      // No lost update: the resource holds the last winner's content.
      const final = await call(url);
      expect(final.headers.get('etag')).toBe(`W/"${last}"`);
      expect(familyOf(final.body)).toBe(winners.get(last));
    } finally {
      await server.close();
    }
  });

  it('100 unconditional updates at once make 100 distinct, gapless versions', async () => {
    const server = await serve({ validation: 'off' });
    try {
      const url = `${server.url}/Patient/blind`;
      const answers = await Promise.all(range(1, 100).map((i) => put(url, patient('blind', `blind-${i}`))));
      expect(answers.filter((answer) => answer.status === 201)).toHaveLength(1);
      expect(answers.filter((answer) => answer.status === 200)).toHaveLength(99);
      const versions = answers.map((answer) => versionOf(answer.headers.get('etag')));
      expect([...versions].sort((a, b) => a - b)).toEqual(range(1, 100));
      const lastWriter = answers[versions.indexOf(100)];
      const final = await call(url);
      expect(familyOf(final.body)).toBe(familyOf(lastWriter?.body));
      expect((await fullHistory(`${url}/_history`)).length).toBe(100);
    } finally {
      await server.close();
    }
  });
});

describe('a transaction with one bad entry', () => {
  /** What search and history say about the whole store. */
  async function snapshot(base: string) {
    const search = await call(`${base}/Patient?_count=1000`);
    const history = await fullHistory(`${base}/_history`);
    return {
      patients: search.body.total as number,
      organizations: (await call(`${base}/Organization?_count=0`)).body.total as number,
      current: ((search.body.entry ?? []) as Json[])
        .map((entry) => `${entry.resource.id}@${entry.resource.meta.versionId}`)
        .sort(),
      versions: history.map((entry) => `${entry.fullUrl}@${entry.response.etag}`).sort(),
    };
  }

  const twins = `Twin${randomUUID().slice(0, 6)}`;
  const created = `New${randomUUID().slice(0, 6)}`;
  const newOrganization = `urn:uuid:${randomUUID()}`;

  /** A fresh server holding four Patients, two of them with the same family name. */
  async function seededServer(): Promise<RunningServer> {
    const server = await serve();
    for (const [id, family] of [
      ['tx-keep', 'Kept'],
      ['tx-doomed', 'Doomed'],
      ['tx-twin-a', twins],
      ['tx-twin-b', twins],
    ] as const) {
      const answer = await put(`${server.url}/Patient/${id}`, { ...openimisPatient(undefined, family), id });
      expect(answer.status, answer.text).toBe(201);
    }
    return server;
  }

  /** Entries that succeed together: a create with a urn:uuid others point to, a create, an update, a delete. */
  const good: Json[] = [
    {
      fullUrl: newOrganization,
      resource: igExample('Organization-rapta-hospital'),
      request: { method: 'POST', url: 'Organization' },
    },
    { resource: openimisPatient(undefined, created), request: { method: 'POST', url: 'Patient' } },
    {
      resource: { ...openimisPatient(undefined, 'Changed'), id: 'tx-keep' },
      request: { method: 'PUT', url: 'Patient/tx-keep', ifMatch: 'W/"1"' },
    },
    { request: { method: 'DELETE', url: 'Patient/tx-doomed' } },
    {
      resource: {
        ...openimisPatient(undefined, created),
        generalPractitioner: [{ reference: newOrganization }],
      },
      request: { method: 'POST', url: 'Patient' },
    },
  ];

  const bad: [string, Json][] = [
    [
      'an invalid resource',
      { resource: { ...openimisPatient(), gender: 'banana' }, request: { method: 'POST', url: 'Patient' } },
    ],
    [
      'a failing ifMatch on an update',
      {
        resource: { ...openimisPatient(undefined, twins), id: 'tx-twin-b' },
        request: { method: 'PUT', url: 'Patient/tx-twin-b', ifMatch: 'W/"7"' },
      },
    ],
    [
      'a failing ifMatch on a delete',
      { request: { method: 'DELETE', url: 'Patient/tx-twin-a', ifMatch: 'W/"7"' } },
    ],
    [
      'a reference to a urn:uuid that is not in the Bundle',
      {
        resource: { ...openimisPatient(), generalPractitioner: [{ reference: `urn:uuid:${randomUUID()}` }] },
        request: { method: 'POST', url: 'Patient' },
      },
    ],
    [
      'a conditional create matching several resources',
      {
        resource: openimisPatient(undefined, twins),
        request: { method: 'POST', url: 'Patient', ifNoneExist: `family=${twins}` },
      },
    ],
    [
      'an id that is not the id of its url',
      {
        resource: { ...openimisPatient(), id: 'tx-other' },
        request: { method: 'PUT', url: 'Patient/tx-twin-a' },
      },
    ],
    [
      'a second change to the same resource',
      {
        resource: { ...openimisPatient(undefined, 'Again'), id: 'tx-keep' },
        request: { method: 'PUT', url: 'Patient/tx-keep' },
      },
    ],
    ['an unknown type', { resource: { resourceType: 'Foo' }, request: { method: 'POST', url: 'Foo' } }],
    ['an unknown method', { resource: openimisPatient(), request: { method: 'FOO', url: 'Patient' } }],
    ['no request', { resource: openimisPatient() }],
  ];

  it.each(bad.map(([what, entry], index) => ({ what, entry, index })))(
    'stores nothing when one entry has $what',
    async ({ entry, index }) => {
      const server = await seededServer();
      try {
        const base = server.url;
        const before = await snapshot(base);
        const entries = [...good];
        entries.splice(index % (good.length + 1), 0, entry); // first, last, in between
        const answer = await post(base, { resourceType: 'Bundle', type: 'transaction', entry: entries });
        const said = answer.text.slice(0, 300);
        expect(answer.status, said).toBeGreaterThanOrEqual(400);
        expect(answer.status, said).toBeLessThan(500);
        expect(isOutcome(answer), said).toBe(true);
        // By search and by history: nothing changed.
        expect(await snapshot(base)).toEqual(before);
        expect((await call(`${base}/Patient?family=${created}`)).body.total).toBe(0);
        expect(familyOf((await call(`${base}/Patient/tx-keep`)).body)).toBe('Kept');
        expect((await call(`${base}/Patient/tx-doomed`)).status).toBe(200);
      } finally {
        await server.close();
      }
    },
  );

  it('changes the store with the good entries alone (so the checks above would see a partial commit)', async () => {
    const server = await seededServer();
    try {
      const base = server.url;
      const before = await snapshot(base);
      const answer = await post(base, { resourceType: 'Bundle', type: 'transaction', entry: good });
      expect(answer.status, answer.text).toBe(200);
      const after = await snapshot(base);
      expect(after.patients).toBe(before.patients + 2 - 1);
      expect(after.organizations).toBe(1);
      expect(after.versions.length).toBe(before.versions.length + 5);
      const made = await call(`${base}/Patient?family=${created}`);
      expect(made.body.total).toBe(2);
      const organization = await call(`${base}/Organization`);
      const referenced = (made.body.entry as Json[]).map(
        (e) => e.resource.generalPractitioner?.[0]?.reference,
      );
      expect(referenced).toContain(`Organization/${String(organization.body.entry[0].resource.id)}`);
      expect((await call(`${base}/Patient/tx-keep`)).headers.get('etag')).toBe('W/"2"');
      expect((await call(`${base}/Patient/tx-doomed`)).status).toBe(410);
    } finally {
      await server.close();
    }
  });
});

describe('kill -9 during writes with --db', () => {
  const dir = mkdtempSync(join(tmpdir(), 'openimis-reliability-'));
  const running: ServerProcess[] = [];
  afterAll(() => {
    for (const server of running) if (server.child.exitCode === null) server.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('loses no acknowledged write', async () => {
    const db = join(dir, 'server.journal');
    const args = ['--db', db, '--validation', 'off'];
    const first = await startServerProcess(args);
    running.push(first);
    expect((await call(`${first.url}/metadata`)).status).toBe(200);

    interface Acknowledged {
      id: string;
      versionId: string;
      family: string;
    }
    const acknowledged: Acknowledged[] = [];
    const unexpected: string[] = [];
    let killed = false;
    const acknowledge = (answer: Answer, family: string) => {
      const location = /\/Patient\/([^/]+)\/_history\/(\d+)$/.exec(answer.headers.get('location') ?? '');
      if (!location) return unexpected.push(`no Location: ${answer.text.slice(0, 100)}`);
      acknowledged.push({ id: location[1] as string, versionId: location[2] as string, family });
      return location[1] as string;
    };
    // Writers create, and update one in three of what they created, until the server dies under them.
    const writer = async (w: number) => {
      for (let i = 0; !killed; i++) {
        const family = `w${w}-${i}`;
        try {
          const created = await post(
            `${first.url}/Patient`,
            { resourceType: 'Patient', name: [{ family }] },
            {
              prefer: 'return=minimal',
            },
          );
          if (created.status !== 201) return void unexpected.push(`create answered ${created.status}`);
          const id = acknowledge(created, family);
          if (typeof id !== 'string' || i % 3 !== 0) continue;
          const updated = await put(
            `${first.url}/Patient/${id}`,
            {
              resourceType: 'Patient',
              id,
              name: [{ family: `${family}-updated` }],
            },
            { 'if-match': 'W/"1"', prefer: 'return=minimal' },
          );
          if (updated.status !== 200) return void unexpected.push(`update answered ${updated.status}`);
          acknowledge(updated, `${family}-updated`);
        } catch (error) {
          if (!killed) unexpected.push(`a request failed before the kill: ${String(error)}`);
          return;
        }
      }
    };
    const writers = range(1, 12).map(writer);
    for (let waited = 0; acknowledged.length < 200 && waited < 10_000; waited += 20) await sleep(20);
    first.child.kill('SIGKILL');
    killed = true;
    expect(await first.ended).toBe('SIGKILL');
    await Promise.all(writers);
    expect(unexpected).toEqual([]);
    expect(acknowledged.length).toBeGreaterThanOrEqual(200);

    // Started again on the same journal: every acknowledged version reads back.
    const second = await startServerProcess(args);
    running.push(second);
    const lost: string[] = [];
    await inPool(acknowledged, 16, async ({ id, versionId, family }) => {
      const version = await call(`${second.url}/Patient/${id}/_history/${versionId}`);
      if (
        version.status !== 200 ||
        version.headers.get('etag') !== `W/"${versionId}"` ||
        familyOf(version.body) !== family
      )
        lost.push(`Patient/${id}/_history/${versionId}: ${version.status} ${version.text.slice(0, 100)}`);
      const current = await call(`${second.url}/Patient/${id}`);
      if (current.status !== 200 || versionOf(current.headers.get('etag')) < Number(versionId))
        lost.push(`Patient/${id}: ${current.status} ${current.headers.get('etag')}`);
    });
    expect(lost).toEqual([]);
    const history = new Set(
      (await fullHistory(`${second.url}/Patient/_history`)).map(
        (entry) => `${entry.resource?.id}@${entry.resource?.meta?.versionId}`,
      ),
    );
    expect(acknowledged.filter(({ id, versionId }) => !history.has(`${id}@${versionId}`))).toEqual([]);

    second.child.kill('SIGTERM');
    expect(await second.ended).toBe(0);
  });
});

describe('hostile requests', () => {
  it('1,000 of them each get a 4xx OperationOutcome, and the server keeps serving', async () => {
    const maxBodyBytes = 256 * 1024;
    const server = await serve({ limits: { bodyBytes: maxBodyBytes } });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    try {
      const origin = new URL(server.url);
      const validPatient = openimisPatient(undefined, 'Target');
      const targetId = 'hostile-target';
      const created = await put(`${server.url}/Patient/${targetId}`, { ...validPatient, id: targetId });
      expect(created.status, created.text).toBe(201);
      const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).sort();
      const context: HostileContext = {
        base: origin.pathname,
        targetId,
        validPatient,
        maxBodyBytes,
        isResourceType: (name) => server.fhir.parts.definitions.isResourceType(name),
      };
      const seed = Number(process.env.HOSTILE_SEED ?? Date.now() % 2 ** 31);
      const fixed = fixedHostileRequests(context);
      const requests = [...fixed, ...generatedHostileRequests(context, 1_000 - fixed.length, seed)];
      expect(requests).toHaveLength(1_000);

      const started = Date.now();
      const problems: string[] = [];
      for (let start = 0; start < requests.length; start += 100) {
        await inPool(requests.slice(start, start + 100), 8, async (request) => {
          try {
            const answer =
              'socket' in request
                ? await socketRequest(origin, request.socket)
                : await rawRequest(origin, request.http, agent);
            const problem = notAnOutcome(answer, request.status);
            if (problem) problems.push(`${request.label}: ${problem}`);
          } catch (error) {
            problems.push(`${request.label}: no answer (${String(error)})`);
          }
        });
        const alive = await call(`${server.url}/metadata`);
        if (alive.status !== 200)
          problems.push(`after request ${start + 100}: /metadata answered ${alive.status}`);
      }
      const elapsed = Date.now() - started;

      // Nothing was polluted, whatever else went wrong.
      expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeBefore);
      expect(({} as Json).polluted).toBeUndefined();
      expect(problems, `HOSTILE_SEED=${seed}; fixed cases: ${fixed.length}`).toEqual([]);
      expect(elapsed).toBeLessThan(30_000);

      // Nothing changed the target, and no request stored anything.
      const target = await call(`${server.url}/Patient/${targetId}`);
      expect(target.headers.get('etag')).toBe('W/"1"');
      expect(target.text).not.toMatch(/polluted/);
      const everyone = await call(`${server.url}/Patient?_count=1000`);
      expect(everyone.body.total).toBe(1);
      expect(everyone.text).not.toContain(POLLUTION_MARK);

      // Still serving writes.
      expect((await post(`${server.url}/Patient`, openimisPatient())).status).toBe(201);
    } finally {
      agent.destroy();
      await server.close();
    }
  });

  it('keeps hostile keys as plain data when validation is off, polluting nothing', async () => {
    const server = await serve({ validation: 'off' });
    try {
      const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).sort();
      const bystander = await post(`${server.url}/Patient`, {
        resourceType: 'Patient',
        name: [{ family: 'Bystander' }],
      });
      expect(bystander.status).toBe(201);
      const ids: string[] = [];
      for (const key of HOSTILE_KEYS) {
        for (const body of [
          { resourceType: 'Patient', [PLACEHOLDER]: { polluted: POLLUTION_MARK } },
          {
            resourceType: 'Patient',
            name: [{ family: 'Hostile', [PLACEHOLDER]: { polluted: POLLUTION_MARK } }],
          },
          { resourceType: 'Patient', [PLACEHOLDER]: { prototype: { polluted: POLLUTION_MARK } } },
        ]) {
          const answer = await post(`${server.url}/Patient`, jsonWithKey(body, key), {
            'content-type': 'application/fhir+json',
          });
          expect(answer.status, answer.text).toBe(201);
          ids.push(String(answer.body.id));
        }
      }
      expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeBefore);
      expect(({} as Json).polluted).toBeUndefined();
      // Every read is plain data: no resource inherits from what it holds.
      for (const id of ids) {
        const read = await call(`${server.url}/Patient/${id}`);
        expect(read.status).toBe(200);
        expect(Object.getPrototypeOf(read.body)).toBe(Object.prototype);
      }
      const other = await call(`${server.url}/Patient/${String(bystander.body.id)}`);
      expect(other.text).not.toContain(POLLUTION_MARK);
      const search = await call(`${server.url}/Patient?family=Bystander`);
      expect(search.body.total).toBe(1);
      expect(search.text).not.toContain(POLLUTION_MARK);
      const everyone = await call(`${server.url}/Patient?_count=100`);
      expect(everyone.body.total).toBe(ids.length + 1);
      expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeBefore);
    } finally {
      await server.close();
    }
  });
});

describe('slow clients', () => {
  /**
   * Writes `head` at once, then `drip` one byte every `everyMs`, until the server closes the
   * connection; what came back and when.
   */
  function dripClient(origin: URL, head: string, drip: string, everyMs: number) {
    return new Promise<{ answer: string; sent: number; closedAfterMs: number }>((resolve) => {
      const started = Date.now();
      const socket = net.connect(Number(origin.port), origin.hostname);
      let answer = '';
      let sent = 0;
      const timer = setInterval(() => {
        if (sent < drip.length && socket.writable) socket.write(drip[sent++] as string);
      }, everyMs);
      socket.on('connect', () => head && socket.write(head));
      socket.setEncoding('utf8').on('data', (chunk: string) => (answer += chunk));
      socket.on('error', () => undefined);
      socket.on('close', () => {
        clearInterval(timer);
        resolve({ answer, sent, closedAfterMs: Date.now() - started });
      });
    });
  }

  it('are cut off by the timeouts with a 408, while other clients are served', async () => {
    const server = await serve({ headersTimeoutMs: 1_500, requestTimeoutMs: 3_000 });
    try {
      const origin = new URL(server.url);
      const headers = `GET ${origin.pathname}/metadata HTTP/1.1\r\nHost: x\r\n\r\n`;
      const body = JSON.stringify({ resourceType: 'Patient', active: true });
      const slowHeaders = dripClient(origin, '', headers, 1_000);
      const slowBody = dripClient(
        origin,
        `POST ${origin.pathname}/Patient HTTP/1.1\r\nHost: x\r\nContent-Type: application/fhir+json\r\nContent-Length: ${body.length}\r\n\r\n`,
        body,
        1_000,
      );
      const silent = dripClient(origin, '', '', 1_000);

      // Meanwhile, others are answered at once.
      const latencies: number[] = [];
      for (let i = 0; i < 20; i++) {
        const started = Date.now();
        const answer = await call(`${server.url}/Patient?_count=1`);
        expect(answer.status).toBe(200);
        latencies.push(Date.now() - started);
        await sleep(100);
      }
      expect(Math.max(...latencies)).toBeLessThan(1_000);

      for (const [what, client, limit] of [
        ['slow headers', await slowHeaders, 1_500],
        ['slow body', await slowBody, 3_000],
      ] as const) {
        expect(client.answer, what).toMatch(/^HTTP\/1\.1 408 /);
        expect(client.answer, what).toContain('"resourceType":"OperationOutcome"');
        expect(client.closedAfterMs, what).toBeGreaterThanOrEqual(limit - 100);
        expect(client.closedAfterMs, what).toBeLessThan(limit + 3_000);
        expect(client.sent, what).toBeLessThan(what === 'slow headers' ? headers.length : body.length);
      }
      const idle = await silent;
      expect(idle.closedAfterMs).toBeLessThan(1_500 + 3_000);
    } finally {
      await server.close();
    }
  });
});
