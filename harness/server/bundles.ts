/**
 * Batch and transaction Bundles (http.html#transaction). Each entry is a request like any other: it is
 * matched against the server's route table and runs the same interaction a request of its own runs.
 * What is the Bundle's own is only this:
 * - a batch runs each entry on its own and reports each result;
 * - a transaction is all or nothing: every write entry is planned first, in the order the specification
 *   gives (deletes, creates, updates and patches), references to the `fullUrl` of created or updated
 *   entries (urn:uuid) are rewritten to their ids, and all the plans commit at once; reads come last
 *   and see the writes. Any failure leaves nothing stored, and the answer names the entry.
 */
import { randomUUID } from 'node:crypto';
import { isJsonObject, stringOf, type JsonObject } from '../json.js';
import { parseJsonSource } from '../validator/json-source.js';
import { errorResponse, type FhirRequest, type FhirResponse, type RequestHeaders } from './exchange.js';
import type { ServerServices, WritePlan } from './extension-points.js';
import { OutcomeError, badRequest, operationOutcome, shown, unsupportedMediaType } from './outcomes.js';
import { isWriteRoute, type Route, type RouteParams } from './routes.js';
import type { CreateTarget, WriteInteractions } from './writes.js';
import type { Change } from './storage/types.js';

/** A route as the server resolves it for a request, and whether running it changes stored data. */
export interface ResolvedRoute {
  route: Route;
  params: RouteParams;
  /** A write, or an operation that affects state. */
  changesData: boolean;
}

/** What the Bundle processor needs of the server. */
export interface BundleHost extends ServerServices {
  /** The route a request takes, as `handle` finds it; an OutcomeError (404, 405, 400) when none. */
  resolve(request: FhirRequest): ResolvedRoute;
  readonly writes: WriteInteractions;
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];
const JSON_PATCH = 'application/json-patch+json';
/** As deep as a request body may be (server.ts): a patch inside a Binary escaped the body's own check. */
const MAX_PATCH_DEPTH = 200;
/** The order a transaction processes its writes in (http.html#trules): deletes, creates, the rest. */
const PROCESSING_ORDER: Record<string, number> = { DELETE: 0, POST: 1, PUT: 2, PATCH: 2 };

interface Entry {
  index: number;
  method: string;
  url: string;
  fullUrl?: string;
  resource?: JsonObject;
  headers: RequestHeaders;
}

export function processBundle(host: BundleHost, request: FhirRequest, bundle: JsonObject): FhirResponse {
  if (bundle.type !== 'batch' && bundle.type !== 'transaction') {
    throw badRequest(
      `A Bundle posted to the base URL must be a batch or a transaction, not '${shown(bundle.type)}'`,
      'Bundle.type',
    );
  }
  const entries = readEntries(bundle);
  const responseEntries =
    bundle.type === 'batch' ? batch(host, request, entries) : transaction(host, request, entries);
  return {
    status: 200,
    headers: {},
    body: {
      resourceType: 'Bundle',
      id: randomUUID(),
      type: `${bundle.type}-response`,
      entry: responseEntries,
    },
  };
}

/** Each entry on its own: a failure is that entry's answer, and the others go on. */
function batch(host: BundleHost, parent: FhirRequest, entries: Entry[]): fhir4.BundleEntry[] {
  return entries.map((entry) => {
    let request: FhirRequest | undefined;
    try {
      request = entryRequest(parent, entry, 'batch');
    } catch (error) {
      return entryOf(parent, errorResponse(error), isWriteMethod(entry.method));
    }
    return entryOf(parent, host.handle(request), isWriteRequest(request));
  });
}

interface PlannedEntry {
  index: number;
  plan: WritePlan;
  request: FhirRequest;
}

