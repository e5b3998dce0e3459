/**
 * The FHIR REST interactions (http.html), over a Storage and a SearchEngine, knowing nothing of HTTP.
 * `handle` routes a request to one method per interaction; each method cites its http.html anchor.
 * Errors are thrown as OutcomeError from any depth and become the response in one place.
 */
import { randomUUID } from 'node:crypto';
import type { DefinitionRegistry } from '../fhir/index.js';
import type { Validator } from '../validator/index.js';
import { toOperationOutcome } from '../validator/index.js';
import { capabilityStatement } from './capability.js';
import {
  etag,
  parseETag,
  parsePrefer,
  type FhirRequest,
  type FhirResponse,
  type Preferences,
} from './exchange.js';
import { applyJsonPatch } from './json-patch.js';
import {
  OutcomeError,
  badRequest,
  gone,
  informational,
  internalError,
  methodNotAllowed,
  notFound,
  operationOutcome,
  preconditionFailed,
  shown,
} from './outcomes.js';
import { includeValue, RESULT_PARAMETERS, type SearchEngine } from './search/index.js';
import { Subsetter, type SummaryMode } from './summary.js';
import { processBundle } from './transaction.js';
import { VersionConflictError, type Change, type ResourceVersion, type Storage } from './storage/types.js';
import type { JsonObject } from '../json.js';
import type { WriteValidation } from './write-validation.js';
import { isJsonObject, objectsOf } from '../json.js';

const ID_PATTERN = /^[A-Za-z0-9\-.]{1,64}$/;
const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 1000;

/** Context an operation or a type plug-in receives. */
export interface ServerContext {
  server: FhirServer;
  request: FhirRequest;
}

/** An operation (`$name`) at system, type or instance level. */
export interface OperationHandler {
  name: string;
  definition: string;
  /** The resource types it applies to (type and instance level); absent: any. */
  types?: string[];
  system?: boolean;
  handle(context: ServerContext, target: { type?: string; id?: string }): FhirResponse;
}

/**
 * Per-type behaviour plugged into the generic server (claim adjudication, notifications). A create
 * hook may answer instead of the default create (openIMIS answers a Claim with a ClaimResponse).
 */
export interface TypePlugin {
  type: string;
  create?(context: ServerContext, resource: JsonObject): FhirResponse | undefined;
}

export interface FhirServerParts {
  definitions: DefinitionRegistry;
  storage: Storage;
  search: SearchEngine;
  validator: Validator;
  writeValidation: WriteValidation;
  igProfiles: Map<string, string[]>;
  instantiates: string[];
  authentication: boolean;
  softwareVersion: string;
}

const httpDate = (instant: string) => new Date(instant).toUTCString();

export class FhirServer {
  private readonly operations = new Map<string, OperationHandler>();
  private readonly plugins = new Map<string, TypePlugin>();
  private readonly subsetter: Subsetter;

  constructor(readonly parts: FhirServerParts) {
    this.subsetter = new Subsetter(parts.definitions);
    this.addOperation({
      name: 'validate',
      definition: 'http://hl7.org/fhir/OperationDefinition/Resource-validate',
      handle: (context, target) => this.validateOperation(context.request, target),
    });
  }

  addOperation(operation: OperationHandler): void {
    this.operations.set(operation.name, operation);
  }

  addPlugin(plugin: TypePlugin): void {
    this.plugins.set(plugin.type, plugin);
  }

  /** Routes and runs a request; never throws: every failure is an OperationOutcome response. */
  handle(request: FhirRequest): FhirResponse {
    try {
      return this.route(request);
    } catch (error) {
      return errorResponse(error);
    }
  }

  // ------------------------------------------------------------------ routing

