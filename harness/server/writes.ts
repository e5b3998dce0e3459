/**
 * The write interactions (http.html#create, #update, #patch, #delete and their conditional forms),
 * each written once, as a plan: the checks (body, ids, preconditions, criteria, write validation) run
 * and the changes are computed, but nothing is stored. A request of its own commits its plan at once
 * (`run`); a transaction commits the plans of all its entries together (bundles.ts). Either way a type
 * plug-in sees the plan before it is committed.
 */
import { randomUUID } from 'node:crypto';
import { isJsonObject, type JsonObject } from '../json.js';
import { toOperationOutcome, type ValidationIssue } from '../validator/index.js';
import {
  asStoredText,
  parseETag,
  parsePrefer,
  versionHeaders,
  type FhirRequest,
  type FhirResponse,
} from './exchange.js';
import type {
  RequestPath,
  ServerServices,
  TypePlugin,
  WriteContext,
  WriteInteraction,
  WritePlan,
} from './extension-points.js';
import { applyJsonPatch } from './json-patch.js';
import {
  OutcomeError,
  badRequest,
  gone,
  informational,
  notFound,
  operationOutcome,
  preconditionFailed,
  shown,
} from './outcomes.js';
import { RESULT_PARAMETERS } from './search/index.js';
import { VersionConflictError, type Change, type ResourceVersion } from './storage/types.js';

/** The id rule of R4 (datatypes.html#id). */
export const ID_PATTERN = /^[A-Za-z0-9\-.]{1,64}$/;

/** Where a create lands: the one resource its If-None-Exist matches, or a new resource with a new id. */
export type CreateTarget = { existing: ResourceVersion } | { id: string };

export class WriteInteractions {
  constructor(
    private readonly server: ServerServices,
    private readonly pluginOf: (type: string) => TypePlugin | undefined,
  ) {}

  private get parts() {
    return this.server.parts;
  }

  /** Commits a plan on its own and answers: a request that is not an entry of a transaction. */
  run(plan: WritePlan): FhirResponse {
    return plan.answer(this.commit(plan.changes));
  }

