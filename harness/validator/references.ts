/**
 * References: the literal form of Reference.reference, its type against the element's target profiles,
 * and resolution among contained resources and inside the enclosing Bundle.
 */
import { CORE_BASE, type DefinitionRegistry } from '../fhir/definitions.js';
import type { ElementSchema, TypeRef } from './schema.js';
import { isJsonObject, objectsOf, type JsonObject } from '../json.js';
import type { Cursor, ResourceScope, WalkContext } from './walk-context.js';

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

/**
 * When a relative reference must be found inside its Bundle: always in a document (it is
 * self-contained); in a collection or message when the element names target profiles the resource has
 * to be checked against. In a transaction, batch, search or history it may point to a server.
 */
function mustResolveInBundle(bundle: JsonObject, typeRef: TypeRef | undefined): boolean {
  if (bundle.type === 'document') return true;
  if (bundle.type !== 'collection' && bundle.type !== 'message') return false;
  return (typeRef?.targetProfiles ?? []).some((p) => !p.startsWith(CORE_BASE));
}

/** The absolute URL a reference stands for, from the fullUrl of the entry it sits in. */
function absoluteFor(reference: string, fullUrl: string | undefined): string | undefined {
  if (!fullUrl) return undefined;
  const tail = ABSOLUTE_TAIL.exec(fullUrl);
  if (!tail) return undefined;
  return `${fullUrl.slice(0, tail.index)}/${reference.replace(/\/_history\/.*$/, '')}`;
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
    if (typeof reference !== 'string') return;
    const at: Cursor = { expression: cursor.expression, parent: cursor, key: 'reference' };
    const parsed = parseReference(reference);
    const allowed = targetTypes(this.definitions, typeRef);
    const anyType = allowed.length === 0 || allowed.includes('Resource');
    let resolvedType: string | undefined;

    switch (parsed.kind) {
      case 'invalid':
        walk.report('REF_FORMAT_INVALID', at, { reference }, { severity: 'warning' });
        return;
      case 'contained': {
        const container = scope.container ?? scope;
        if (parsed.id === '') {
          resolvedType =
            typeof container.resource.resourceType === 'string' ? container.resource.resourceType : undefined;
          break;
        }
        const contained = Array.isArray(container.resource.contained) ? container.resource.contained : [];
        const target = contained.find((c) => isJsonObject(c) && c.id === parsed.id);
        if (!isJsonObject(target)) {
          walk.report('REF_CONTAINED_NOT_FOUND', at, { reference });
          return;
        }
        resolvedType = typeof target.resourceType === 'string' ? target.resourceType : undefined;
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
        const bundled = this.inBundle(reference, parsed, scope, typeRef);
        if (bundled === 'missing') {
          walk.report('REF_NOT_FOUND_IN_BUNDLE', at, { reference });
          return;
        }
        if (bundled && typeof bundled.resourceType === 'string') {
          resolvedType = bundled.resourceType;
          // A target profile that is not a plain resource type: the resource found must conform to it.
          const profiles = (typeRef?.targetProfiles ?? []).filter((p) => !p.startsWith(CORE_BASE));
          if (profiles.length > 0 && !walk.conformsToAny(bundled, profiles, scope)) {
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

    if (resolvedType && !anyType && !allowed.includes(resolvedType)) {
      walk.report(
        'REF_TYPE_WRONG',
        at,
        { type: resolvedType, allowed: allowed.join(', ') },
        { source: element.owner },
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

  /**
   * The resource a reference points to inside the enclosing Bundle; 'missing' when it must be there and
   * is not (a urn:uuid, or see mustResolveInBundle); undefined when it may live elsewhere.
   */
  private inBundle(
    reference: string,
    parsed: ParsedReference,
    scope: ResourceScope,
    typeRef: TypeRef | undefined,
  ): JsonObject | 'missing' | undefined {
    const bundle = scope.bundle?.bundle;
    if (!bundle) return undefined;
    const entries = objectsOf(bundle.entry);
    const wanted = new Set<string>([reference]);
    if (parsed.kind === 'relative') {
      const absolute = absoluteFor(reference, scope.bundle?.fullUrl);
      if (absolute) wanted.add(absolute);
    }
    for (const entry of entries) {
      const fullUrl = typeof entry.fullUrl === 'string' ? entry.fullUrl : undefined;
      const resource = isJsonObject(entry.resource) ? entry.resource : undefined;
      if (!resource) continue;
      if (fullUrl && wanted.has(fullUrl)) return resource;
      if (parsed.kind === 'relative' && fullUrl?.endsWith(`/${reference}`)) return resource;
      if (
        parsed.kind === 'relative' &&
        !fullUrl &&
        resource.resourceType === parsed.type &&
        resource.id === parsed.id
      )
        return resource;
    }
    if (parsed.kind === 'uuid' || parsed.kind === 'oid') return 'missing';
    if (parsed.kind === 'relative' && mustResolveInBundle(bundle, typeRef)) return 'missing';
    return undefined;
  }
}