  private route(request: FhirRequest): FhirResponse {
    const { method, segments } = request;
    const [first, second, third, fourth] = segments;
    if (segments.length === 0) {
      if (method === 'POST') return this.bundle(request);
      if (method === 'GET') return this.search(request, undefined);
      throw methodNotAllowed(`${method} is not allowed on the base URL`, ['GET', 'POST']);
    }
    if (first === 'metadata' && segments.length === 1) {
      if (method !== 'GET') throw methodNotAllowed('metadata is read with GET', ['GET']);
      return this.capabilities(request);
    }
    if (first === '_history' && segments.length === 1)
      return this.onlyGet(request, () => this.history(request, {}));
    if (first?.startsWith('$')) return this.operation(request, first.slice(1), {});
    if (first === '_search' && segments.length === 1 && method === 'POST')
      return this.search(request, undefined);

    const type = first as string;
    if (!this.parts.definitions.isResourceType(type))
      throw notFound(`'${type}' is not a resource type this server supports`);
    if (segments.length === 1) {
      if (method === 'GET') return this.search(request, type);
      if (method === 'POST') return this.create(request, type);
      if (method === 'PUT') return this.conditionalUpdate(request, type);
      if (method === 'DELETE') return this.conditionalDelete(request, type);
      throw methodNotAllowed(`${method} is not allowed on ${type}`, ['GET', 'POST', 'PUT', 'DELETE']);
    }
    if (second === '_search' && segments.length === 2) {
      if (method !== 'POST') throw methodNotAllowed('_search takes POST', ['POST']);
      return this.search(request, type);
    }
    if (second === '_history' && segments.length === 2)
      return this.onlyGet(request, () => this.history(request, { type }));
    if (second?.startsWith('$') && segments.length === 2)
      return this.operation(request, second.slice(1), { type });

    const id = second as string;
    if (!ID_PATTERN.test(id)) throw badRequest(`'${id}' is not a valid resource id`);
    if (segments.length === 2) {
      if (method === 'GET' || method === 'HEAD') return this.read(request, type, id);
      if (method === 'PUT') return this.update(request, type, id);
      if (method === 'PATCH') return this.patch(request, type, id);
      if (method === 'DELETE') return this.delete(request, type, id);
      throw methodNotAllowed(`${method} is not allowed on ${type}/${id}`, ['GET', 'PUT', 'PATCH', 'DELETE']);
    }
    if (third?.startsWith('$') && segments.length === 3)
      return this.operation(request, third.slice(1), { type, id });
    if (third === '_history' && segments.length === 3)
      return this.onlyGet(request, () => this.history(request, { type, id }));
    if (third === '_history' && segments.length === 4 && fourth !== undefined) {
      return this.onlyGet(request, () => this.vread(request, type, id, fourth));
    }
    throw notFound(`No interaction at /${segments.join('/')}`);
  }

  private onlyGet(request: FhirRequest, run: () => FhirResponse): FhirResponse {
    if (request.method !== 'GET' && request.method !== 'HEAD')
      throw methodNotAllowed('history is read with GET', ['GET']);
    return run();
  }

  // ------------------------------------------------------------------ instance level

  /** http.html#read, with If-None-Match and If-Modified-Since. */
  private read(request: FhirRequest, type: string, id: string): FhirResponse {
    const version = this.parts.storage.read(type, id);
    if (!version) throw notFound(`${type}/${id} is not known`);
    // By the method, not by `resource`: that would parse the stored text the read sends on as it is.
    if (version.method === 'DELETE') throw gone(type, id);
    const headers = versionHeaders(version);
    // If-None-Match may list several tags (RFC 9110 §13.1.2); one that cannot be read matches nothing.
    const ifNoneMatch = (request.headers.ifNoneMatch ?? '').split(',').map((tag) => {
      try {
        return parseETag(tag);
      } catch {
        return undefined;
      }
    });
    if (ifNoneMatch.some((tag) => tag === '*' || tag === version.versionId)) return { status: 304, headers };
    const since = request.headers.ifModifiedSince ? Date.parse(request.headers.ifModifiedSince) : NaN;
    if (!Number.isNaN(since) && Math.floor(Date.parse(version.lastUpdated) / 1000) * 1000 <= since) {
      return { status: 304, headers };
    }
    if (
      version.json !== undefined &&
      !single(request.query, '_summary') &&
      !single(request.query, '_elements')
    ) {
      const stored = version;
      return {
        status: 200,
        headers,
        bodyText: version.json,
        get body() {
          return stored.resource;
        },
      };
    }
    return { status: 200, body: this.shaped(request, version.resource as JsonObject), headers };
  }

