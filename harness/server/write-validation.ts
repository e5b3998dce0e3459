/**
 * Validation on write. A resource that breaks base R4 is refused (400) unless validation is off. In
 * strict mode it must also conform to the profiles it claims in meta.profile or, claiming none, to one
 * of the IG's profiles for its type (422 otherwise); in lenient mode those profile issues come back as
 * warnings and the resource is stored.
 */
import type { Validator, ValidationIssue } from '../validator/index.js';
import { toOperationOutcome } from '../validator/index.js';
import { OutcomeError } from './outcomes.js';
import type { JsonObject } from '../json.js';

export type ValidationMode = 'strict' | 'lenient' | 'off';

const isError = (issue: ValidationIssue) => issue.severity === 'error' || issue.severity === 'fatal';

function withoutClaimedProfiles(resource: JsonObject): JsonObject {
  const meta = resource.meta;
  if (typeof meta !== 'object' || meta === null || !('profile' in meta)) return resource;
  const { profile: _profile, ...rest } = meta as JsonObject;
  // A meta that held only profiles goes altogether: an empty object would break base R4 (ele-1).
  if (Object.keys(rest).length > 0) return { ...resource, meta: rest };
  const { meta: _meta, ...withoutMeta } = resource;
  return withoutMeta;
}

export class WriteValidation {
  constructor(
    private readonly validator: Validator,
    readonly mode: ValidationMode,
    /** The IG's profiles by resource type. */
    private readonly igProfiles: Map<string, string[]>,
  ) {}

  /**
   * Throws an OutcomeError when the resource may not be stored; otherwise returns the issues worth
   * telling the client (profile issues under lenient validation), possibly none.
   */
  check(resource: JsonObject): ValidationIssue[] {
    if (this.mode === 'off') return [];
    const claimed = Array.isArray((resource.meta as JsonObject | undefined)?.profile);
    const candidates = claimed ? [] : (this.igProfiles.get(String(resource.resourceType)) ?? []);
    // The common case in one walk: a profiled walk includes the core type's, so a resource it finds
    // nothing wrong with breaks neither. Only a resource with errors is walked again, to tell base R4
    // errors (400) from profile errors (422).
    const first = this.walk(resource, candidates[0]);
    if (!first.issues.some(isError)) return [];
    const base = this.validator.validateDetailed(withoutClaimedProfiles(resource));
    if (base.issues.some(isError))
      throw new OutcomeError(400, toOperationOutcome(base.issues.filter(isError)));

    const errors = this.bestFit(resource, candidates, first).issues.filter(isError);
    if (errors.length === 0) return [];
    if (this.mode === 'strict') throw new OutcomeError(422, toOperationOutcome(errors));
    return errors.map((issue) => ({ ...issue, severity: 'warning' as const }));
  }

  /** The resource against its own profiles, and `profile` besides when given. */
  private walk(resource: JsonObject, profile: string | undefined): { issues: ValidationIssue[] } {
    return this.validator.validateDetailed(resource, profile ? { profiles: [profile] } : {});
  }

  /**
   * The IG profile the resource breaks least, `first` being its walk against the first candidate (or,
   * with none, against its own profiles).
   */
  private bestFit(
    resource: JsonObject,
    candidates: string[],
    first: { issues: ValidationIssue[] },
  ): { issues: ValidationIssue[] } {
    let best = first;
    for (const profile of candidates.slice(1)) {
      const result = this.walk(resource, profile);
      if (!result.issues.some(isError)) return result;
      if (result.issues.filter(isError).length < best.issues.filter(isError).length) best = result;
    }
    return best;
  }
}
