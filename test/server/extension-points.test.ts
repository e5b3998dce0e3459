/**
 * The extension points openIMIS behaviour enters the server by (addPlugin, addOperation,
 * Storage.onCommit), exercised by a test plug-in and test operations on a real server over HTTP: each
 * hook runs on every path (a request of its own, a batch entry, a transaction entry), a refusal leaves
 * nothing stored, and the CapabilityStatement says exactly what the routes, plug-ins and operations do.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FhirRequest } from '../../harness/server/exchange.js';
import { versionHeaders } from '../../harness/server/exchange.js';
import {
  TYPE_INTERACTIONS,
  type TypeInteraction,
  type TypePlugin,
  type WriteContext,
} from '../../harness/server/extension-points.js';
import { OutcomeError, operationOutcome } from '../../harness/server/outcomes.js';
import type { RunningServer } from '../../harness/server/server.js';
import type { ResourceVersion } from '../../harness/server/storage/types.js';
import { TEST_SYSTEM, call, marker, post, serve, type Json } from '../support/http-server.js';
import {
  WAYS,
  bundleOf,
  observe,
  observeEntry,
  perform,
  type Interaction,
  type Way,
} from '../support/interaction-ways.js';

let server: RunningServer;
let base: string;

/** What the test plug-in saw, in order. */
const seen: {
  interaction: string;
  via: string;
  type: string;
  id: string;
  current?: string;
  marker?: string;
}[] = [];
/** The versions each commit made, as the storage's listener heard them. */
const commits: ResourceVersion[][] = [];

const textOf = (resource: Json | undefined) =>
  (resource?.code as Json | undefined)?.text as string | undefined;
const markerOf = (resource: Json | undefined) =>
  ((resource?.identifier as Json[] | undefined)?.[0]?.value as string | undefined) ?? undefined;

/**
 * The test plug-in, on Basic: records every write; refuses a resource whose code says `refuse`, and the
 * delete of one whose code says `keep`; answers the create of a `receipt` with a second resource
 * committed with it (as openIMIS answers a Claim with its ClaimResponse).
 */
const basicPlugin: TypePlugin = {
  type: 'Basic',
  documentation: 'Basic: the test plug-in records, refuses and answers writes',
  write(context: WriteContext, plan) {
    const resource = context.resource ?? (context.current?.resource as Json | undefined);
    seen.push({
      interaction: context.interaction,
      via: context.via,
      type: context.type,
      id: context.id,
      ...(context.current ? { current: context.current.versionId } : {}),
      ...(markerOf(resource) ? { marker: markerOf(resource) as string } : {}),
    });
    if (
      textOf(context.resource) === 'refuse' ||
      (context.interaction === 'delete' && textOf(resource) === 'keep')
    )
      throw new OutcomeError(
        422,
        operationOutcome('error', 'business-rule', 'The test plug-in refuses this write'),
      );
    if (context.interaction !== 'create' || textOf(context.resource) !== 'receipt') return undefined;
    const id = randomUUID();
    const receipt = {
      resourceType: 'Basic',
      id,
      identifier: [{ system: `${TEST_SYSTEM}:receipt`, value: markerOf(context.resource) }],
      code: { text: 'receipt-of' },
      subject: { reference: `Basic/${context.id}` },
    };
    return {
      changes: [...plan.changes, { kind: 'write', type: 'Basic', id, resource: receipt, method: 'POST' }],
      answer: (versions) => {
        const made = versions[1] as ResourceVersion;
        return {
          status: 201,
          headers: { ...versionHeaders(made), Location: `${context.request.base}/Basic/${id}/_history/1` },
          body: made.resource as Json,
        };
      },
    };
  },
};

/** A read-only type, as ClaimResponse is to openIMIS clients. */
const FLAG_INTERACTIONS: TypeInteraction[] = ['read', 'search-type'];
const flagPlugin: TypePlugin = {
  type: 'Flag',
  interactions: FLAG_INTERACTIONS,
  documentation: 'Flags are raised by the server; clients read them',
};

