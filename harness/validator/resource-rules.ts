/**
 * Rules on a resource as a whole that its definition does not express as constraints: the id rule on
 * Resource.id, the rules of contained resources (dom-2 to dom-5, checked natively), and what a resource
 * inside another (contained, a Bundle entry, a parameter) takes from the element that holds it: the
 * types it may be, the profiles it must meet, and the scope its invariants see.
 */
import { isJsonObject, type JsonObject } from '../json.js';
import type { ElementSchema } from './schema.js';
import {
  childCursor,
  itemCursor,
  type Cursor,
  type Item,
  type ResourceScope,
  type WalkContext,
} from './walk-context.js';

/** The elements whose resource is a context of its own, grouped by the Bundle or Parameters that holds it. */
const GROUPED_RESOURCE_PATHS = new Set([
  'Bundle.entry.resource',
  'Bundle.entry.response.outcome',
  'Parameters.parameter.resource',
]);

/** A resource element that names resource types holds one of them. */
export function checkResourceType(
  walk: WalkContext,
  item: Item,
  element: ElementSchema,
  resourceType: string | undefined,
): void {
  const allowedTypes = element.types.map((t) => t.code).filter((code) => code !== 'Resource');
  if (resourceType && allowedTypes.length > 0 && !allowedTypes.includes(resourceType)) {
    walk.report('STRUCT_TYPE_NOT_ALLOWED', item.cursor, {
      type: resourceType,
      allowed: allowedTypes.join(', '),
    });
  }
}

/**
 * The scope of a resource inside another. %rootResource (fhirpath.html): a Bundle entry or a Parameters
 * resource starts a context of its own and is its own root; any other resource inside a resource
 * (contained) has its container as root. Entries know their Bundle and fullUrl.
 */
export function innerResourceScope(
  value: JsonObject,
  owner: JsonObject,
  element: ElementSchema,
  scope: ResourceScope,
): Omit<ResourceScope, 'resource'> {
  const inner: Omit<ResourceScope, 'resource'> = {
    root: GROUPED_RESOURCE_PATHS.has(element.path) ? value : scope.resource,
  };
  if (element.name === 'contained') inner.container = scope;
  if (element.path.startsWith('Bundle.entry.')) {
    const fullUrl = element.path === 'Bundle.entry.resource' ? owner.fullUrl : undefined;
    inner.bundle = { bundle: scope.resource, ...(typeof fullUrl === 'string' ? { fullUrl } : {}) };
  } else if (scope.bundle) inner.bundle = scope.bundle;
  return inner;
}

/**
 * The profiles the definition names for a resource element, those that exist. One that does not is an
 * error said of the element and of the resource (as the HL7 validator reports it), and the resource is
 * then held to its base type only.
 */
export function knownTypeProfiles(
  walk: WalkContext,
  element: ElementSchema,
  elementCursor: Cursor,
  resourceCursor: Cursor,
  resourceType: string | undefined,
): string[] {
  return element.types
    .flatMap((t) => t.profiles)
    .filter((profile) => {
      if (walk.services.definitions.structureDefinition(profile.split('|')[0] ?? profile)) return true;
      walk.report('STRUCT_TYPE_PROFILE_UNKNOWN', elementCursor, { profile });
      walk.report('STRUCT_RESOURCE_PROFILE_UNKNOWN', resourceCursor, {
        profile,
        context: element.path.startsWith('Bundle.entry.')
          ? 'Bundle entry'
          : element.path.startsWith('Parameters.')
            ? 'parameter'
            : element.name,
        type: resourceType ?? 'unknown',
      });
      return false;
    });
}

/**
 * Resource.id is typed string in R4, yet must follow the id rule (at most 64 characters of
 * [A-Za-z0-9-.]). The HL7 validator holds every resource to it, the validated one included
 * (InstanceValidator: RESOURCE_RES_ID_MALFORMED_LENGTH, then _CHARS), so an id that breaks it is an
 * error wherever it is.
 */
export function checkResourceId(walk: WalkContext, resource: JsonObject, cursor: Cursor): void {
  const id = resource.id;
  if (typeof id !== 'string') return;
  const at = childCursor(cursor, 'id', `${cursor.expression}.id`);
  if (id.length > 64)
    walk.report('STRUCT_RESOURCE_ID_INVALID', at, { detail: `Too long (${id.length} chars)` });
  else if (!/^[A-Za-z0-9\-.]+$/.test(id))
    walk.report('STRUCT_RESOURCE_ID_INVALID', at, { detail: `Invalid Characters ('${id}')` });
}

/** Contained resources: not nested, no version or security meta, and referenced from somewhere. */
export function checkContained(walk: WalkContext, resource: JsonObject, cursor: Cursor): void {
  const contained = Array.isArray(resource.contained) ? resource.contained : [];
  if (contained.length === 0) return;
  const references = new Set<string>();
  collectLocalReferences(resource, references, true);
  const referencesContainer = (item: JsonObject) => {
    const inner = new Set<string>();
    collectLocalReferences(item, inner, false);
    return inner.has('#');
  };
  contained.forEach((item, index) => {
    if (!isJsonObject(item)) return;
    const at = itemCursor(cursor, 'contained', index);
    const id = typeof item.id === 'string' ? item.id : undefined;
    if (Array.isArray(item.contained) && item.contained.length > 0) {
      walk.report('STRUCT_CONTAINED_NESTED', at);
    }
    const meta = isJsonObject(item.meta) ? item.meta : undefined;
    if (meta && (meta.versionId !== undefined || meta.lastUpdated !== undefined)) {
      walk.report('STRUCT_CONTAINED_META', at);
    }
    if (meta && meta.security !== undefined) {
      walk.report('STRUCT_CONTAINED_SECURITY', at);
    }
    if (id !== undefined && !references.has(`#${id}`) && !referencesContainer(item)) {
      walk.report('STRUCT_CONTAINED_NOT_REFERENCED', at, { id });
    }
  });
}

/**
 * Every string below a node that starts with '#': local references, and canonicals or uris that name a
 * contained resource ('#' alone refers to the container), as dom-3 counts them.
 */
function collectLocalReferences(node: unknown, into: Set<string>, skipContained: boolean): void {
  if (Array.isArray(node)) {
    for (const item of node) collectLocalReferences(item, into, false);
    return;
  }
  if (!isJsonObject(node)) return;
  for (const [key, value] of Object.entries(node)) {
    if (skipContained && key === 'contained') {
      // References between contained resources count, as does a reference from one to the container.
      if (Array.isArray(value)) for (const item of value) collectLocalReferences(item, into, false);
      continue;
    }
    if (typeof value === 'string') {
      if (value.startsWith('#')) into.add(value);
    } else if (typeof value === 'object') collectLocalReferences(value, into, false);
  }
}
