/**
 * Subscriptions of the reference server, over real HTTP on loopback: a receiver of our own records what
 * the server sends. R4 rest-hook: requested becomes active; what the server cannot serve is refused
 * (422); a matching create or update is notified (no payload: an empty POST; a payload: the resource
 * PUT to {endpoint}/{Type}/{id}; headers sent), a non-matching one is not; notifications of one
 * subscription keep their order; deliveries that keep failing turn it error and a success active again;
 * past its end nothing is sent and it turns off; deleted, nothing more; the server never notifies
 * itself; a pile-up is bounded; with a journal, what was queued is sent after a restart. openIMIS flavour: the bare
 * resource POSTed as application/json, Django lookups in the criteria, openIMIS's refusals.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../harness/server/server.js';
import { call, post, put, type Json } from '../support/http-server.js';

interface Seen {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A loopback receiver answering with the status set in `answer`. */
async function receiver(): Promise<{ url: string; seen: Seen[]; answer: { status: number }; close(): void }> {
  const seen: Seen[] = [];
  const answer = { status: 200 };
  const http: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      seen.push({
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      response.writeHead(answer.status).end();
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, seen, answer, close: () => http.close() };
}

const subscription = (endpoint: string, criteria: string, extra: Json = {}): Json => ({
  resourceType: 'Subscription',
  status: 'requested',
  reason: 'test',
  criteria,
  channel: { type: 'rest-hook', endpoint, ...((extra.channel as Json) ?? {}) },
  ...Object.fromEntries(Object.entries(extra).filter(([key]) => key !== 'channel')),
});

const patient = (family: string, given = 'Ann'): Json => ({
  resourceType: 'Patient',
  name: [{ family, given: [given] }],
});

const until = async (check: () => boolean, ms = 3_000) => {
  const stop = Date.now() + ms;
  while (!check() && Date.now() < stop) await new Promise((resolve) => setTimeout(resolve, 20));
  return check();
};

describe('R4 rest-hook subscriptions', () => {
  let server: RunningServer;
  let hook: Awaited<ReturnType<typeof receiver>>;
  beforeAll(async () => {
    server = await startServer({ port: 0, validation: 'off', subscriptions: { backoffMs: [20, 20] } });
    hook = await receiver();
  });
  afterAll(async () => {
    hook?.close();
    await server?.close();
  });
  afterEach(() => {
    hook.answer.status = 200;
  });

  it('stores a requested subscription active, and refuses what it cannot serve', async () => {
    const created = await post(`${server.url}/Subscription`, subscription(hook.url, 'Patient?family=Ok'));
    expect(created.status).toBe(201);
    expect(created.body.status).toBe('active');
    for (const [body, expression] of [
      [subscription(hook.url, 'Patient', { channel: { type: 'websocket' } }), 'Subscription.channel.type'],
      [subscription('ftp://example.org/x', 'Patient'), 'Subscription.channel.endpoint'],
      [subscription(hook.url, 'NotAType?x=1'), 'Subscription.criteria'],
      [
        subscription(hook.url, 'Patient', { channel: { payload: 'text/csv' } }),
        'Subscription.channel.payload',
      ],
      [
        subscription(hook.url, 'Patient', { channel: { header: ['no colon here'] } }),
        'Subscription.channel.header',
      ],
    ] as const) {
      const answer = await post(`${server.url}/Subscription`, body);
      expect(answer.status, expression).toBe(422);
      expect(answer.body.issue[0].expression[0]).toBe(expression);
    }
  });

  it('notifies a matching create with an empty POST and the headers; not a non-matching one', async () => {
    const family = `Match${Date.now()}`;
    await post(
      `${server.url}/Subscription`,
      subscription(`${hook.url}/plain`, `Patient?family=${family}`, {
        channel: { header: ['X-Token: abc', '{"X-Other": "def"}'] },
      }),
    );
    await post(`${server.url}/Patient`, patient('Someone-else'));
    await post(`${server.url}/Patient`, patient(family));
    await server.subscriptions?.idle();
    const got = hook.seen.filter((s) => s.path === '/plain');
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ method: 'POST', body: '' });
    expect(got[0]?.headers['x-token']).toBe('abc');
    expect(got[0]?.headers['x-other']).toBe('def');
  });

  it('with a payload, PUTs the resource to {endpoint}/{Type}/{id}, in order, on create and update', async () => {
    const family = `Payload${Date.now()}`;
    await post(
      `${server.url}/Subscription`,
      subscription(`${hook.url}/full`, `Patient?family=${family}`, {
        channel: { payload: 'application/fhir+json' },
      }),
    );
    const created = await post(`${server.url}/Patient`, patient(family, 'First'));
    const id = created.body.id as string;
    for (const given of ['Second', 'Third'])
      await put(`${server.url}/Patient/${id}`, { ...patient(family, given), id });
    await server.subscriptions?.idle();
    const got = hook.seen.filter((s) => s.path === `/full/Patient/${id}`);
    expect(got.map((s) => s.method)).toEqual(['PUT', 'PUT', 'PUT']);
    expect(got.map((s) => (JSON.parse(s.body) as Json).name)).toEqual(
      ['First', 'Second', 'Third'].map((given) => [{ family, given: [given] }]),
    );
  });

  it('turns error when deliveries keep failing, and active again on the next success', async () => {
    const family = `Failing${Date.now()}`;
    const id = (
      await post(
        `${server.url}/Subscription`,
        subscription(`${hook.url}/failing`, `Patient?family=${family}`),
      )
    ).body.id as string;
    hook.answer.status = 500;
    await post(`${server.url}/Patient`, patient(family));
    await server.subscriptions?.idle();
    const failed = (await call(`${server.url}/Subscription/${id}`)).body;
    expect(failed.status).toBe('error');
    expect(failed.error).toMatch(/answered 500/);
    expect(hook.seen.filter((s) => s.path === '/failing')).toHaveLength(3); // one try, two retries
    hook.answer.status = 200;
    await post(`${server.url}/Patient`, patient(family));
    await server.subscriptions?.idle();
    expect(await until(() => hook.seen.filter((s) => s.path === '/failing').length === 4)).toBe(true);
    const recovered = (await call(`${server.url}/Subscription/${id}`)).body;
    expect(recovered.status).toBe('active');
    expect(recovered.error).toBeUndefined();
  });

  it('sends nothing past its end (and turns it off), nor once it is deleted', async () => {
    const family = `Ended${Date.now()}`;
    const ended = (
      await post(
        `${server.url}/Subscription`,
        subscription(`${hook.url}/ended`, `Patient?family=${family}`, { end: '2020-01-01T00:00:00Z' }),
      )
    ).body.id as string;
    const deleted = (
      await post(
        `${server.url}/Subscription`,
        subscription(`${hook.url}/deleted`, `Patient?family=${family}`),
      )
    ).body.id as string;
    expect((await call(`${server.url}/Subscription/${deleted}`, { method: 'DELETE' })).status).toBeLessThan(
      300,
    );
    await post(`${server.url}/Patient`, patient(family));
    await server.subscriptions?.idle();
    expect(hook.seen.filter((s) => s.path === '/ended' || s.path === '/deleted')).toEqual([]);
    expect((await call(`${server.url}/Subscription/${ended}`)).body.status).toBe('off');
  });

  it('does not notify itself: its own endpoint refused, an update that changes nothing not notified', async () => {
    const own = await post(`${server.url}/Subscription`, subscription(server.url, 'Patient'));
    expect(own.status).toBe(422);
    expect(own.text).toContain('The endpoint is this server');
    const family = `Same${Date.now()}`;
    await post(
      `${server.url}/Subscription`,
      subscription(`${hook.url}/same`, `Patient?family=${family}`, {
        channel: { payload: 'application/fhir+json' },
      }),
    );
    const id = (await post(`${server.url}/Patient`, patient(family))).body.id as string;
    await put(`${server.url}/Patient/${id}`, { ...patient(family), id }); // the same content again
    await put(`${server.url}/Patient/${id}`, { ...patient(family, 'Changed'), id });
    await server.subscriptions?.idle();
    expect(
      hook.seen.filter((s) => s.path.startsWith('/same')).map((s) => (JSON.parse(s.body) as Json).meta),
    ).toEqual([expect.objectContaining({ versionId: '1' }), expect.objectContaining({ versionId: '3' })]);
  });

  it('a delivery never fails the write that caused it (an endpoint nobody listens on)', async () => {
    const family = `Nobody${Date.now()}`;
    await post(
      `${server.url}/Subscription`,
      subscription('http://127.0.0.1:9/none', `Patient?family=${family}`),
    );
    const started = Date.now();
    const write = await post(`${server.url}/Patient`, patient(family));
    expect(write.status).toBe(201);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

describe('a subscription whose notifications pile up', () => {
  it('queues at most maxPending, then turns error and drops the rest', async () => {
    const hook = await receiver();
    hook.answer.status = 503;
    const server = await startServer({
      port: 0,
      validation: 'off',
      subscriptions: { backoffMs: [200], maxPending: 3 },
    });
    try {
      const id = (
        await post(`${server.url}/Subscription`, subscription(`${hook.url}/slow`, 'Patient?family=Piled'))
      ).body.id as string;
      for (let i = 0; i < 6; i++) await post(`${server.url}/Patient`, patient('Piled', `N${i}`));
      await server.subscriptions?.idle();
      const status = (await call(`${server.url}/Subscription/${id}`)).body;
      expect(status.status).toBe('error');
      // Three queued, each tried twice; the other three dropped.
      expect(hook.seen.filter((s) => s.path === '/slow')).toHaveLength(6);
    } finally {
      hook.close();
      await server.close();
    }
  });
});

describe('with a journal, deliveries not yet made survive a restart', () => {
  it('sends after the restart what was queued before it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'subscriptions-'));
    const db = join(dir, 'fhir.journal');
    const hook = await receiver();
    try {
      hook.answer.status = 503;
      // Retried only after a minute: still queued when the server stops.
      let server = await startServer({
        port: 0,
        db,
        validation: 'off',
        subscriptions: { backoffMs: [60_000] },
      });
      await post(`${server.url}/Subscription`, subscription(`${hook.url}/kept`, 'Patient?family=Kept'));
      const id = (await post(`${server.url}/Patient`, patient('Kept'))).body.id as string;
      expect(await until(() => hook.seen.length === 1)).toBe(true);
      await server.close();
      hook.answer.status = 200;
      server = await startServer({ port: 0, db, validation: 'off', subscriptions: { backoffMs: [] } });
      try {
        expect(await until(() => hook.seen.length === 2)).toBe(true);
        expect(hook.seen[1]).toMatchObject({ method: 'POST', path: '/kept' });
        await server.subscriptions?.idle();
        // Delivered: a third start sends nothing more.
        expect((await call(`${server.url}/Patient/${id}`)).status).toBe(200);
      } finally {
        await server.close();
      }
      server = await startServer({ port: 0, db, validation: 'off', subscriptions: { backoffMs: [] } });
      await new Promise((resolve) => setTimeout(resolve, 200));
      await server.close();
      expect(hook.seen).toHaveLength(2);
    } finally {
      hook.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('openIMIS subscriptions', () => {
  let server: RunningServer;
  let hook: Awaited<ReturnType<typeof receiver>>;
  beforeAll(async () => {
    server = await startServer({
      port: 0,
      validation: 'off',
      subscriptions: { flavour: 'openimis', backoffMs: [] },
    });
    hook = await receiver();
  });
  afterAll(async () => {
    hook?.close();
    await server?.close();
  });

  const insuree = (code: string): Json => ({
    resourceType: 'Patient',
    identifier: [
      {
        type: {
          coding: [
            {
              system: 'https://openimis.github.io/openimis_fhir_r4_ig/CodeSystem/openimis-identifiers',
              code: 'Code',
            },
          ],
        },
        value: code,
      },
    ],
    name: [{ family: 'Insured' }],
  });

  it('POSTs the bare resource as application/json for a chfid lookup, with the header object', async () => {
    const answer = await post(
      `${server.url}/Subscription`,
      subscription(`${hook.url}/oi`, 'Patient?chfid__startswith=0707', {
        status: 'active',
        end: '2099-01-01T00:00:00Z',
        channel: { header: ['{"Authorization": "Bearer t"}'] },
      }),
    );
    expect(answer.status, answer.text).toBe(201);
    await post(`${server.url}/Patient`, insuree('070799'));
    await post(`${server.url}/Patient`, insuree('990707'));
    await server.subscriptions?.idle();
    const got = hook.seen.filter((s) => s.path === '/oi');
    expect(got).toHaveLength(1);
    expect(got[0]?.method).toBe('POST');
    expect(got[0]?.headers['content-type']).toBe('application/json');
    expect(got[0]?.headers.authorization).toBe('Bearer t');
    expect((JSON.parse(got[0]?.body ?? '{}') as Json).resourceType).toBe('Patient');
  });

  it('refuses what openIMIS refuses: a status other than active or off, no end, a header that is not a JSON object, other resources', async () => {
    const base = { status: 'active', end: '2099-01-01T00:00:00Z' };
    for (const [body, expression] of [
      [subscription(hook.url, 'Patient', { ...base, status: 'requested' }), 'Subscription.status'],
      [subscription(hook.url, 'Patient', { status: 'active' }), 'Subscription.end'],
      [
        subscription(hook.url, 'Patient', { ...base, channel: { header: ['X-A: b'] } }),
        'Subscription.channel.header',
      ],
      [subscription(hook.url, 'Claim', base), 'Subscription.criteria'],
      [subscription(hook.url, 'Patient?dob__year=1990', base), 'Subscription.criteria'],
    ] as const) {
      const answer = await post(`${server.url}/Subscription`, body);
      expect(answer.status, expression).toBe(422);
      expect(answer.body.issue[0].expression[0]).toBe(expression);
    }
  });
});