beforeAll(async () => {
  server = await serve({ validation: 'lenient' });
  base = server.url;
  server.fhir.addPlugin(basicPlugin);
  server.fhir.addPlugin(flagPlugin);
  server.fhir.addOperation({
    name: 'echo',
    definition: 'urn:test:OperationDefinition/echo',
    types: ['Patient'],
    handle: ({ request }, target) => ({
      status: 200,
      headers: {},
      body: {
        resourceType: 'Parameters',
        parameter: [
          { name: 'method', valueString: request.method },
          { name: 'type', valueString: target.type ?? '' },
        ],
      },
    }),
  });
  server.fhir.addOperation({
    name: 'stamp',
    definition: 'urn:test:OperationDefinition/stamp',
    system: true,
    affectsState: true,
    handle: ({ server: host, request }) => {
      const write: FhirRequest = {
        method: 'POST',
        base: request.base,
        segments: ['Basic'],
        query: [],
        headers: {},
        body: basic(String((request.body as Json | undefined)?.id ?? 'stamp'), 'stamped'),
      };
      return host.handle(write);
    },
  });
  server.storage.onCommit((versions) => commits.push(versions));
});
afterAll(() => server.close());

function basic(value: string, text = 'plain'): Json {
  return { resourceType: 'Basic', identifier: [{ system: TEST_SYSTEM, value }], code: { text } };
}

const byValue = (value: string, system = TEST_SYSTEM) =>
  `identifier=${encodeURIComponent(`${system}|${value}`)}`;

async function storedBasics(value: string, system = TEST_SYSTEM): Promise<Json[]> {
  const answer = await call(`${base}/Basic?${byValue(value, system)}`);
  return ((answer.body.entry ?? []) as Json[]).map((entry) => entry.resource as Json);
}

async function createBasic(value: string, text = 'plain'): Promise<string> {
  const answer = await post(`${base}/Basic`, basic(value, text));
  if (answer.status !== 201) throw new Error(`setup: ${answer.status} ${answer.text}`);
  return String(answer.body.id);
}

