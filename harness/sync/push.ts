/**
 * Facilities written to the target, parents first. Each one is found in the target by its identifiers
 * (the registry's ids mean nothing there): found and the same, it is left alone; found and different, it
 * is PUT under the target's id (200); not found, it is POSTed on the condition that nothing holds its
 * identifier (201; a run resumed after a crash cannot make a second one). References to other synced
 * records (partOf, managingOrganization, endpoint) are rewritten to the target's ids; a record referred to
 * but not in this run's changes is read from the registry and found in the target by its identifiers.
 */
import { isJsonObject, objectsOf, sortKeys, stringOf, type JsonObject } from '../json.js';
import type { HttpClient } from '../runner/index.js';
import { SYNCED_TYPES } from './fetch.js';
import type { SyncFailure, SyncStage } from './types.js';

export type Pushed =
  | { result: 'created' | 'updated' | 'unchanged' }
  | { result: 'failed'; failure: SyncFailure }
  /** The target failed as a whole (unreachable): the run stops. */
  | { result: 'stopped'; error: string };

const REFERENCE = new RegExp(`^(${SYNCED_TYPES.join('|')})/([A-Za-z0-9\\-.]{1,64})$`);

export function outcome(text: string, code = 'processing'): fhir4.OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'error', code: code as 'processing', details: { text } }],
  };
}

/**
 * The order records are written in, as waves whose records do not refer to each other: Endpoints, then
 * Locations one level of the hierarchy at a time (a parent in an earlier wave than its children), then
 * Organizations (a health facility's address names its Location; an Organization names its Endpoints).
 */
export function waves(resources: JsonObject[]): JsonObject[][] {
  const endpoints = resources.filter((r) => r.resourceType === 'Endpoint');
  const organizations = resources.filter((r) => r.resourceType === 'Organization');
  const locations = resources.filter((r) => r.resourceType === 'Location');
  const byKey = new Map(locations.map((l) => [`Location/${String(l.id)}`, l]));
  const depths = new Map<string, number>();
  const depthOf = (location: JsonObject, path: Set<string>): number => {
    const key = `Location/${String(location.id)}`;
    const known = depths.get(key);
    if (known !== undefined) return known;
    // A cycle of partOf: the record is placed where the cycle is met.
    if (path.has(key)) return 0;
    path.add(key);
    const parent = isJsonObject(location.partOf) ? stringOf(location.partOf.reference) : undefined;
    const parentResource = parent ? byKey.get(parent) : undefined;
    const depth = parentResource ? depthOf(parentResource, path) + 1 : 0;
    depths.set(key, depth);
    return depth;
  };
  const levels: JsonObject[][] = [];
  for (const location of locations) (levels[depthOf(location, new Set())] ??= []).push(location);
  return [endpoints, ...levels.filter(Boolean), organizations].filter((wave) => wave.length > 0);
}

/** The search that finds a resource by one of its identifiers. */
function identifierQueries(resource: JsonObject): string[] {
  return objectsOf(resource.identifier)
    .map((identifier) => {
      const value = stringOf(identifier.value);
      const system = stringOf(identifier.system);
      return value ? `identifier=${encodeURIComponent(system ? `${system}|${value}` : value)}` : undefined;
    })
    .filter((query): query is string => query !== undefined);
}

/** One search matching a resource by any of its identifiers (`,` is OR within a token parameter). */
function anyIdentifier(resource: JsonObject): string | undefined {
  const values = objectsOf(resource.identifier)
    .map((identifier) => {
      const value = stringOf(identifier.value);
      const system = stringOf(identifier.system);
      // A comma inside a value is escaped (search.html#escaping).
      const escaped = (text: string) =>
        text.replace(/\\/g, '\\\\').replace(/,/g, '\\,').replace(/\|/g, '\\|');
      return value
        ? encodeURIComponent(system ? `${escaped(system)}|${escaped(value)}` : escaped(value))
        : undefined;
    })
    .filter((value): value is string => value !== undefined);
  return values.length > 0 ? `identifier=${values.join(',')}` : undefined;
}

