/**
 * The verdict on a resource about to be stored, as the reference server gives it on every write and a
 * bulk load gives it in its worker threads (one rule, two callers):
 *
 * - off: stored, nothing checked;
 * - a resource that breaks base R4 is refused (400);
 * - strict: it must also conform to the profiles it claims in meta.profile or, claiming none, to one of
 *   the IG's profiles for its type (422 otherwise);
 * - lenient: those profile errors come back as warnings and the resource is stored.
 *
 * The common case costs one walk: a profiled walk includes the core type's, so a resource it finds
 * nothing wrong with breaks neither. Only a resource with errors is walked again, to tell base R4 errors
 * from profile errors, and against the other candidate profiles.
 */
import type { DefinitionRegistry } from '../fhir/index.js';
import type { JsonObject } from '../json.js';
import type { ValidationIssue } from './issues.js';
import type { Validator } from './validator.js';

export type WriteValidationMode = 'strict' | 'lenient' | 'off';

export type WriteVerdict =
  | { accepted: true; warnings: ValidationIssue[] }
  | { accepted: false; status: 400 | 422; errors: ValidationIssue[] };

const isError = (issue: ValidationIssue) => issue.severity === 'error' || issue.severity === 'fatal';

const ACCEPTED: WriteVerdict = { accepted: true, warnings: [] };

/** The IG's profiles by resource type, for the IG packages the definitions were loaded from. */
export function igProfilesByType(
  definitions: DefinitionRegistry,
  igs: readonly string[],
): Map<string, string[]> {
  const byType = new Map<string, string[]>();
  for (const ig of igs) {
    for (const [type, urls] of definitions.profilesBySource(ig))
      byType.set(type, [...(byType.get(type) ?? []), ...urls]);
  }
  return byType;
}

/**
 * The verdict on `resource` (parsed; `text`, when given, is what it was parsed from, so issues carry
 * its lines and columns).
 */
export function checkForWrite(
  validator: Validator,
  mode: WriteValidationMode,
  igProfiles: ReadonlyMap<string, string[]>,
  resource: JsonObject,
  text?: string,
): WriteVerdict {
  if (mode === 'off') return ACCEPTED;
  const claimed = Array.isArray((resource.meta as JsonObject | undefined)?.profile);
  const candidates = claimed ? [] : (igProfiles.get(String(resource.resourceType)) ?? []);
  const walk = (profile: string | undefined) =>
    validator.validateDetailed(text ?? resource, profile ? { profiles: [profile] } : {}).issues;
  const first = walk(candidates[0]);
  if (!first.some(isError)) return ACCEPTED;
  const base = validator.validateDetailed(withoutClaimedProfiles(resource)).issues.filter(isError);
  if (base.length > 0) return { accepted: false, status: 400, errors: base };

  // The IG profile the resource breaks least.
  let errors = first.filter(isError);
  for (const profile of candidates.slice(1)) {
    const found = walk(profile).filter(isError);
    if (found.length < errors.length) errors = found;
    if (errors.length === 0) return ACCEPTED;
  }
  if (mode === 'strict') return { accepted: false, status: 422, errors };
  return { accepted: true, warnings: errors.map((issue) => ({ ...issue, severity: 'warning' as const })) };
}

function withoutClaimedProfiles(resource: JsonObject): JsonObject {
  const meta = resource.meta;
  if (typeof meta !== 'object' || meta === null || !('profile' in meta)) return resource;
  const { profile: _profile, ...rest } = meta as JsonObject;
  // A meta that held only profiles goes altogether: an empty object would break base R4 (ele-1).
  if (Object.keys(rest).length > 0) return { ...resource, meta: rest };
  const { meta: _meta, ...withoutMeta } = resource;
  return withoutMeta;
}