  /** Commits changes atomically, a version conflict becoming 412 (http.html#concurrency). */
  commit(changes: Change[]): ResourceVersion[] {
    if (changes.length === 0) return [];
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

  // ------------------------------------------------------------------ create

  /** http.html#ccreate: If-None-Exist names the resource a create may stand for. */
  createTarget(request: FhirRequest, type: string): CreateTarget {
    const condition = request.headers.ifNoneExist;
    if (condition !== undefined && condition.trim() !== '') {
      const matches = this.matchIds(type, criteriaOf(conditionQuery(condition, type), 'If-None-Exist'));
      if (matches.length > 1)
        throw preconditionFailed(`If-None-Exist: ${matches.length} ${type} resources match '${condition}'`);
      const existing = matches[0] !== undefined ? this.parts.storage.read(type, matches[0]) : undefined;
      if (existing?.resource) return { existing };
    }
    return { id: randomUUID() };
  }

  /** http.html#create: a new resource with a server-assigned id (any id in the body is ignored). */
  create(request: FhirRequest, type: string, resolved?: CreateTarget): WritePlan {
    const resource = resourceBody(request, type);
    const target = resolved ?? this.createTarget(request, type);
    if ('existing' in target) {
      const existing = target.existing;
      return { changes: [], answer: () => written(request, existing, 200, []) };
    }
    // The body as sent is validated: an id of the wrong type is the client's error, even though a
    // create replaces the id.
    const issues = this.parts.writeValidation.check(resource, request.checked);
    const stored = { ...resource, id: target.id };
    const change: Change = { kind: 'write', type, id: target.id, resource: stored, method: 'POST' };
    return this.withPlugin(request, 'create', change, stored, undefined, {
      changes: [change],
      answer: ([version]) => written(request, made(version), 201, issues),
    });
  }

  // ------------------------------------------------------------------ update

  /** http.html#update: update, create on update, If-Match. */
  update(request: FhirRequest, type: string, id: string): WritePlan {
    const resource = resourceBody(request, type);
    if (resource.id === undefined)
      throw badRequest('The resource has no id; an update needs the id of the URL in the body', `${type}.id`);
    if (resource.id !== id)
      throw badRequest(
        `The resource id '${shown(resource.id)}' does not match the id '${id}' in the URL`,
        `${type}.id`,
      );
    const issues = this.parts.writeValidation.check(resource, request.checked);
    const current = this.parts.storage.read(type, id);
    const existed = current?.resource !== undefined;
    const ifMatch = parseETag(request.headers.ifMatch);
    if (ifMatch === '*' && !existed) throw preconditionFailed(`If-Match: * but ${type}/${id} does not exist`);
    const change: Change = {
      kind: 'write',
      type,
      id,
      resource,
      method: 'PUT',
      ...(ifMatch && ifMatch !== '*' ? { ifVersion: ifMatch } : {}),
    };
    return this.withPlugin(request, 'update', change, resource, existed ? current : undefined, {
      changes: [change],
      answer: ([version]) => written(request, made(version), existed ? 200 : 201, issues),
    });
  }

  /**
   * http.html#cond-update: the update by id that PUT [type]?[search] stands for. One match: that
   * resource (the body may omit its id); none: the body's id, or a new one.
   */
  conditionalUpdateTarget(request: FhirRequest, type: string): FhirRequest {
    const matches = this.matchIds(type, criteriaOf(request.query, 'A conditional update'));
    if (matches.length > 1)
      throw preconditionFailed(`Conditional update: ${matches.length} ${type} resources match`);
    const resource = resourceBody(request, type);
    const [match] = matches;
    if (match !== undefined && resource.id !== undefined && resource.id !== match) {
      throw badRequest(
        `The resource id '${shown(resource.id)}' is not the id of the matching resource (${match})`,
        `${type}.id`,
      );
    }
    const id =
      match ?? (typeof resource.id === 'string' && ID_PATTERN.test(resource.id) ? resource.id : randomUUID());
    return { ...request, segments: [type, id], query: [], body: { ...resource, id } };
  }

  // ------------------------------------------------------------------ patch

  /** http.html#patch with a JSON Patch document; the version patched is the version checked. */
  patch(request: FhirRequest, type: string, id: string): WritePlan {
    const current = this.existing(type, id);
    const patched = applyJsonPatch(current.resource, request.body);
    if (!patched.ok)
      throw new OutcomeError(
        422,
        operationOutcome('error', 'processing', `The patch cannot be applied: ${patched.error}`),
      );
    const resource = patched.value;
    if (!isJsonObject(resource) || resource.resourceType !== type || resource.id !== id) {
      throw new OutcomeError(
        422,
        operationOutcome('error', 'processing', 'A patch cannot change the resource type or id'),
      );
    }
    const issues = this.parts.writeValidation.check(resource);
    const ifMatch = parseETag(request.headers.ifMatch);
    const change: Change = {
      kind: 'write',
      type,
      id,
      resource,
      method: 'PATCH',
      ifVersion: ifMatch && ifMatch !== '*' ? ifMatch : current.versionId,
    };
    return this.withPlugin(request, 'patch', change, resource, current, {
      changes: [change],
      answer: ([version]) => written(request, made(version), 200, issues),
    });
  }

  // ------------------------------------------------------------------ delete

  /** http.html#delete: a deleted resource reads 410 afterwards; deleting it again changes nothing. */
  delete(request: FhirRequest, type: string, id: string): WritePlan {
    const current = this.parts.storage.read(type, id);
    if (!current) throw notFound(`${type}/${id} is not known`);
    const ifMatch = parseETag(request.headers.ifMatch);
    const answer = () => deleted(request, `${type}/${id} deleted`);
    if (!current.resource) return { changes: [], answer };
    return this.deleteOne(request, current, ifMatch && ifMatch !== '*' ? ifMatch : undefined, answer);
  }

  /** http.html#cond-delete: DELETE [type]?[search]; every match is deleted. */
  conditionalDelete(request: FhirRequest, type: string): WritePlan {
    const matches = this.matchIds(type, criteriaOf(request.query, 'A conditional delete'));
    const text =
      matches.length === 0 ? `No ${type} matched; nothing deleted` : `${matches.length} ${type} deleted`;
    const answer = () => deleted(request, text);
    const plans = matches.flatMap((id) => {
      const current = this.parts.storage.read(type, id);
      return current?.resource ? [this.deleteOne(request, current, undefined, answer)] : [];
    });
    // Plug-ins may add changes to each delete; the answer is the summary of them all.
    return { changes: plans.flatMap((plan) => plan.changes), answer };
  }

  private deleteOne(
    request: FhirRequest,
    current: ResourceVersion,
    ifVersion: string | undefined,
    answer: () => FhirResponse,
  ): WritePlan {
    const { type, id } = current;
    const change: Change = { kind: 'delete', type, id, ...(ifVersion ? { ifVersion } : {}) };
    return this.withPlugin(request, 'delete', change, undefined, current, { changes: [change], answer });
  }

  // ------------------------------------------------------------------ shared pieces

  /** The current, not deleted, version of a resource: 404 when unknown, 410 when deleted. */
  private existing(type: string, id: string): ResourceVersion & { resource: JsonObject } {
    const current = this.parts.storage.read(type, id);
    if (!current) throw notFound(`${type}/${id} is not known`);
    if (!current.resource) throw gone(type, id);
    return current as ResourceVersion & { resource: JsonObject };
  }

  /**
   * The ids of the resources of `type` that conditional criteria match. Criteria the server cannot
   * evaluate are refused (412) rather than dropped: a dropped criterion would match unrelated resources.
   */
  private matchIds(type: string, criteria: [string, string][]): string[] {
    const result = this.parts.search.search(type, criteria);
    if ('error' in result) throw badRequest(result.error, result.parameter);
    if (result.unknown.length > 0) {
      throw preconditionFailed(
        `The condition uses parameters this server does not know: ${result.unknown.map((u) => u.name).join(', ')}`,
      );
    }
    return result.matches.filter((m) => m.type === type).map((m) => m.id);
  }

  /** Lets the type's plug-in see the plan, and change or refuse it. */
  private withPlugin(
    request: FhirRequest,
    interaction: WriteInteraction,
    change: Change,
    resource: JsonObject | undefined,
    current: ResourceVersion | undefined,
    plan: WritePlan,
  ): WritePlan {
    const plugin = this.pluginOf(change.type);
    if (!plugin?.write) return plan;
    const context: WriteContext = {
      server: this.server,
      request,
      interaction,
      via: pathOf(request),
      planned: request.entry?.planned ?? [],
      type: change.type,
      id: change.id,
      ...(resource ? { resource } : {}),
      ...(current ? { current } : {}),
    };
    return plugin.write(context, plan) ?? plan;
  }
}

function pathOf(request: FhirRequest): RequestPath {
  return request.entry?.bundleType ?? 'rest';
}

/** The body of a create or update: a resource of the URL's type. */
export function resourceBody(request: FhirRequest, type: string): JsonObject {
  const body = request.body;
  if (!isJsonObject(body)) throw badRequest(`The body must be a ${type} resource`);
  if (body.resourceType !== type)
    throw badRequest(`The body is a ${shown(body.resourceType)}, not a ${type}`, 'resourceType');
  return body;
}

/** The query of an If-None-Exist: `identifier=x`, also when written `?identifier=x` or `Patient?identifier=x`. */
function conditionQuery(condition: string, type: string): [string, string][] {
  const trimmed = condition.trim();
  const query = trimmed.startsWith(`${type}?`) ? trimmed.slice(type.length + 1) : trimmed.replace(/^\?/, '');
  return [...new URLSearchParams(query).entries()];
}

/**
 * The criteria of a conditional interaction: result parameters (_count, _sort, _include...) say how to
 * show results, not which resources match, so they are dropped; no criteria left is a 400 (they would
 * match every resource of the type).
 */
function criteriaOf(query: [string, string][], what: string): [string, string][] {
  const criteria = query.filter(([name]) => !RESULT_PARAMETERS.has(name));
  if (criteria.length === 0) throw badRequest(`${what} needs search criteria`);
  return criteria;
}

/** The version a commit made for a plan's change (a storage returns one per change). */
function made(version: ResourceVersion | undefined): ResourceVersion {
  if (!version) throw new Error('storage: a commit returned fewer versions than it was given changes');
  return version;
}

/** The headers that name a version just written: ETag, Last-Modified and Location (http.html#create). */
export function writtenHeaders(request: FhirRequest, version: ResourceVersion): Record<string, string> {
  return {
    ...versionHeaders(version),
    Location: `${request.base}/${version.type}/${version.id}/_history/${version.versionId}`,
  };
}

/** The answer to a create, update or patch, as Prefer asks (http.html#ops). */
function written(
  request: FhirRequest,
  version: ResourceVersion,
  status: number,
  issues: ValidationIssue[],
): FhirResponse {
  const headers = writtenHeaders(request, version);
  const preference = parsePrefer(request.headers.prefer).return;
  if (preference === 'minimal') return { status, headers };
  if (preference === 'OperationOutcome') {
    const outcome =
      issues.length > 0
        ? toOperationOutcome(issues)
        : informational(`${version.type}/${version.id} stored as version ${version.versionId}`);
    return { status, headers, body: outcome as unknown as JsonObject };
  }
  return asStoredText(status, headers, version) ?? { status, headers, body: version.resource as JsonObject };
}

function deleted(request: FhirRequest, text: string): FhirResponse {
  if (parsePrefer(request.headers.prefer).return === 'minimal') return { status: 204, headers: {} };
  return { status: 200, headers: {}, body: informational(text) as unknown as JsonObject };
}