/** The id in a Location (`Type/id/_history/v`). */
const locationId = (location: string | undefined) =>
  location ? /(?:^|\/)[A-Za-z]+\/([A-Za-z0-9\-.]{1,64})(?:\/_history|$)/.exec(location)?.[1] : undefined;

/** The resource as compared: without id, meta and text, keys sorted. */
function canonical(resource: JsonObject): string {
  const { id: _id, meta: _meta, text: _text, ...rest } = resource;
  return JSON.stringify(sortKeys(rest));
}

export class Pusher {
  /** Registry `Type/id` to target `Type/id` (null: not in the target). */
  private readonly targets = new Map<string, string | null>();

  constructor(
    private readonly registry: HttpClient,
    private readonly target: HttpClient,
    /** Whether the target takes batch Bundles (its CapabilityStatement says so): lookups and writes go in one. */
    private batch = false,
  ) {}

  /** Writes records that do not refer to each other: in two batch requests, else one by one. */
  async pushAll(items: { source: string; resource: JsonObject }[]): Promise<Pushed[]> {
    if (this.batch && items.length > 1) {
      const batched = await this.pushBatch(items);
      if (batched) return batched;
      this.batch = false; // the target refused the batch itself: one by one from now on
    }
    const results: Pushed[] = [];
    for (const item of items) {
      const pushed = await this.push(item.source, item.resource);
      results.push(pushed);
      if (pushed.result === 'stopped') break;
    }
    return results;
  }

  /**
   * One batch creating each record unless the target holds one with any of its identifiers (conditional
   * creates); where it does, the record is compared with the target's and PUT in a second batch when it
   * differs. A full first sync is one request per chunk (answered minimal: the ids are in the Locations).
   * Undefined when the target refuses batches.
   */
  private async pushBatch(items: { source: string; resource: JsonObject }[]): Promise<Pushed[] | undefined> {
    const results: (Pushed | undefined)[] = [];
    const failed = (index: number, stage: SyncStage, why: fhir4.OperationOutcome) => {
      results[index] = {
        result: 'failed',
        failure: { reference: (items[index] as { source: string }).source, stage, outcome: why },
      };
    };
    /** An entry the target refused: its OperationOutcome, or one saying what it answered. */
    const refused = (index: number, method: string, response: JsonObject) =>
      failed(
        index,
        'push',
        refusal(
          response.outcome,
          `${method} ${String((items[index] as { resource: JsonObject }).resource.resourceType)} answered ${String(response.status)}`,
        ),
      );
    const creates: { index: number; entry: JsonObject }[] = [];
    items.forEach(({ source, resource }, index) => {
      const condition = anyIdentifier(resource);
      if (!condition)
        return failed(
          index,
          'resolve',
          outcome(`${source} has no identifier to find it by in the target`, 'required'),
        );
      const { id: _id, meta: _meta, ...body } = resource;
      creates.push({
        index,
        entry: {
          resource: body,
          request: { method: 'POST', url: String(resource.resourceType), ifNoneExist: condition },
        },
      });
    });
    const created = await this.sendBatch(
      creates.map((c) => c.entry),
      'minimal',
    );
    if (!created) return undefined;
    if ('stopped' in created) return [{ result: 'stopped', error: created.stopped }];
    const existing: { index: number; id: string; current?: JsonObject }[] = [];
    creates.forEach(({ index }, n) => {
      const item = items[index] as { source: string; resource: JsonObject };
      const answer = created[n] as JsonObject;
      const { response, status } = entryAnswer(answer);
      const id =
        locationId(stringOf(response.location)) ??
        (isJsonObject(answer.resource) ? stringOf(answer.resource.id) : undefined);
      if ((status === 200 || status === 201) && id)
        this.targets.set(item.source, `${String(item.resource.resourceType)}/${id}`);
      if (status === 201) results[index] = { result: 'created' };
      else if (status === 200 && id)
        existing.push({ index, id, ...(isJsonObject(answer.resource) ? { current: answer.resource } : {}) });
      else refused(index, 'POST', response);
    });
    // A target that answered a match without the resource: read it.
    const unread = existing.filter((e) => !e.current);
    const read = await this.sendBatch(
      unread.map((e) => ({
        request: {
          method: 'GET',
          url: `${String((items[e.index] as { resource: JsonObject }).resource.resourceType)}/${e.id}`,
        },
      })),
    );
    if (!read) return undefined;
    if ('stopped' in read) return [{ result: 'stopped', error: read.stopped }];
    unread.forEach((e, n) => {
      const resource = read[n]?.resource;
      if (isJsonObject(resource)) e.current = resource;
    });
    const updates: { index: number; entry: JsonObject }[] = [];
    for (const { index, id, current } of existing) {
      const item = items[index] as { source: string; resource: JsonObject };
      const wanted = { ...item.resource, id };
      if (current && canonical(wanted) === canonical(current)) results[index] = { result: 'unchanged' };
      else
        updates.push({
          index,
          entry: {
            resource: wanted,
            request: { method: 'PUT', url: `${String(item.resource.resourceType)}/${id}` },
          },
        });
    }
    const updated = await this.sendBatch(
      updates.map((u) => u.entry),
      'minimal',
    );
    if (!updated) return undefined;
    if ('stopped' in updated) return [{ result: 'stopped', error: updated.stopped }];
    updates.forEach(({ index }, n) => {
      const { response, status } = entryAnswer(updated[n]);
      if (status === 200 || status === 201) results[index] = { result: 'updated' };
      else refused(index, 'PUT', response);
    });
    return results as Pushed[];
  }