  /** http.html#vread */
  private vread(request: FhirRequest, type: string, id: string, versionId: string): FhirResponse {
    const version = this.parts.storage.vread(type, id, versionId);
    if (!version) throw notFound(`${type}/${id} has no version ${versionId}`);
    if (!version.resource) throw gone(type, id);
    return { status: 200, body: this.shaped(request, version.resource), headers: versionHeaders(version) };
  }

  /** http.html#create, with If-None-Exist (conditional create). */
  create(request: FhirRequest, type: string, bodyPath = ''): FhirResponse {
    const resource = this.resourceBody(request, type);
    const ifNoneExist = request.headers.ifNoneExist;
    if (ifNoneExist) {
      const matches = this.matchIds(type, new URLSearchParams(ifNoneExist));
      if (matches.length > 1)
        throw preconditionFailed(`If-None-Exist: ${matches.length} ${type} resources match '${ifNoneExist}'`);
      const existing = matches[0] !== undefined ? this.parts.storage.read(type, matches[0]) : undefined;
      if (existing?.resource) return this.written(request, existing, 200, []);
    }
    const plugin = this.plugins.get(type)?.create?.({ server: this, request }, resource);
    if (plugin) return plugin;
    const issues = this.parts.writeValidation.check(resource, bodyPath);
    const id = randomUUID();
    const [version] = this.commit([
      { kind: 'write', type, id, resource: { ...resource, id }, method: 'POST' },
    ]);
    return this.written(request, version as ResourceVersion, 201, issues);
  }

  /** http.html#update: update, create on update, If-Match. */
  private update(request: FhirRequest, type: string, id: string): FhirResponse {
    const resource = this.resourceBody(request, type);
    if (resource.id === undefined)
      throw badRequest('The resource has no id; an update needs the id of the URL in the body', `${type}.id`);
    if (resource.id !== id)
      throw badRequest(
        `The resource id '${shown(resource.id)}' does not match the id '${id}' in the URL`,
        `${type}.id`,
      );
    const issues = this.parts.writeValidation.check(resource);
    const existed = this.parts.storage.read(type, id)?.resource !== undefined;
    const ifMatch = parseETag(request.headers.ifMatch);
    const change: Change = {
      kind: 'write',
      type,
      id,
      resource,
      method: 'PUT',
      ...(ifMatch && ifMatch !== '*' ? { ifVersion: ifMatch } : {}),
    };
    if (ifMatch === '*' && !existed) throw preconditionFailed(`If-Match: * but ${type}/${id} does not exist`);
    const [version] = this.commit([change]);
    return this.written(request, version as ResourceVersion, existed ? 200 : 201, issues);
  }

  /** http.html#patch with a JSON Patch document. */
  private patch(request: FhirRequest, type: string, id: string): FhirResponse {
    const current = this.parts.storage.read(type, id);
    if (!current) throw notFound(`${type}/${id} is not known`);
    if (!current.resource) throw gone(type, id);
    const patched = applyJsonPatch(current.resource, request.body);
    if (!patched.ok)
      throw new OutcomeError(
        422,
        operationOutcome('error', 'processing', `The patch cannot be applied: ${patched.error}`),
      );
    if (!isJsonObject(patched.value) || patched.value.resourceType !== type || patched.value.id !== id) {
      throw new OutcomeError(
        422,
        operationOutcome('error', 'processing', 'A patch cannot change the resource type or id'),
      );
    }
    const issues = this.parts.writeValidation.check(patched.value);
    const ifMatch = parseETag(request.headers.ifMatch);
    const [version] = this.commit([
      {
        kind: 'write',
        type,
        id,
        resource: patched.value,
        method: 'PATCH',
        ifVersion: ifMatch && ifMatch !== '*' ? ifMatch : current.versionId,
      },
    ]);
    return this.written(request, version as ResourceVersion, 200, issues);
  }

