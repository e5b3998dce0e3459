/**
 * Writes that a step needs to succeed before it can check anything else: each one is tracked for the
 * run's clean-up as soon as the target names the new resource, and comes back as what the server
 * stored (its id, version and time), or undefined when the write failed (the failed expectation
 * already says why).
 */
import type { Reply, StepContext } from '../../runner/types.js';
import { headerOf, parseLocation, resourceOf } from './replies.js';

/** Asks for the stored resource back, so its meta need not be read again (http.html#ops, Prefer). */
export const RETURN_REPRESENTATION: Record<string, string> = { prefer: 'return=representation' };

export interface Stored<T extends fhir4.FhirResource> {
  id: string;
  versionId?: string;
  lastUpdated?: string;
  /** The stored resource, when the target returned it. */
  resource?: T;
}

/** What a write answered about the resource: from its body, else from its Location header. */
export function storedFrom<T extends fhir4.FhirResource>(
  reply: Reply,
  type: T['resourceType'],
): Stored<T> | undefined {
  const resource = resourceOf<T>(reply, type);
  const location = parseLocation(headerOf(reply, 'location'), type);
  const id = resource?.id ?? location?.id;
  if (id === undefined) return undefined;
  const versionId = resource?.meta?.versionId ?? location?.versionId;
  const lastUpdated = resource?.meta?.lastUpdated;
  return {
    id,
    ...(versionId !== undefined ? { versionId } : {}),
    ...(lastUpdated !== undefined ? { lastUpdated } : {}),
    ...(resource !== undefined ? { resource } : {}),
  };
}

/** POST a resource, expect 201 (at the step's level), track it. */
export async function create<T extends fhir4.FhirResource>(
  t: StepContext,
  resource: T,
  headers: Record<string, string> = {},
): Promise<Stored<T> | undefined> {
  const reply = await t.post(resource.resourceType, resource, {
    headers: { ...RETURN_REPRESENTATION, ...headers },
  });
  const stored =
    reply.status === 201 || reply.status === 200 ? storedFrom<T>(reply, resource.resourceType) : undefined;
  if (reply.status === 201 && stored) t.track(`${resource.resourceType}/${stored.id}`);
  t.expect(reply).status(201);
  if (reply.status === 201 && !stored)
    t.fail(
      `expected the created ${resource.resourceType}'s id in the body or the Location header, found neither`,
    );
  return reply.status === 201 ? stored : undefined;
}

/** Tracks whatever a write that should have been refused created anyway, so the run still cleans up. */
export function trackUnexpected(t: StepContext, reply: Reply, type: string): void {
  if (reply.status !== 201) return;
  const stored = storedFrom(reply, type as fhir4.FhirResource['resourceType']);
  if (stored) t.track(`${type}/${stored.id}`);
}

/** Tracks every resource a transaction or batch response says it created. */
export function trackBundleResponse(t: StepContext, bundle: fhir4.Bundle | undefined): void {
  for (const entry of bundle?.entry ?? []) {
    if (!entry.response?.status.startsWith('201')) continue;
    const location = entry.response.location;
    const type = location?.split('/_history')[0]?.split('/').at(-2);
    const created = type ? parseLocation(location, type) : undefined;
    if (type && created) t.track(`${type}/${created.id}`);
  }
}