function transaction(host: BundleHost, parent: FhirRequest, entries: Entry[]): fhir4.BundleEntry[] {
  const requests = entries.map((entry) =>
    inEntry(entry.index, () => entryRequest(parent, entry, 'transaction')),
  );
  const resolved = requests.map((request, index) => inEntry(index, () => host.resolve(request)));
  resolved.forEach(({ route, changesData }, index) => {
    if (changesData && !isWriteRoute(route))
      throw inEntryError(
        index,
        badRequest(
          `'${entries[index]?.url}' changes data outside the transaction's commit; send it on its own`,
        ),
      );
  });

  // Where created and conditionally updated entries land, so that references to their fullUrl can
  // name them before anything is planned.
  const fullUrls = new Map<string, string>();
  const createTargets = new Map<number, CreateTarget>();
  resolved.forEach(({ route, params }, index) => {
    const entry = entries[index] as Entry;
    let request = requests[index] as FhirRequest;
    if (!isWriteRoute(route) || params.type === undefined) return;
    const type = params.type;
    if (route.interactions.includes('create')) {
      const target = inEntry(index, () => host.writes.createTarget(request, type));
      createTargets.set(index, target);
      if (entry.fullUrl)
        fullUrls.set(entry.fullUrl, `${type}/${'existing' in target ? target.existing.id : target.id}`);
      return;
    }
    if (route.interactions.includes('update') && route.conditional) {
      request = inEntry(index, () => host.writes.conditionalUpdateTarget(request, type));
      requests[index] = request;
      resolved[index] = inEntry(index, () => host.resolve(request));
    }
    if (route.interactions.includes('update') && entry.fullUrl)
      fullUrls.set(entry.fullUrl, `${type}/${String(request.segments[1])}`);
  });

  // Every write planned, with its references rewritten; nothing is stored yet.
  const planned: PlannedEntry[] = [];
  /**
   * Their changes so far. Each entry's plug-in reads it while that entry is planned (never later), so
   * one list grown after each plan serves them all: a copy per entry would cost the square of the
   * entries (a bulk load sends a thousand).
   */
  const plannedChanges: Change[] = [];
  const touched = new Set<string>();
  const writes = resolved
    .flatMap(({ route, params }, index) => (isWriteRoute(route) ? [{ route, params, index }] : []))
    .sort((a, b) => order(entries[a.index]) - order(entries[b.index]));
  for (const { route, params, index } of writes) {
    const rewritten = inEntry(index, () =>
      withReferencesRewritten(requests[index] as FhirRequest, fullUrls, index),
    );
    // A plug-in may need what earlier entries write (a policy for the family created just before it).
    const request: FhirRequest = rewritten.entry
      ? { ...rewritten, entry: { ...rewritten.entry, planned: plannedChanges } }
      : rewritten;
    const createTarget = createTargets.get(index);
    const plan = inEntry(index, () =>
      createTarget !== undefined && params.type !== undefined
        ? host.writes.create(request, params.type, createTarget)
        : route.plan(request, params),
    );
    for (const change of plan.changes) claim(touched, `${change.type}/${change.id}`, index);
    planned.push({ index, plan, request });
    plannedChanges.push(...plan.changes);
  }

  // One commit for them all.
  const versions = host.writes.commit(plannedChanges);
  const answers = new Map<number, fhir4.BundleEntry>();
  let next = 0;
  for (const { index, plan } of planned) {
    const made = versions.slice(next, next + plan.changes.length);
    next += plan.changes.length;
    answers.set(index, entryOf(parent, plan.answer(made), true));
  }

  // Reads come last, and see the writes.
  return requests.map((request, index) => answers.get(index) ?? entryOf(parent, host.handle(request), false));
}

function order(entry: Entry | undefined): number {
  return PROCESSING_ORDER[entry?.method ?? ''] ?? 3;
}