  /** http.html#delete: a deleted resource reads 410 afterwards. */
  private delete(request: FhirRequest, type: string, id: string): FhirResponse {
    const current = this.parts.storage.read(type, id);
    if (!current) throw notFound(`${type}/${id} is not known`);
    const ifMatch = parseETag(request.headers.ifMatch);
    if (current.resource)
      this.commit([
        { kind: 'delete', type, id, ...(ifMatch && ifMatch !== '*' ? { ifVersion: ifMatch } : {}) },
      ]);
    return this.deleted(request, `${type}/${id} deleted`);
  }

  // ------------------------------------------------------------------ conditional interactions

  /** http.html#cond-update: PUT [type]?[search]. */
  private conditionalUpdate(request: FhirRequest, type: string): FhirResponse {
    const criteria = this.criteria(request);
    const matches = this.matchIds(type, criteria);
    if (matches.length > 1)
      throw preconditionFailed(`Conditional update: ${matches.length} ${type} resources match`);
    const resource = this.resourceBody(request, type);
    const [match] = matches;
    if (match !== undefined) {
      if (resource.id !== undefined && resource.id !== match) {
        throw badRequest(
          `The resource id '${shown(resource.id)}' is not the id of the matching resource (${match})`,
          `${type}.id`,
        );
      }
      // The body may omit the id: the criteria name the resource (http.html#cond-update).
      return this.update(
        { ...request, segments: [type, match], body: { ...resource, id: match } },
        type,
        match,
      );
    }
    const id = typeof resource.id === 'string' && ID_PATTERN.test(resource.id) ? resource.id : randomUUID();
    return this.update({ ...request, segments: [type, id], body: { ...resource, id } }, type, id);
  }

  /** http.html#cond-delete: DELETE [type]?[search]; several matches are all deleted. */
  private conditionalDelete(request: FhirRequest, type: string): FhirResponse {
    const criteria = this.criteria(request);
    const matches = this.matchIds(type, criteria);
    if (matches.length > 0) this.commit(matches.map((id) => ({ kind: 'delete' as const, type, id })));
    return this.deleted(
      request,
      matches.length === 0 ? `No ${type} matched; nothing deleted` : `${matches.length} ${type} deleted`,
    );
  }

  private criteria(request: FhirRequest): URLSearchParams {
    const criteria = new URLSearchParams(request.query.filter(([name]) => !RESULT_PARAMETERS.has(name)));
    if ([...criteria.keys()].length === 0)
      throw badRequest('A conditional update or delete needs search criteria');
    return criteria;
  }

  private matchIds(type: string, criteria: URLSearchParams): string[] {
    const result = this.parts.search.search(type, [...criteria.entries()]);
    if ('error' in result) throw badRequest(result.error, result.parameter);
    if (result.unknown.length > 0) {
      throw preconditionFailed(
        `The condition uses parameters this server does not know: ${result.unknown.map((u) => u.name).join(', ')}`,
      );
    }
    return result.matches.filter((m) => m.type === type).map((m) => m.id);
  }

  // ------------------------------------------------------------------ type and system level

