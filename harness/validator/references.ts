/**
 * References: the literal form of Reference.reference, its type against the element's target profiles,
 * and resolution among contained resources and inside the enclosing Bundle.
 */
import { CORE_BASE, type DefinitionRegistry } from '../fhir/definitions.js';
import { resolveWalked } from './bundle-resolution.js';
import type { ElementSchema, TypeRef } from './schema.js';
import { isJsonObject, type JsonObject } from '../json.js';
import { lazyChildCursor, type Cursor, type ResourceScope, type WalkContext } from './walk-context.js';

const RELATIVE = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(\/_history\/[A-Za-z0-9\-.]{1,64})?$/;
const ABSOLUTE_TAIL = /\/([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(\/_history\/[A-Za-z0-9\-.]{1,64})?$/;

export type ParsedReference =
  | { kind: 'contained'; id: string }
  | { kind: 'uuid' | 'oid'; value: string }
  | { kind: 'relative'; type: string; id: string }
  | { kind: 'absolute'; url: string; type?: string; id?: string }
  | { kind: 'invalid' };

export function parseReference(reference: string): ParsedReference {
  if (reference.startsWith('#')) return { kind: 'contained', id: reference.slice(1) };
  if (reference.startsWith('urn:uuid:')) return { kind: 'uuid', value: reference };
  if (reference.startsWith('urn:oid:')) return { kind: 'oid', value: reference };
  const relative = RELATIVE.exec(reference);
  if (relative) return { kind: 'relative', type: relative[1] ?? '', id: relative[2] ?? '' };
  if (/^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(reference)) {
    const tail = ABSOLUTE_TAIL.exec(reference);
    return tail
      ? { kind: 'absolute', url: reference, type: tail[1] ?? '', id: tail[2] ?? '' }
      : { kind: 'absolute', url: reference };
  }
  return { kind: 'invalid' };
}

/**
 * The resource types a Reference element may point to ('Resource' or none means any). A target profile
 * we cannot resolve says nothing certain about the type, so it allows any.
 */
function targetTypes(definitions: DefinitionRegistry, typeRef: TypeRef | undefined): string[] {
  const types: string[] = [];
  for (const profile of typeRef?.targetProfiles ?? []) {
    const type = definitions.structureDefinition(profile)?.type;
    types.push(type ?? 'Resource');
  }
  return types;
}

export class ReferenceChecker {
  constructor(private readonly definitions: DefinitionRegistry) {}

  check(
    walk: WalkContext,
    value: JsonObject,
    element: ElementSchema,
    typeRef: TypeRef | undefined,
    cursor: Cursor,
    scope: ResourceScope,
  ): void {
    const reference = value.reference;
    if (typeof reference !== 'string' || reference === '') {
      // Nothing to follow and nothing to identify: a reader has only the display left. A pattern may
      // name only part of a Reference, so patterns are left alone.
      const identifier = isJsonObject(value.identifier) ? value.identifier : {};
      if (
        typeof identifier.system !== 'string' &&
        typeof identifier.value !== 'string' &&
        typeof value.display !== 'string' &&
        !cursor.expression.includes('.pattern')
      )
        walk.report('REF_NO_DISPLAY', cursor);
      return;
    }
    // The issue sits on the reference text, its expression the Reference's own.
    const at = lazyChildCursor(cursor, 'reference', '');
    if (!/^\S+$/.test(reference)) walk.report('REF_INVALID', at, { reference });
    const parsed = parseReference(reference);
    const allowed = targetTypes(this.definitions, typeRef);
    const anyType = allowed.length === 0 || allowed.includes('Resource');
    let resolvedType: string | undefined;
    /** Where the reference led: a contained resource, an entry of the Bundle, or nowhere we can see. */
    let destination: 'contained' | 'internal' | 'external' = 'external';

    switch (parsed.kind) {
      case 'invalid':
        walk.report('REF_FORMAT_INVALID', at, { reference }, { severity: 'warning' });
        return;
      case 'contained': {
        const container = scope.container ?? scope;
        if (parsed.id === '') {
          resolvedType =
            typeof container.resource.resourceType === 'string' ? container.resource.resourceType : undefined;
          destination = 'contained';
          break;
        }
        const contained = Array.isArray(container.resource.contained) ? container.resource.contained : [];
        const target = contained.find((c) => isJsonObject(c) && c.id === parsed.id);
        if (!isJsonObject(target)) {
          walk.report('REF_CONTAINED_NOT_FOUND', at, { reference });
          return;
        }
        resolvedType = typeof target.resourceType === 'string' ? target.resourceType : undefined;
        destination = 'contained';
        break;
      }
      default: {
        if (parsed.kind === 'relative') resolvedType = parsed.type;
        if (parsed.kind === 'absolute') resolvedType = parsed.type;
        if (
          !this.definitions.isResourceType(resolvedType ?? 'Resource') &&
          resolvedType !== undefined &&
          parsed.kind === 'relative'
        ) {
          walk.report('REF_FORMAT_INVALID', at, { reference });
          return;
        }
        const bundled = scope.bundle
          ? resolveWalked(scope.bundle.bundle, reference, scope.bundle.fullUrl)
          : undefined;
        for (const finding of bundled?.findings ?? [])
          walk.report(finding.id, at, finding.args, finding.severity ? { severity: finding.severity } : {});
        const target =
          bundled?.entry && isJsonObject(bundled.entry.resource) ? bundled.entry.resource : undefined;
        if (target) destination = 'internal';
        if (target && typeof target.resourceType === 'string') {
          resolvedType = target.resourceType;
          // A target profile that is not a plain resource type: the resource found must conform to it.
          const profiles = (typeRef?.targetProfiles ?? []).filter((p) => !p.startsWith(CORE_BASE));
          if (profiles.length > 0 && !walk.conformsToAny(target, profiles, scope)) {
            walk.report(
              'REF_TARGET_PROFILE',
              at,
              { reference, profiles: profiles.join(' or ') },
              { source: element.owner },
            );
          }
        }
      }
    }

    checkAggregation(walk, reference, typeRef, destination, at);

    if (resolvedType && !anyType && !allowed.includes(resolvedType)) {
      walk.report(
        'REF_TYPE_WRONG',
        at,
        { type: resolvedType, allowed: allowed.join(', ') },
        { source: element.owner },
      );
    }
    // Reference.type names what the reference points to: a type the element may point to.
    if (typeof value.type === 'string' && !anyType) {
      const declared = value.type.startsWith(CORE_BASE) ? value.type.slice(CORE_BASE.length) : value.type;
      if (!allowed.includes(declared))
        walk.report(
          'REF_TYPE_NOT_TARGET',
          { expression: cursor.expression, parent: cursor, key: 'type' },
          { type: value.type, allowed: allowed.join(', ') },
        );
    }
    if (
      typeof value.type === 'string' &&
      resolvedType &&
      value.type !== resolvedType &&
      !value.type.endsWith(`/${resolvedType}`)
    ) {
      walk.report(
        'REF_TYPE_MISMATCH',
        { expression: cursor.expression, parent: cursor, key: 'type' },
        { declared: value.type, actual: resolvedType },
      );
    }
  }
}

/**
 * ElementDefinition.type.aggregation: a reference the profile wants contained or bundled must be found
 * there (in R4 a bundled one inside a Bundle, whatever the validated input), and one it wants
 * referenced must not be contained.
 */
function checkAggregation(
  walk: WalkContext,
  reference: string,
  typeRef: TypeRef | undefined,
  destination: 'contained' | 'internal' | 'external',
  at: Cursor,
): void {
  const modes = typeRef?.aggregation;
  if (!modes?.length) return;
  if (destination === 'external') {
    if (!modes.includes('referenced'))
      walk.report('REF_NOT_HELD', at, { reference, modes: modes.join(', ') });
    return;
  }
  const allowed = modes.some(
    (mode) =>
      (mode === 'contained' && destination === 'contained') ||
      (mode === 'bundled' && destination === 'internal') ||
      (mode === 'referenced' && destination !== 'contained'),
  );
  if (!allowed) walk.report('REF_AGGREGATION', at, { destination, modes: modes.join(', ') });
}