  /** A batch's response entries, in order; undefined when the target refuses batches as such. */
  private async sendBatch(
    entries: JsonObject[],
    prefer: 'minimal' | 'representation' = 'representation',
  ): Promise<JsonObject[] | { stopped: string } | undefined> {
    if (entries.length === 0) return [];
    const sent = await this.target.send('POST', '', {
      body: { resourceType: 'Bundle', type: 'batch', entry: entries },
      headers: { prefer: `return=${prefer}` },
    });
    if (!sent.ok) return { stopped: `the target is unreachable: ${sent.message}` };
    const bundle = sent.reply.json;
    if (sent.reply.status !== 200 || !isJsonObject(bundle) || bundle.resourceType !== 'Bundle')
      return undefined;
    const answered = objectsOf(bundle.entry);
    return answered.length === entries.length ? answered : undefined;
  }

  /** The target's `Type/id` of a registry record already dealt with, or found there. */
  async targetOf(reference: string): Promise<string | null | { stopped: string }> {
    const known = this.targets.get(reference);
    if (known !== undefined) return known;
    const read = await this.registry.send('GET', reference);
    if (!read.ok) return { stopped: `the registry is unreachable: ${read.message}` };
    const resource = read.reply.json;
    if (read.reply.status !== 200 || !isJsonObject(resource)) {
      this.targets.set(reference, null);
      return null;
    }
    const found = await this.find(resource);
    if ('stopped' in found) return found;
    const key = found.match ? `${String(resource.resourceType)}/${String(found.match.id)}` : null;
    this.targets.set(reference, key);
    return key;
  }

  /** References to synced records rewritten to the target's ids; the first one that cannot be, named. */
  async rewrite(resource: JsonObject): Promise<JsonObject | { unresolved: string } | { stopped: string }> {
    const references: JsonObject[] = [];
    const collect = (node: unknown) => {
      if (Array.isArray(node)) node.forEach(collect);
      else if (isJsonObject(node)) {
        if (typeof node.reference === 'string' && REFERENCE.test(node.reference)) references.push(node);
        Object.values(node).forEach(collect);
      }
    };
    const copy = structuredClone(resource);
    collect(copy);
    for (const holder of references) {
      const target = await this.targetOf(holder.reference as string);
      if (target !== null && typeof target !== 'string') return target;
      if (target === null) return { unresolved: holder.reference as string };
      holder.reference = target;
    }
    return copy;
  }