  /** http.html#search (GET and POST _search; system search without a type). */
  private search(request: FhirRequest, type: string | undefined): FhirResponse {
    const params = [...request.query];
    if (request.method === 'POST' && typeof request.body === 'string')
      params.push(...new URLSearchParams(request.body).entries());
    const preferences = parsePrefer(request.headers.prefer);
    const paging = pagingOf(params);
    const summary = single(params, '_summary') as SummaryMode | undefined;
    const window = { offset: paging.offset, count: summary === 'count' ? 0 : paging.count };
    const result = this.parts.search.search(
      type,
      params.filter(([name]) => !RESULT_PARAMETERS.has(name)),
      window,
    );
    if ('error' in result) throw badRequest(result.error, result.parameter);
    if (result.unknown.length > 0 && preferences.handling === 'strict') {
      throw badRequest(
        `Unknown search parameters: ${result.unknown.map((u) => `${u.name} (${u.reason})`).join('; ')}`,
      );
    }
    const elements = single(params, '_elements')
      ?.split(',')
      .map((e) => e.trim())
      .filter(Boolean);
    const total = single(params, '_total');
    const page = result.matches;
    const kept: [string, string][] = [
      ...result.used,
      ...params.filter(([name]) => RESULT_PARAMETERS.has(name)),
    ];
    const links = pageLinks(`${request.base}/${type ?? ''}`, kept, paging, result.total);

    const entries: fhir4.BundleEntry[] = [];
    for (const match of page) {
      const resource = this.parts.storage.read(match.type, match.id)?.resource;
      if (resource) entries.push(this.searchEntry(request, resource, 'match', summary, elements));
    }
    const include = params.filter(([name]) => name === '_include' || name === '_include:iterate');
    const revinclude = params.filter(([name]) => name === '_revinclude' || name === '_revinclude:iterate');
    if ((include.length || revinclude.length) && page.length) {
      const seen = new Set(page.map((m) => `${m.type}/${m.id}`));
      const specs = (list: [string, string][]) => list.map(([name, value]) => includeValue(name, value));
      for (const extra of this.parts.search.includes(page, specs(include), specs(revinclude))) {
        const key = `${extra.type}/${extra.id}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const resource = this.parts.storage.read(extra.type, extra.id)?.resource;
        if (resource) entries.push(this.searchEntry(request, resource, 'include', summary, elements));
      }
    }
    const bundle: JsonObject = {
      resourceType: 'Bundle',
      id: randomUUID(),
      meta: { lastUpdated: new Date().toISOString() },
      type: 'searchset',
      ...(total === 'none' ? {} : { total: result.total }),
      link: links,
      entry: entries,
    };
    if (result.unknown.length > 0) {
      entries.push({
        resource: operationOutcome(
          'warning',
          'not-supported',
          `Ignored search parameters: ${result.unknown.map((u) => `${u.name} (${u.reason})`).join('; ')}`,
        ),
        search: { mode: 'outcome' },
      });
    }
    return { status: 200, body: bundle, headers: {} };
  }

  private searchEntry(
    request: FhirRequest,
    resource: JsonObject,
    mode: 'match' | 'include',
    summary: SummaryMode | undefined,
    elements: string[] | undefined,
  ): fhir4.BundleEntry {
    return {
      fullUrl: `${request.base}/${String(resource.resourceType)}/${String(resource.id)}`,
      resource: this.subsetter.apply(resource, summary, elements) as unknown as fhir4.FhirResource,
      search: { mode },
    };
  }

  /** http.html#history at system, type or instance level, with _since, _at and _count. */
  private history(request: FhirRequest, scope: { type?: string; id?: string }): FhirResponse {
    const params = request.query;
    const since = single(params, '_since');
    const at = single(params, '_at');
    for (const [name, value] of [
      ['_since', since],
      ['_at', at],
    ] as const) {
      if (value !== undefined && Number.isNaN(Date.parse(value)))
        throw badRequest(`${name} must be an instant, not '${value}'`, name);
    }
    if (scope.id && !this.parts.storage.read(scope.type as string, scope.id))
      throw notFound(`${scope.type}/${scope.id} is not known`);
    const versions = this.parts.storage.history({
      ...scope,
      // _since is "at or after" (http.html#history); storage's since is exclusive, at millisecond grain.
      ...(since ? { since: new Date(Date.parse(since) - 1).toISOString() } : {}),
      ...(at ? { at: new Date(at).toISOString() } : {}),
    });
    const paging = pagingOf(params);
    const page = versions.slice(paging.offset, paging.offset + paging.count);
    const path = [scope.type, scope.id, '_history'].filter(Boolean).join('/');
    const links = pageLinks(`${request.base}/${path}`, params, paging, versions.length);
    return {
      status: 200,
      headers: {},
      body: {
        resourceType: 'Bundle',
        id: randomUUID(),
        meta: { lastUpdated: new Date().toISOString() },
        type: 'history',
        total: versions.length,
        link: links,
        entry: page.map((version) => historyEntry(request.base, version)),
      },
    };
  }

  /** http.html#capabilities */
  private capabilities(request: FhirRequest): FhirResponse {
    const statement = capabilityStatement({
      base: request.base,
      softwareVersion: this.parts.softwareVersion,
      resourceTypes: this.parts.definitions.resourceTypes(),
      searchParameters: (type) => this.parts.search.parameters(type),
      profiles: this.parts.igProfiles,
      operations: [...this.operations.values()].map((op) => ({
        name: op.name,
        definition: op.definition,
        ...(op.types ? { types: op.types } : {}),
        ...(op.system ? { system: true } : {}),
      })),
      instantiates: this.parts.instantiates,
      authentication: this.parts.authentication,
      formats: ['application/fhir+json', 'application/fhir+xml', 'json', 'xml'],
    });
    return { status: 200, body: statement as unknown as JsonObject, headers: {} };
  }

  /** http.html#transaction and #batch */
  private bundle(request: FhirRequest): FhirResponse {
    if (!isJsonObject(request.body) || request.body.resourceType !== 'Bundle')
      throw badRequest('POST to the base URL takes a Bundle of type batch or transaction');
    return processBundle(this, request, request.body);
  }

  /** $name at system, type or instance level (operations.html). */
  private operation(
    request: FhirRequest,
    name: string,
    target: { type?: string; id?: string },
  ): FhirResponse {
    const operation = this.operations.get(name);
    if (!operation) throw notFound(`This server has no operation $${name}`);
    if (!target.type && !operation.system) throw notFound(`$${name} is not a system-level operation`);
    if (target.type && operation.types && !operation.types.includes(target.type))
      throw notFound(`$${name} does not apply to ${target.type}`);
    return operation.handle({ server: this, request }, target);
  }

  /** $validate (resource-operation-validate): a resource or Parameters(resource, profile) in, an OperationOutcome out. */
  private validateOperation(request: FhirRequest, target: { type?: string; id?: string }): FhirResponse {
    let resource: unknown = request.body;
    let profiles: string[] = [];
    if (isJsonObject(resource) && resource.resourceType === 'Parameters' && target.type !== 'Parameters') {
      const parameters = objectsOf(resource.parameter);
      profiles = parameters
        .filter((p) => p.name === 'profile' && typeof p.valueUri === 'string')
        .map((p) => p.valueUri as string);
      resource = parameters.find((p) => p.name === 'resource')?.resource;
    }
    if (resource === undefined && target.type && target.id)
      resource = this.parts.storage.read(target.type, target.id)?.resource;
    if (!isJsonObject(resource))
      throw badRequest(
        '$validate needs a resource: the body, a Parameters with a resource part, or an existing resource',
      );
    const outcome = this.parts.validator.validate(resource, { profiles });
    return { status: 200, body: outcome as unknown as JsonObject, headers: {} };
  }

  // ------------------------------------------------------------------ shared pieces

  /** Commits changes, mapping a version conflict to 412 (http.html#concurrency). */
  commit(changes: Change[]): ResourceVersion[] {
    try {
      return this.parts.storage.commit(changes);
    } catch (error) {
      if (error instanceof VersionConflictError) {
        throw preconditionFailed(
          `Version conflict: ${error.type}/${error.id} is at version ${error.actual ?? '(none)'}, not ${error.expected}`,
        );
      }
      throw error;
    }
  }

  /** The body of a create or update: a resource of the URL's type. */
  resourceBody(request: FhirRequest, type: string): JsonObject {
    const body = request.body;
    if (!isJsonObject(body)) throw badRequest(`The body must be a ${type} resource`);
    if (body.resourceType !== type)
      throw badRequest(`The body is a ${shown(body.resourceType)}, not a ${type}`, 'resourceType');
    return body;
  }

  /** The answer to a create, update or patch, as Prefer asks. */
  written(
    request: FhirRequest,
    version: ResourceVersion,
    status: number,
    issues: { severity: string }[],
  ): FhirResponse {
    const headers = {
      ...versionHeaders(version),
      Location: `${request.base}/${version.type}/${version.id}/_history/${version.versionId}`,
    };
    const preferences: Preferences = parsePrefer(request.headers.prefer);
    if (preferences.return === 'minimal') return { status, headers };
    if (preferences.return === 'OperationOutcome') {
      const outcome =
        issues.length > 0
          ? toOperationOutcome(issues as never)
          : informational(`${version.type}/${version.id} stored as version ${version.versionId}`);
      return { status, headers, body: outcome as unknown as JsonObject };
    }
    return { status, headers, body: version.resource as JsonObject };
  }

  private deleted(request: FhirRequest, text: string): FhirResponse {
    if (parsePrefer(request.headers.prefer).return === 'minimal') return { status: 204, headers: {} };
    return { status: 200, headers: {}, body: informational(text) as unknown as JsonObject };
  }

  private shaped(request: FhirRequest, resource: JsonObject): JsonObject {
    const summary = single(request.query, '_summary') as SummaryMode | undefined;
    const elements = single(request.query, '_elements')
      ?.split(',')
      .map((e) => e.trim())
      .filter(Boolean);
    return this.subsetter.apply(resource, summary, elements);
  }
}

function single(params: [string, string][], name: string): string | undefined {
  return params.find(([key]) => key === name)?.[1];
}

/**
 * The self, next and previous links of a page of `total` items (a search or a history): the query
 * kept, `_offset` moved.
 */
function pageLinks(
  url: string,
  query: [string, string][],
  paging: { count: number; offset: number },
  total: number,
): fhir4.BundleLink[] {
  const link = (offset: number) => {
    const kept = new URLSearchParams(query.filter(([name]) => name !== '_offset'));
    if (offset > 0) kept.set('_offset', String(offset));
    const text = kept.toString();
    return `${url}${text ? `?${text}` : ''}`;
  };
  const links: fhir4.BundleLink[] = [{ relation: 'self', url: link(paging.offset) }];
  // With _count=0 there are no pages to move through: a next link would name this page again.
  if (paging.count > 0 && paging.offset + paging.count < total)
    links.push({ relation: 'next', url: link(paging.offset + paging.count) });
  if (paging.count > 0 && paging.offset > 0)
    links.push({ relation: 'previous', url: link(Math.max(0, paging.offset - paging.count)) });
  return links;
}

function pagingOf(params: [string, string][]): { count: number; offset: number } {
  const count = Number(single(params, '_count') ?? DEFAULT_PAGE_SIZE);
  const offset = Number(single(params, '_offset') ?? 0);
  if (!Number.isInteger(count) || count < 0) throw badRequest('_count must be a whole number', '_count');
  if (!Number.isInteger(offset) || offset < 0) throw badRequest('_offset must be a whole number', '_offset');
  return { count: Math.min(count, MAX_PAGE_SIZE), offset };
}

export function versionHeaders(version: ResourceVersion): Record<string, string> {
  return { ETag: etag(version.versionId), 'Last-Modified': httpDate(version.lastUpdated) };
}

function historyEntry(base: string, version: ResourceVersion): fhir4.BundleEntry {
  const url = `${version.type}/${version.id}`;
  return {
    fullUrl: `${base}/${url}`,
    ...(version.resource ? { resource: version.resource as unknown as fhir4.FhirResource } : {}),
    request: { method: version.method, url: version.method === 'POST' ? version.type : url },
    response: {
      status: version.method === 'DELETE' ? '204' : version.versionId === '1' ? '201' : '200',
      etag: etag(version.versionId),
      lastModified: version.lastUpdated,
    },
  };
}

export function errorResponse(error: unknown): FhirResponse {
  const known = error instanceof OutcomeError ? error : internalError();
  return { status: known.status, headers: known.headers, body: known.outcome as unknown as JsonObject };
}