describe('a type plug-in', () => {
  it('sees every write of its type, conditional or not, on its own, in a batch and in a transaction', async () => {
    for (const way of WAYS) {
      const value = marker(way);
      const id = await createBasic(value);
      const other = await createBasic(value);
      seen.length = 0;
      const steps: Interaction[] = [
        { method: 'POST', url: 'Basic', body: basic(value) },
        { method: 'PUT', url: `Basic/${id}`, body: { ...basic(value, 'updated'), id } },
        {
          method: 'PATCH',
          url: `Basic/${id}`,
          body: [{ op: 'replace', path: '/code/text', value: 'patched' }],
        },
        { method: 'PUT', url: `Basic?_id=${other}`, body: basic(value, 'conditionally updated') },
        { method: 'DELETE', url: `Basic/${id}` },
        { method: 'DELETE', url: `Basic?_id=${other}` },
      ];
      for (const step of steps)
        expect((await perform(base, way, step)).status, `${way} ${step.method} ${step.url}`).toBeLessThan(
          300,
        );
      expect(seen.map((s) => `${s.interaction} ${s.via}`)).toEqual(
        ['create', 'update', 'patch', 'update', 'delete', 'delete'].map(
          (interaction) => `${interaction} ${way}`,
        ),
      );
      expect(seen.map((s) => s.current)).toEqual([undefined, '1', '2', '1', '3', '2']);
      expect(seen.every((s) => s.type === 'Basic' && s.marker === value)).toBe(true);
    }
  });

  it('refuses with its OperationOutcome, and nothing of the write (or of its transaction) is stored', async () => {
    const value = marker('refuse');
    const alone = await post(`${base}/Basic`, basic(value, 'refuse'));
    expect(alone.status).toBe(422);
    expect(alone.body.issue[0].code).toBe('business-rule');

    const batch = await post(
      base,
      bundleOf('batch', [
        { method: 'POST', url: 'Basic', body: basic(value, 'refuse') },
        { method: 'POST', url: 'Basic', body: basic(value) },
      ]),
    );
    const [refused, accepted] = (batch.body.entry as Json[]).map(observeEntry);
    expect(refused?.status).toBe(422);
    expect(refused?.outcome?.[0]?.code).toBe('business-rule');
    expect(accepted?.status).toBe(201);
    expect((await storedBasics(value)).map(textOf)).toEqual(['plain']);

    const transactionValue = marker('refuse');
    const transaction = await post(
      base,
      bundleOf('transaction', [
        { method: 'POST', url: 'Basic', body: basic(transactionValue) },
        { method: 'POST', url: 'Basic', body: basic(transactionValue, 'refuse') },
      ]),
    );
    expect(transaction.status).toBe(422);
    expect(transaction.body.issue[0].details.text).toMatch(/^Bundle\.entry\[1\]: The test plug-in refuses/);
    expect(await storedBasics(transactionValue)).toEqual([]);
  });

  it('refuses a delete on every path, and the resource stays', async () => {
    for (const way of WAYS) {
      const value = marker(way);
      const id = await createBasic(value, 'keep');
      const answer = await perform(base, way, { method: 'DELETE', url: `Basic/${id}` });
      expect(answer.status, way).toBe(422);
      expect((await call(`${base}/Basic/${id}`)).status, way).toBe(200);
    }
  });

  it('answers in its own way and commits its extra changes with the write, atomically', async () => {
    for (const way of WAYS) {
      const value = marker(way);
      const answer = await perform(base, way, {
        method: 'POST',
        url: 'Basic',
        body: basic(value, 'receipt'),
      });
      expect(answer.status, way).toBe(201);
      expect(textOf(answer.resource), way).toBe('receipt-of');
      expect(answer.location, way).toMatch(/^Basic\/[^/]+\/_history\/1$/);
      const [receipt] = await storedBasics(value, `${TEST_SYSTEM}:receipt`);
      expect((await storedBasics(value)).map(textOf), way).toEqual(['receipt']);
      expect(receipt?.subject, way).toBeDefined();
    }
    const value = marker('atomic');
    const failed = await post(
      base,
      bundleOf('transaction', [
        { method: 'POST', url: 'Basic', body: basic(value, 'receipt') },
        { method: 'POST', url: 'Basic', body: basic(value, 'refuse') },
      ]),
    );
    expect(failed.status).toBe(422);
    expect(await storedBasics(value)).toEqual([]);
    expect(await storedBasics(value, `${TEST_SYSTEM}:receipt`)).toEqual([]);
  });

  it('limits the interactions of its type: others are 405 on every path', async () => {
    const flag = {
      resourceType: 'Flag',
      status: 'active',
      code: { text: 'x' },
      subject: { reference: 'Patient/x' },
    };
    for (const way of WAYS) {
      const answer = await perform(base, way, { method: 'POST', url: 'Flag', body: flag });
      expect(answer.status, way).toBe(405);
    }
    const alone = await post(`${base}/Flag`, flag);
    expect(alone.headers.get('allow')).toBe('GET');
    expect((await call(`${base}/Flag?code=x`)).status).toBe(200);
  });
});

describe('an operation', () => {
  it('runs on its own and as a batch or transaction entry', async () => {
    for (const way of WAYS) {
      const answer = await perform(base, way, { method: 'GET', url: 'Patient/$echo' });
      expect(answer.status, way).toBe(200);
      expect(answer.resource?.parameter?.[1]?.valueString, way).toBe('Patient');
    }
    expect((await call(`${base}/Basic/$echo`)).status).toBe(404);
  });

  it('that affects state: POST only, not inside a transaction (nothing of it stored), and fine in a batch', async () => {
    const value = marker('stamp');
    expect((await call(`${base}/$stamp`)).status).toBe(405);
    expect((await post(`${base}/$stamp`, { resourceType: 'Parameters', id: value })).status).toBe(201);
    const inBatch = await perform(base, 'batch', {
      method: 'POST',
      url: '$stamp',
      body: { resourceType: 'Parameters', id: `${value}b` },
    });
    expect(inBatch.status).toBe(201);
    const transactionValue = marker('stamp');
    const inTransaction = await post(
      base,
      bundleOf('transaction', [
        { method: 'POST', url: 'Basic', body: basic(transactionValue) },
        { method: 'POST', url: '$stamp', body: { resourceType: 'Parameters', id: transactionValue } },
      ]),
    );
    expect(inTransaction.status).toBe(400);
    expect(inTransaction.body.issue[0].details.text).toMatch(/^Bundle\.entry\[1\]/);
    expect(await storedBasics(transactionValue)).toEqual([]);
    expect((await storedBasics(value)).map(textOf)).toEqual(['stamped']);
  });
});