  /** The target's copy of a resource, found by its identifiers; null when it holds none. */
  private async find(resource: JsonObject): Promise<{ match: JsonObject | null } | { stopped: string }> {
    const type = String(resource.resourceType);
    for (const query of identifierQueries(resource)) {
      const sent = await this.target.send('GET', `${type}?${query}`);
      if (!sent.ok) return { stopped: `the target is unreachable: ${sent.message}` };
      const bundle = sent.reply.json;
      if (sent.reply.status !== 200 || !isJsonObject(bundle)) continue;
      const match = objectsOf(bundle.entry)
        .map((entry) => entry.resource)
        .find((r): r is JsonObject => isJsonObject(r) && r.resourceType === type);
      if (match) return { match };
    }
    return { match: null };
  }

  /** Writes one record (mapped, references rewritten, valid) to the target. */
  async push(source: string, resource: JsonObject): Promise<Pushed> {
    const fail = (stage: SyncStage, why: fhir4.OperationOutcome): Pushed => ({
      result: 'failed',
      failure: { reference: source, stage, outcome: why },
    });
    const type = String(resource.resourceType);
    const queries = identifierQueries(resource);
    if (queries.length === 0)
      return fail('resolve', outcome(`${source} has no identifier to find it by in the target`, 'required'));
    const existing = await this.find(resource);
    if ('stopped' in existing) return { result: 'stopped', error: existing.stopped };
    const current = existing.match;
    if (current && typeof current.id === 'string') {
      this.targets.set(source, `${type}/${current.id}`);
      const wanted = { ...resource, id: current.id };
      if (canonical(wanted) === canonical(current)) return { result: 'unchanged' };
      const sent = await this.target.send('PUT', `${type}/${current.id}`, { body: wanted });
      if (!sent.ok) return { result: 'stopped', error: `the target is unreachable: ${sent.message}` };
      if (sent.reply.status === 200 || sent.reply.status === 201) return { result: 'updated' };
      return fail(
        'push',
        refusal(sent.reply.json, `PUT ${type}/${current.id} answered ${sent.reply.status}`),
      );
    }
    const { id: _id, meta: _meta, ...body } = resource;
    const sent = await this.target.send('POST', type, {
      body,
      headers: { 'if-none-exist': queries[0] as string, prefer: 'return=representation' },
    });
    if (!sent.ok) return { result: 'stopped', error: `the target is unreachable: ${sent.message}` };
    const created = sent.reply.json;
    const id = isJsonObject(created) ? stringOf(created.id) : undefined;
    const location = /\/([A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history|$)/.exec(
      sent.reply.headers.location ?? '',
    );
    const targetId = id ?? location?.[2];
    if ((sent.reply.status === 201 || sent.reply.status === 200) && targetId)
      this.targets.set(source, `${type}/${targetId}`);
    if (sent.reply.status === 201) return { result: 'created' };
    if (sent.reply.status === 200) return { result: 'unchanged' };
    return fail('push', refusal(sent.reply.json, `POST ${type} answered ${sent.reply.status}`));
  }
}

/** A batch response entry's response and its status code (NaN when it gives none). */
function entryAnswer(entry: JsonObject | undefined): { response: JsonObject; status: number } {
  const response = isJsonObject(entry?.response) ? entry.response : {};
  return { response, status: Number.parseInt(String(response.status ?? ''), 10) };
}

/** The target's OperationOutcome, or one saying what it answered. */
function refusal(body: unknown, fallback: string): fhir4.OperationOutcome {
  return isJsonObject(body) && body.resourceType === 'OperationOutcome'
    ? (body as unknown as fhir4.OperationOutcome)
    : outcome(fallback);
}
