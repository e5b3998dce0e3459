/**
 * Reading what a target answered, without trusting it: a reply's body is unknown JSON until its
 * resourceType says otherwise, and headers, Location values and Bundle links are looked up the way a
 * careful client would (case-insensitive names, absolute or relative URLs).
 */
import type { Reply } from '../../runner/types.js';
import { isJsonObject } from '../../json.js';

/** The reply's body as a resource of `type`, or undefined when it is something else (or nothing). */
export function resourceOf<T extends fhir4.FhirResource>(
  reply: Reply,
  type: T['resourceType'],
): T | undefined {
  const body = reply.json;
  return isJsonObject(body) && body.resourceType === type ? (body as unknown as T) : undefined;
}

export const bundleOf = (reply: Reply) => resourceOf<fhir4.Bundle>(reply, 'Bundle');

/** A response header by name, whatever case the target or the HTTP client used. */
export function headerOf(reply: Reply, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(reply.headers)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

export const weakEtag = (versionId: string) => `W/"${versionId}"`;

export const isSuccess = (reply: Reply) => reply.status >= 200 && reply.status < 300;

/** The URL of a Bundle link (`self`, `next`...). */
export function linkUrl(bundle: fhir4.Bundle, relation: string): string | undefined {
  return bundle.link?.find((link) => link.relation === relation)?.url;
}

/** The ids of a searchset's `match` entries (entries without a search mode count as matches). */
export function matchIds(bundle: fhir4.Bundle, type = 'Patient'): string[] {
  return (bundle.entry ?? [])
    .filter((entry) => (entry.search?.mode ?? 'match') === 'match' && entry.resource?.resourceType === type)
    .map((entry) => entry.resource?.id)
    .filter((id): id is string => id !== undefined);
}

export const sameIds = (found: string[], expected: string[]) =>
  found.length === expected.length && [...found].sort().join() === [...expected].sort().join();

export interface VersionedReference {
  id: string;
  versionId?: string;
}

/**
 * The id (and version) in a Location header or a `response.location`: `[base]/Type/id/_history/vid`,
 * relative or absolute, as the spec writes it; undefined when it names another type or no id.
 */
export function parseLocation(location: string | undefined, type: string): VersionedReference | undefined {
  if (location === undefined) return undefined;
  const path = location.split(/[?#]/)[0] ?? '';
  const match = new RegExp(
    `(?:^|/)${type}/([A-Za-z0-9.-]{1,64})(?:/_history/([A-Za-z0-9.-]{1,64}))?/?$`,
  ).exec(path);
  if (!match?.[1]) return undefined;
  return match[2] === undefined ? { id: match[1] } : { id: match[1], versionId: match[2] };
}

/** Whether a reference (relative or absolute) points at `Type/id`. */
export function refersTo(reference: string | undefined, type: string, id: string): boolean {
  return parseLocation(reference, type)?.id === id;
}

/**
 * An id FHIR accepts ([A-Za-z0-9\-\.]{1,64}) made from a run-unique value, whatever characters the
 * engine's unique() uses.
 */
export function fhirId(value: string): string {
  return value.replace(/[^A-Za-z0-9.-]/g, '-').slice(-64);
}