function readEntries(bundle: JsonObject): Entry[] {
  const entries = Array.isArray(bundle.entry) ? bundle.entry : [];
  return entries.map((entry, index) => {
    const where = `Bundle.entry[${index}]`;
    if (!isJsonObject(entry) || !isJsonObject(entry.request))
      throw badRequest(`${where} has no request`, `${where}.request`);
    const { method, url } = entry.request;
    if (typeof method !== 'string' || !METHODS.includes(method)) {
      throw badRequest(
        `${where}.request.method must be GET, HEAD, POST, PUT, PATCH or DELETE`,
        `${where}.request.method`,
      );
    }
    if (typeof url !== 'string' || url === '')
      throw badRequest(`${where}.request.url is missing`, `${where}.request.url`);
    const headers: RequestHeaders = {};
    for (const key of ['ifMatch', 'ifNoneMatch', 'ifNoneExist', 'ifModifiedSince'] as const) {
      const value = stringOf(entry.request[key]);
      if (value) headers[key] = value;
    }
    const fullUrl = stringOf(entry.fullUrl);
    return {
      index,
      method,
      url,
      headers,
      ...(fullUrl ? { fullUrl } : {}),
      ...(isJsonObject(entry.resource) ? { resource: entry.resource } : {}),
    };
  });
}