describe('Storage.onCommit', () => {
  it('hears every commit: one per request or batch entry, one for a whole transaction', async () => {
    const counted = async (way: Way | 'two in a batch' | 'two in a transaction') => {
      const before = commits.length;
      const value = marker('commit');
      if (way === 'two in a batch' || way === 'two in a transaction') {
        const type = way === 'two in a batch' ? 'batch' : 'transaction';
        const entries: Interaction[] = [0, 1].map(() => ({
          method: 'POST',
          url: 'Basic',
          body: basic(value),
        }));
        expect(observe(base, type, await post(base, bundleOf(type, entries))).status).toBeLessThan(300);
      } else
        expect((await perform(base, way, { method: 'POST', url: 'Basic', body: basic(value) })).status).toBe(
          201,
        );
      return commits.slice(before).map((versions) => versions.length);
    };
    expect(await counted('rest')).toEqual([1]);
    expect(await counted('batch')).toEqual([1]);
    expect(await counted('transaction')).toEqual([1]);
    expect(await counted('two in a batch')).toEqual([1, 1]);
    expect(await counted('two in a transaction')).toEqual([2]);
  });
});

describe('the CapabilityStatement', () => {
  /** A request of each type-level interaction, on a resource that does not exist: never 405 if declared. */
  const probes: Record<TypeInteraction, (type: string) => Interaction> = {
    read: (type) => ({ method: 'GET', url: `${type}/none` }),
    vread: (type) => ({ method: 'GET', url: `${type}/none/_history/1` }),
    update: (type) => ({ method: 'PUT', url: `${type}/none`, body: { resourceType: type, id: 'none' } }),
    patch: (type) => ({ method: 'PATCH', url: `${type}/none`, body: [] }),
    delete: (type) => ({ method: 'DELETE', url: `${type}/none` }),
    'history-instance': (type) => ({ method: 'GET', url: `${type}/none/_history` }),
    'history-type': (type) => ({ method: 'GET', url: `${type}/_history` }),
    create: (type) => ({ method: 'POST', url: type, body: { resourceType: type } }),
    'search-type': (type) => ({ method: 'GET', url: `${type}?_id=none` }),
  };

  it('declares exactly the interactions the routes take, type by type, plug-ins included', async () => {
    const statement = (await call(`${base}/metadata`)).body;
    const resources = statement.rest[0].resource as Json[];
    for (const type of ['Patient', 'Basic', 'Flag']) {
      const declared = (resources.find((r) => r.type === type)?.interaction as Json[]).map((i) =>
        String(i.code),
      );
      for (const code of TYPE_INTERACTIONS) {
        const status = (await perform(base, 'rest', probes[code](type))).status;
        expect(status === 405, `${type} ${code}: ${status}, declared: ${declared.includes(code)}`).toBe(
          !declared.includes(code),
        );
      }
    }
    const flag = resources.find((r) => r.type === 'Flag') as Json;
    expect(flag.interaction.map((i: Json) => i.code)).toEqual(FLAG_INTERACTIONS);
    expect(flag.documentation).toBe(flagPlugin.documentation);
    expect([
      flag.conditionalCreate,
      flag.conditionalUpdate,
      flag.conditionalDelete,
      flag.updateCreate,
    ]).toEqual([false, false, 'not-supported', false]);
    expect(resources.find((r) => r.type === 'Basic')?.documentation).toBe(basicPlugin.documentation);
  });

  it('declares the system interactions the routes take, and every registered operation', async () => {
    const rest = (await call(`${base}/metadata`)).body.rest[0];
    expect(rest.interaction.map((i: Json) => i.code).sort()).toEqual([
      'batch',
      'history-system',
      'search-system',
      'transaction',
    ]);
    expect((await call(base)).status).toBe(200);
    expect((await call(`${base}/_history`)).status).toBe(200);
    expect((await post(base, { resourceType: 'Bundle', type: 'batch', entry: [] })).status).toBe(200);
    expect(rest.operation.map((o: Json) => o.name)).toEqual(['stamp']);
    const patient = (rest.resource as Json[]).find((r) => r.type === 'Patient') as Json;
    expect(patient.operation.map((o: Json) => o.name).sort()).toEqual(['echo', 'validate']);
    const basicOperations = ((rest.resource as Json[]).find((r) => r.type === 'Basic')?.operation ??
      []) as Json[];
    expect(basicOperations.map((o) => o.name)).toEqual(['validate']);
  });
});
