/**
 * Batch and transaction Bundles (http.html#transaction). A batch runs each entry on its own and
 * reports each result; a transaction is all or nothing: every entry is checked first, references to
 * the `fullUrl` of created entries (urn:uuid) are rewritten to the new ids, and all writes go to storage
 * in one atomic commit. Any failure leaves nothing stored.
 */
import { randomUUID } from 'node:crypto';
import type { FhirRequest, FhirResponse } from './exchange.js';
import { etag, parseETag } from './exchange.js';
import type { FhirServer } from './fhir-server.js';
import { OutcomeError, badRequest, operationOutcome, preconditionFailed, shown } from './outcomes.js';
import type { Change, ResourceVersion } from './storage/types.js';
import type { JsonObject } from '../json.js';
import { isJsonObject } from '../json.js';

const ID_PATTERN = /^[A-Za-z0-9\-.]{1,64}$/;

interface EntryRequest {
  index: number;
  method: string;
  url: string;
  /** The path of the url, split on '/'. */
  segments: string[];
  query: [string, string][];
  fullUrl?: string;
  resource?: JsonObject;
  ifMatch?: string;
  ifNoneMatch?: string;
  ifNoneExist?: string;
  ifModifiedSince?: string;
}

function readEntries(bundle: JsonObject): EntryRequest[] {
  const entries = Array.isArray(bundle.entry) ? bundle.entry : [];
  return entries.map((entry, index) => {
    const where = `Bundle.entry[${index}]`;
    if (!isJsonObject(entry) || !isJsonObject(entry.request))
      throw badRequest(`${where} has no request`, `${where}.request`);
    const { method, url } = entry.request;
    if (typeof method !== 'string' || !['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(method)) {
      throw badRequest(
        `${where}.request.method must be GET, HEAD, POST, PUT, PATCH or DELETE`,
        `${where}.request.method`,
      );
    }
    if (typeof url !== 'string' || url === '')
      throw badRequest(`${where}.request.url is missing`, `${where}.request.url`);
    const [path = '', search = ''] = url.replace(/^\//, '').split('?');
    const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
    const request: EntryRequest = {
      index,
      method,
      url,
      segments: path.split('/').filter(Boolean),
      query: [...new URLSearchParams(search).entries()],
    };
    const fullUrl = text(entry.fullUrl);
    if (fullUrl) request.fullUrl = fullUrl;
    if (isJsonObject(entry.resource)) request.resource = entry.resource;
    for (const key of ['ifMatch', 'ifNoneMatch', 'ifNoneExist', 'ifModifiedSince'] as const) {
      const value = text(entry.request[key]);
      if (value) request[key] = value;
    }
    return request;
  });
}

function subRequest(parent: FhirRequest, entry: EntryRequest): FhirRequest {
  return {
    method: entry.method,
    base: parent.base,
    segments: entry.segments,
    query: entry.query,
    headers: {
      ...(entry.ifMatch ? { ifMatch: entry.ifMatch } : {}),
      ...(entry.ifNoneMatch ? { ifNoneMatch: entry.ifNoneMatch } : {}),
      ...(entry.ifNoneExist ? { ifNoneExist: entry.ifNoneExist } : {}),
      ...(entry.ifModifiedSince ? { ifModifiedSince: entry.ifModifiedSince } : {}),
      ...(parent.headers.prefer ? { prefer: parent.headers.prefer } : {}),
    },
    ...(entry.resource ? { body: entry.resource } : {}),
  };
}

/** A Bundle entry's response part from a handler's response. */
function entryOf(response: FhirResponse): fhir4.BundleEntry {
  const isOutcome = response.body?.resourceType === 'OperationOutcome' && response.status >= 400;
  return {
    ...(response.body && !isOutcome ? { resource: response.body as unknown as fhir4.FhirResource } : {}),
    response: {
      status: String(response.status),
      ...(response.headers.Location ? { location: response.headers.Location } : {}),
      ...(response.headers.ETag ? { etag: response.headers.ETag } : {}),
      ...(response.headers['Last-Modified']
        ? { lastModified: new Date(response.headers['Last-Modified']).toISOString() }
        : {}),
      ...(isOutcome ? { outcome: response.body as unknown as fhir4.FhirResource } : {}),
    },
  };
}

export function processBundle(server: FhirServer, request: FhirRequest, bundle: JsonObject): FhirResponse {
  if (bundle.type !== 'batch' && bundle.type !== 'transaction') {
    throw badRequest(
      `A Bundle posted to the base URL must be a batch or a transaction, not '${shown(bundle.type)}'`,
      'Bundle.type',
    );
  }
  const entries = readEntries(bundle);
  const responseType = bundle.type === 'batch' ? 'batch-response' : 'transaction-response';
  const responseEntries =
    bundle.type === 'batch'
      ? entries.map((entry) => entryOf(server.handle(subRequest(request, entry))))
      : transaction(server, request, entries);
  return {
    status: 200,
    headers: {},
    body: { resourceType: 'Bundle', id: randomUUID(), type: responseType, entry: responseEntries },
  };
}

/** Rewrites every `reference` that names a created entry's fullUrl to the entry's new `Type/id`. */
function rewriteReferences(node: unknown, targets: Map<string, string>, where: string): unknown {
  if (Array.isArray(node)) return node.map((item) => rewriteReferences(item, targets, where));
  if (!isJsonObject(node)) return node;
  const copy: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    let rewritten: unknown;
    if (key === 'reference' && typeof value === 'string' && value.startsWith('urn:uuid:')) {
      // A urn:uuid only means something inside the Bundle: one that no entry carries cannot be stored.
      rewritten = targets.get(value);
      if (rewritten === undefined) {
        throw new OutcomeError(
          422,
          operationOutcome(
            'error',
            'not-found',
            `${where}: the reference '${value}' matches the fullUrl of no entry of the transaction`,
          ),
        );
      }
    } else
      rewritten =
        key === 'reference' && typeof value === 'string' && targets.has(value)
          ? targets.get(value)
          : rewriteReferences(value, targets, where);
    // defineProperty keeps a hostile `__proto__` key an ordinary property of the copy.
    Object.defineProperty(copy, key, {
      value: rewritten,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return copy;
}

interface PlannedWrite {
  entry: EntryRequest;
  change: Change;
  /** The status the entry answers with once committed. */
  status: number;
}

function transaction(server: FhirServer, request: FhirRequest, entries: EntryRequest[]): fhir4.BundleEntry[] {
  const definitions = server.parts.definitions;
  const targets = new Map<string, string>();
  const existing = new Map<number, ResourceVersion>();
  const ids = new Map<number, { type: string; id: string }>();

  // First pass: where each created entry will live (a new id, or the match of its ifNoneExist).
  for (const entry of entries) {
    // An update by id is where its fullUrl points too (a urn:uuid fullUrl on a PUT is allowed).
    if (entry.method === 'PUT' && entry.segments.length === 2 && entry.fullUrl)
      targets.set(entry.fullUrl, entry.segments.join('/'));
    if (entry.method !== 'POST') continue;
    const type = entry.segments[0] ?? '';
    if (entry.segments.length !== 1 || !definitions.isResourceType(type))
      throw badRequest(`Bundle.entry[${entry.index}]: cannot POST to '${entry.url}'`);
    let id: string = randomUUID();
    if (entry.ifNoneExist) {
      const matches = server.parts.search.search(type, [...new URLSearchParams(entry.ifNoneExist).entries()]);
      if ('error' in matches)
        throw badRequest(`Bundle.entry[${entry.index}].request.ifNoneExist: ${matches.error}`);
      const found = matches.matches.filter((m) => m.type === type);
      if (found.length > 1)
        throw preconditionFailed(
          `Bundle.entry[${entry.index}]: ifNoneExist matches ${found.length} resources`,
        );
      const match = found[0] ? server.parts.storage.read(type, found[0].id) : undefined;
      if (match?.resource) {
        existing.set(entry.index, match);
        id = match.id;
      }
    }
    ids.set(entry.index, { type, id });
    if (entry.fullUrl) targets.set(entry.fullUrl, `${type}/${id}`);
  }

  // Second pass: every write, checked, with references rewritten; nothing is stored yet.
  const planned: PlannedWrite[] = [];
  const touched = new Set<string>();
  for (const entry of entries) {
    const where = `Bundle.entry[${entry.index}]`;
    if (entry.method === 'GET' || entry.method === 'HEAD') continue;
    const type = entry.segments[0] ?? '';
    if (!definitions.isResourceType(type))
      throw badRequest(`${where}: '${entry.url}' names no resource type`);
    const ifMatch = parseETag(entry.ifMatch);
    if (entry.method === 'DELETE') {
      const targetIds =
        entry.segments.length === 2
          ? [entry.segments[1] as string]
          : conditionalMatches(server, type, entry, where);
      for (const id of targetIds) {
        if (server.parts.storage.read(type, id)?.resource === undefined) continue;
        planned.push({
          entry,
          status: 204,
          change: { kind: 'delete', type, id, ...(ifMatch && ifMatch !== '*' ? { ifVersion: ifMatch } : {}) },
        });
        claim(touched, `${type}/${id}`, where);
      }
      continue;
    }
    if (entry.method === 'PATCH')
      throw badRequest(`${where}: PATCH inside a transaction is not supported; use PUT`);
    if (!entry.resource) throw badRequest(`${where} has no resource`, `${where}.resource`);
    const resource = rewriteReferences(entry.resource, targets, `${where}.resource`) as JsonObject;
    if (resource.resourceType !== type)
      throw badRequest(`${where}: the resource is a ${shown(resource.resourceType)}, not a ${type}`);
    if (entry.method === 'POST') {
      if (existing.has(entry.index)) continue;
      const { id } = ids.get(entry.index) as { type: string; id: string };
      server.parts.writeValidation.check(resource, `${where}.resource`);
      planned.push({
        entry,
        status: 201,
        change: { kind: 'write', type, id, resource: { ...resource, id }, method: 'POST' },
      });
      claim(touched, `${type}/${id}`, where);
      continue;
    }
    // PUT: an update by id, or a conditional update.
    let id = entry.segments[1];
    if (id === undefined) {
      const matches = conditionalMatches(server, type, entry, where);
      if (matches.length > 1)
        throw preconditionFailed(`${where}: the conditional update matches ${matches.length} resources`);
      id = matches[0] ?? (typeof resource.id === 'string' ? resource.id : randomUUID());
    }
    if (!ID_PATTERN.test(id)) throw badRequest(`${where}: '${id}' is not a valid id`);
    if (resource.id !== undefined && resource.id !== id)
      throw badRequest(`${where}: the resource id does not match the url`);
    server.parts.writeValidation.check({ ...resource, id }, `${where}.resource`);
    const existed = server.parts.storage.read(type, id)?.resource !== undefined;
    planned.push({
      entry,
      status: existed ? 200 : 201,
      change: {
        kind: 'write',
        type,
        id,
        resource: { ...resource, id },
        method: 'PUT',
        ...(ifMatch && ifMatch !== '*' ? { ifVersion: ifMatch } : {}),
      },
    });
    claim(touched, `${type}/${id}`, where);
  }

  // The commit: deletes, then creates, then updates, as the specification orders them; all or nothing.
  const order = { DELETE: 0, POST: 1, PUT: 2 } as Record<string, number>;
  const sorted = [...planned].sort((a, b) => (order[a.entry.method] ?? 3) - (order[b.entry.method] ?? 3));
  const versions = server.commit(sorted.map((p) => p.change));
  const byEntry = new Map<number, { version?: ResourceVersion; status: number }>();
  sorted.forEach((plan, i) =>
    byEntry.set(plan.entry.index, {
      version: versions.find((v) => v.type === plan.change.type && v.id === plan.change.id) ?? versions[i],
      status: plan.status,
    }),
  );

  // Reads come last, and see the writes.
  return entries.map((entry) => {
    if (entry.method === 'GET' || entry.method === 'HEAD')
      return entryOf(server.handle(subRequest(request, entry)));
    const kept = existing.get(entry.index);
    if (kept) return answer(request.base, kept, 200);
    const done = byEntry.get(entry.index);
    if (!done) return { response: { status: '204' } };
    return answer(request.base, done.version, done.status);
  });
}

function answer(base: string, version: ResourceVersion | undefined, status: number): fhir4.BundleEntry {
  if (!version || status === 204) return { response: { status: String(status) } };
  return {
    fullUrl: `${base}/${version.type}/${version.id}`,
    ...(version.resource ? { resource: version.resource as unknown as fhir4.FhirResource } : {}),
    response: {
      status: String(status),
      location: `${version.type}/${version.id}/_history/${version.versionId}`,
      etag: etag(version.versionId),
      lastModified: version.lastUpdated,
    },
  };
}

function conditionalMatches(server: FhirServer, type: string, entry: EntryRequest, where: string): string[] {
  if (entry.query.length === 0) throw badRequest(`${where}: '${entry.url}' needs an id or search criteria`);
  const result = server.parts.search.search(type, entry.query);
  if ('error' in result) throw badRequest(`${where}: ${result.error}`);
  return result.matches.filter((m) => m.type === type).map((m) => m.id);
}

/** A transaction may touch each resource once (http.html#transaction). */
function claim(touched: Set<string>, key: string, where: string): void {
  if (touched.has(key))
    throw new OutcomeError(
      400,
      operationOutcome(
        'error',
        'invalid',
        `${where}: ${key} is changed by more than one entry of the transaction`,
      ),
    );
  touched.add(key);
}