/** An entry as the request it stands for: its url below the base, its headers, Prefer of the Bundle. */
function entryRequest(parent: FhirRequest, entry: Entry, bundleType: 'batch' | 'transaction'): FhirRequest {
  const [path = '', search = ''] = entry.url.replace(/^\//, '').split('?');
  const body = entry.method === 'PATCH' ? patchBody(entry.resource) : entry.resource;
  return {
    method: entry.method,
    base: parent.base,
    segments: path.split('/').filter(Boolean),
    query: [...new URLSearchParams(search).entries()],
    headers: { ...entry.headers, ...(parent.headers.prefer ? { prefer: parent.headers.prefer } : {}) },
    entry: { bundleType, index: entry.index },
    ...(body !== undefined ? { body } : {}),
    // Verdicts reached already for the entries' resources (a large body, a bulk load).
    ...(parent.checked ? { checked: parent.checked } : {}),
  };
}

/**
 * A PATCH entry carries its JSON Patch in a Binary (http.html#patch: a Bundle has no other place for a
 * document that is not a resource).
 */
function patchBody(resource: JsonObject | undefined): unknown {
  if (!resource) return undefined;
  if (resource.resourceType !== 'Binary')
    throw unsupportedMediaType(
      `A PATCH entry carries a JSON Patch in a Binary with contentType ${JSON_PATCH}, not a ${shown(resource.resourceType)}`,
    );
  if (resource.contentType !== JSON_PATCH)
    throw unsupportedMediaType(
      `The patch's contentType is '${shown(resource.contentType)}'; this server applies ${JSON_PATCH}`,
    );
  const data = stringOf(resource.data);
  if (data === undefined) throw badRequest('The patch Binary has no data');
  const parsed = parseJsonSource(Buffer.from(data, 'base64').toString('utf8'), { maxDepth: MAX_PATCH_DEPTH });
  if (!parsed.ok) throw badRequest(`The patch is not valid JSON: ${parsed.error.message}`);
  return parsed.json.value;
}

/** The request with every reference to an entry's fullUrl in its body rewritten to that entry's id. */
function withReferencesRewritten(
  request: FhirRequest,
  fullUrls: Map<string, string>,
  index: number,
): FhirRequest {
  if (!isJsonObject(request.body)) return request;
  return { ...request, body: rewriteReferences(request.body, fullUrls, `Bundle.entry[${index}].resource`) };
}

/**
 * Rewrites every `reference` that names an entry's fullUrl to the entry's `Type/id`. Only the objects
 * and arrays on the way to a rewritten reference are copied; the rest of the body is shared, untouched.
 */
function rewriteReferences(node: unknown, targets: Map<string, string>, where: string): unknown {
  if (Array.isArray(node)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < node.length; i++) {
      const item: unknown = node[i];
      const rewritten = rewriteReferences(item, targets, where);
      if (rewritten !== item) (copy ??= node.slice())[i] = rewritten;
    }
    return copy ?? node;
  }
  if (!isJsonObject(node)) return node;
  let copy: JsonObject | undefined;
  for (const key of Object.keys(node)) {
    const value = node[key];
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
    if (rewritten === value) continue;
    copy ??= { ...node };
    // defineProperty keeps a hostile `__proto__` key an ordinary property of the copy.
    Object.defineProperty(copy, key, {
      value: rewritten,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return copy ?? node;
}

/** A transaction may touch each resource once (http.html#trules). */
function claim(touched: Set<string>, key: string, index: number): void {
  if (touched.has(key))
    throw new OutcomeError(
      400,
      operationOutcome(
        'error',
        'invalid',
        `Bundle.entry[${index}]: ${key} is changed by more than one entry of the transaction`,
      ),
    );
  touched.add(key);
}

/** Runs a step of one entry; its failure fails the transaction, naming the entry. */
function inEntry<T>(index: number, step: () => T): T {
  try {
    return step();
  } catch (error) {
    throw error instanceof OutcomeError ? inEntryError(index, error) : error;
  }
}

/**
 * The error of an entry as the transaction's: each issue's text names the entry, and an expression
 * inside the entry's resource (`Patient.gender`) becomes one inside the Bundle
 * (`Bundle.entry[2].resource.gender`).
 */
function inEntryError(index: number, error: OutcomeError): OutcomeError {
  const where = `Bundle.entry[${index}]`;
  const issue = error.outcome.issue.map((item) => {
    const text = item.details?.text ?? '';
    return {
      ...item,
      details: { ...item.details, text: text.startsWith(where) ? text : `${where}: ${text}` },
      ...(item.expression
        ? { expression: item.expression.map((expression) => inResource(where, expression)) }
        : {}),
    };
  });
  return new OutcomeError(error.status, { ...error.outcome, issue }, error.headers);
}

function inResource(where: string, expression: string): string {
  if (expression.startsWith('Bundle.entry[')) return expression;
  const [root = '', ...rest] = expression.split('.');
  // A resource's expressions start with its type; others (a search parameter, `resourceType`) are
  // the request's and stay as they are.
  return /^[A-Z]/.test(root) ? [`${where}.resource`, ...rest].join('.') : expression;
}

function isWriteMethod(method: string): boolean {
  return method === 'POST' || method === 'PUT' || method === 'PATCH' || method === 'DELETE';
}

/** A create, update, patch or delete: not a read, a search by POST, nor an operation. */
function isWriteRequest(request: FhirRequest): boolean {
  const last = request.segments[request.segments.length - 1] ?? '';
  return isWriteMethod(request.method) && !last.startsWith('$') && last !== '_search';
}

/**
 * An entry of the response Bundle from a response: the resource, or the OperationOutcome in
 * `response.outcome` when it is an error or the answer to a write (`Prefer: return=OperationOutcome`,
 * a delete); the location relative to the base.
 */
function entryOf(parent: FhirRequest, response: FhirResponse, write: boolean): fhir4.BundleEntry {
  const body = response.body;
  const isOutcome = body?.resourceType === 'OperationOutcome' && (response.status >= 400 || write);
  const location = response.headers.Location;
  const relative = location?.startsWith(`${parent.base}/`)
    ? location.slice(parent.base.length + 1)
    : location;
  const lastModified = response.headers['Last-Modified'];
  return {
    ...(relative ? { fullUrl: `${parent.base}/${relative.split('/_history/')[0]}` } : {}),
    ...(body && !isOutcome ? { resource: body as unknown as fhir4.FhirResource } : {}),
    response: {
      status: String(response.status),
      ...(relative ? { location: relative } : {}),
      ...(response.headers.ETag ? { etag: response.headers.ETag } : {}),
      ...(lastModified ? { lastModified: new Date(lastModified).toISOString() } : {}),
      ...(isOutcome ? { outcome: body as unknown as fhir4.FhirResource } : {}),
    },
  };
}
