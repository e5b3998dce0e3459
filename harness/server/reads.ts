/**
 * The interactions that read (http.html#read, #vread, #search, #history): they change nothing, so a
 * Bundle entry runs them as a request of its own would, after the writes of its transaction.
 */
import { randomUUID } from 'node:crypto';
import type { JsonObject } from '../json.js';
import {
  asStoredText,
  etag,
  parseETag,
  parsePrefer,
  versionHeaders,
  type FhirRequest,
  type FhirResponse,
} from './exchange.js';
import type { FhirServerParts } from './extension-points.js';
import { badRequest, gone, notFound, operationOutcome } from './outcomes.js';
import { includeValue, RESULT_PARAMETERS } from './search/index.js';
import type { ResourceVersion } from './storage/types.js';
import { Subsetter, type SummaryMode } from './summary.js';

const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 1000;

export class ReadInteractions {
  private readonly subsetter: Subsetter;

  constructor(private readonly parts: FhirServerParts) {
    this.subsetter = new Subsetter(parts.definitions);
  }

  /** http.html#read, with If-None-Match and If-Modified-Since. */
  read(request: FhirRequest, type: string, id: string): FhirResponse {
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
    const whole = !single(request.query, '_summary') && !single(request.query, '_elements');
    const sent = whole ? asStoredText(200, headers, version) : undefined;
    if (sent) return sent;
    return { status: 200, body: this.shaped(request, version.resource as JsonObject), headers };
  }

  /** http.html#vread */
  vread(request: FhirRequest, type: string, id: string, versionId: string): FhirResponse {
    const version = this.parts.storage.vread(type, id, versionId);
    if (!version) throw notFound(`${type}/${id} has no version ${versionId}`);
    if (!version.resource) throw gone(type, id);
    return { status: 200, body: this.shaped(request, version.resource), headers: versionHeaders(version) };
  }

  /** http.html#search (GET and POST _search; system search without a type). */
  search(request: FhirRequest, type: string | undefined): FhirResponse {
    const params = [...request.query];
    // One at a time: spreading a long form body into push() overflows the call's argument limit.
    if (request.method === 'POST' && typeof request.body === 'string')
      for (const pair of new URLSearchParams(request.body)) params.push(pair);
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
    const elements = elementsOf(params);
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
  history(request: FhirRequest, scope: { type?: string; id?: string }): FhirResponse {
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

  private shaped(request: FhirRequest, resource: JsonObject): JsonObject {
    const summary = single(request.query, '_summary') as SummaryMode | undefined;
    return this.subsetter.apply(resource, summary, elementsOf(request.query));
  }
}

function single(params: [string, string][], name: string): string | undefined {
  return params.find(([key]) => key === name)?.[1];
}

function elementsOf(params: [string, string][]): string[] | undefined {
  return single(params, '_elements')
    ?.split(',')
    .map((e) => e.trim())
    .filter(Boolean);
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
