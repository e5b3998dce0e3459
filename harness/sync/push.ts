/**
 * Facilities written to the target, parents first. Each one is found in the target by its identifiers
 * (the registry's ids mean nothing there): found and the same, it is left alone; found and different, it
 * is PUT under the target's id (200); not found, it is POSTed on the condition that nothing holds its
 * identifier (201; a run resumed after a crash cannot make a second one). References to other synced
 * records (partOf, managingOrganization, endpoint) are rewritten to the target's ids; a record referred to
 * but not in this run's changes is read from the registry and found in the target by its identifiers.
 */
import { isJsonObject, objectsOf, stringOf, type JsonObject } from '../json.js';
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

/** The resource as compared: without id, meta and text, keys sorted. */
function canonical(resource: JsonObject): string {
  const { id: _id, meta: _meta, text: _text, ...rest } = resource;
  return JSON.stringify(sortKeys(rest));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isJsonObject(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys(value[key])]),
  );
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

  /** One batch finding the records, one writing those that differ; undefined when batches are refused. */
  private async pushBatch(items: { source: string; resource: JsonObject }[]): Promise<Pushed[] | undefined> {
    const lookups = items.map(({ resource }) =>
      identifierQueries(resource).map((query) => `${String(resource.resourceType)}?${query}`),
    );
    const found = await this.sendBatch(lookups.flat().map((url) => ({ request: { method: 'GET', url } })));
    if (!found || 'stopped' in found) return found && [{ result: 'stopped', error: found.stopped }];
    let at = 0;
    const results: (Pushed | undefined)[] = [];
    const writes: { index: number; entry: JsonObject; method: 'POST' | 'PUT' }[] = [];
    items.forEach(({ source, resource }, index) => {
      const type = String(resource.resourceType);
      const answers = found.slice(at, at + (lookups[index] as string[]).length);
      at += (lookups[index] as string[]).length;
      if (answers.length === 0) {
        results[index] = {
          result: 'failed',
          failure: {
            reference: source,
            stage: 'resolve',
            outcome: outcome(`${source} has no identifier to find it by in the target`, 'required'),
          },
        };
        return;
      }
      const current = answers
        .flatMap((answer) => objectsOf(isJsonObject(answer.resource) ? answer.resource.entry : undefined))
        .map((entry) => entry.resource)
        .find((r): r is JsonObject => isJsonObject(r) && r.resourceType === type && typeof r.id === 'string');
      if (current) {
        this.targets.set(source, `${type}/${String(current.id)}`);
        const wanted = { ...resource, id: current.id };
        if (canonical(wanted) === canonical(current)) results[index] = { result: 'unchanged' };
        else
          writes.push({
            index,
            method: 'PUT',
            entry: { resource: wanted, request: { method: 'PUT', url: `${type}/${String(current.id)}` } },
          });
        return;
      }
      const { id: _id, meta: _meta, ...body } = resource;
      writes.push({
        index,
        method: 'POST',
        entry: {
          resource: body,
          request: { method: 'POST', url: type, ifNoneExist: identifierQueries(resource)[0] },
        },
      });
    });
    if (writes.length > 0) {
      const written = await this.sendBatch(writes.map((w) => w.entry));
      if (!written) return undefined;
      if ('stopped' in written) return [{ result: 'stopped', error: written.stopped }];
      writes.forEach((write, n) => {
        const item = items[write.index] as { source: string; resource: JsonObject };
        const response = isJsonObject(written[n]?.response) ? (written[n]?.response as JsonObject) : {};
        const status = Number.parseInt(String(response.status ?? ''), 10);
        const location = /(?:^|\/)([A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history|$)/.exec(
          stringOf(response.location) ?? '',
        );
        if ((status === 200 || status === 201) && location)
          this.targets.set(item.source, `${location[1]}/${location[2]}`);
        results[write.index] =
          status === 201
            ? { result: write.method === 'POST' ? 'created' : 'updated' }
            : status === 200
              ? { result: write.method === 'POST' ? 'unchanged' : 'updated' }
              : {
                  result: 'failed',
                  failure: {
                    reference: item.source,
                    stage: 'push',
                    outcome: refusal(
                      response.outcome,
                      `${write.method} ${String(item.resource.resourceType)} answered ${String(response.status)}`,
                    ),
                  },
                };
      });
    }
    return results as Pushed[];
  }

  /** A batch's response entries, in order; undefined when the target refuses batches as such. */
  private async sendBatch(entries: JsonObject[]): Promise<JsonObject[] | { stopped: string } | undefined> {
    if (entries.length === 0) return [];
    const sent = await this.target.send('POST', '', {
      body: { resourceType: 'Bundle', type: 'batch', entry: entries },
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

/** The target's OperationOutcome, or one saying what it answered. */
function refusal(body: unknown, fallback: string): fhir4.OperationOutcome {
  return isJsonObject(body) && body.resourceType === 'OperationOutcome'
    ? (body as unknown as fhir4.OperationOutcome)
    : outcome(fallback);
}
