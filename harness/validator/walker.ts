/**
 * One validation run: walks a resource (and every resource inside it) along the compiled definitions of
 * its type and profiles, and collects issues. The walk itself is here: resources and profiles, objects
 * and their properties, each occurrence by its type (primitive, complex, resource), invariants. The
 * rules live in their own modules, each named after what it checks, and see the walk only as a
 * WalkContext: cardinality, properties (JSON shape), slice-assignment, value-rules (fixed, pattern,
 * limits, narrative), binding-rules, extension-rules, resource-rules (ids, contained), references,
 * bundle.
 */
import { isJsonObject, objectsOf, type JsonObject } from '../json.js';
import { BindingRules } from './binding-rules.js';
import { checkBundle } from './bundle.js';
import { checkAbsent, checkCardinality } from './cardinality.js';
import { ExtensionRules } from './extension-rules.js';
import { checkNarrative } from './narrative-rules.js';
import { checkInvariants } from './invariant-rules.js';
import { issue, type ValidationIssue } from './issues.js';
import type { ParsedJson } from './json-source.js';
import type { MessageId } from './messages.js';
import { isPrimitiveType } from './primitive-types.js';
import { checkPrimitive } from './primitives.js';
import {
  baseChoiceTypes,
  collectItems,
  disallowedChoice,
  propertyIndex,
  type PropertyTarget,
} from './properties.js';
import { ReferenceChecker } from './references.js';
import {
  checkContained,
  checkResourceId,
  checkResourceType,
  innerResourceScope,
  knownTypeProfiles,
} from './resource-rules.js';
import type { CompiledStructure, ElementSchema, TypeRef } from './schema.js';
import { assignSlices } from './slice-assignment.js';
import { checkConceptMap } from './concept-map-rules.js';
import { checkCanonicalUrl, checkCodeSystem, checkValueSet } from './terminology-resource-rules.js';
import {
  checkAttachmentSize,
  checkFixedAndPattern,
  checkQuantityLimits,
  checkValueLimits,
} from './value-rules.js';
import {
  MAX_ISSUES,
  childCursor,
  describeJson,
  itemCursor,
  jsonPath,
  type Cursor,
  type Item,
  type ReportOverrides,
  type ResourceScope,
  type Services,
  type WalkContext,
} from './walk-context.js';

const UNDERSCORE = 0x5f;

export class Walk implements WalkContext {
  readonly issues: ValidationIssue[] = [];
  private readonly references: ReferenceChecker;
  private readonly bindings: BindingRules;
  private readonly extensions: ExtensionRules;

  constructor(
    readonly services: Services,
    private readonly source: ParsedJson | undefined,
    /**
     * Resources being checked against target profiles right now, shared by a walk and the silent
     * probes it starts: a reference cycle must not recurse forever.
     */
    private readonly checking = new Set<unknown>(),
  ) {
    this.references = new ReferenceChecker(services.definitions);
    this.bindings = new BindingRules(this);
    this.extensions = new ExtensionRules(this);
  }

  report(
    id: MessageId,
    cursor: Cursor,
    args: Readonly<Record<string, string | number>> = {},
    overrides: ReportOverrides = {},
  ): void {
    this.add(issue(id, cursor.expression, args, overrides), cursor);
  }

  /**
   * Keeps an issue, up to MAX_ISSUES: a resource broken in a million places (a million nulls) gets a
   * readable answer in reasonable time, with a last issue that says the rest was not reported.
   */
  private add(found: ValidationIssue, cursor: Cursor): void {
    if (this.issues.length >= MAX_ISSUES) {
      if (!this.truncated) this.issues.push(issue('STRUCT_TOO_MANY_ISSUES', '', { max: MAX_ISSUES }));
      this.truncated = true;
      return;
    }
    this.locate(found, cursor);
    this.issues.push(found);
  }

  private truncated = false;

  private locate(found: ValidationIssue, cursor: Cursor): void {
    if (!this.source) return;
    const location = this.source.locate(jsonPath(cursor));
    if (location) found.location = location;
  }

  hasErrors(): boolean {
    return this.issues.some((i) => i.severity === 'error' || i.severity === 'fatal');
  }

  addIssue(found: ValidationIssue, cursor: Cursor): void {
    this.add(found, cursor);
  }

  numberText(cursor: Cursor): string | undefined {
    return this.source?.numberText(jsonPath(cursor));
  }

  // ---------------------------------------------------------------- resources

  /**
   * Validates a resource against its base definition, the profiles it claims in meta.profile, and the
   * profiles the caller names.
   */
  resource(
    resource: JsonObject,
    cursor: Cursor,
    scope: Omit<ResourceScope, 'resource'>,
    extraProfiles: string[] = [],
  ): void {
    const type = resource.resourceType;
    if (typeof type !== 'string') {
      this.report(
        'STRUCT_RESOURCE_TYPE_MISSING',
        cursor,
        {},
        { severity: cursor.parent ? 'error' : 'fatal' },
      );
      return;
    }
    if (!this.services.definitions.isResourceType(type)) {
      this.report(
        'STRUCT_RESOURCE_TYPE_UNKNOWN',
        cursor,
        { type },
        { severity: cursor.parent ? 'error' : 'fatal' },
      );
      return;
    }
    const base = this.services.compiler.compileType(type);
    if (!base.ok) {
      this.report('STRUCT_DEFINITION_BROKEN', cursor, { url: type, detail: base.error });
      return;
    }
    const inner: ResourceScope = { ...scope, resource };
    checkResourceId(this, resource, cursor);

    // A profile of the resource's own type holds every rule of the type as well (its snapshot is built on
    // the base), so when one applies the base walk would only repeat it.
    let coveredByProfile = false;
    const meta = isJsonObject(resource.meta) ? resource.meta : undefined;
    const claimed = Array.isArray(meta?.profile)
      ? meta.profile.filter((p): p is string => typeof p === 'string')
      : [];
    for (const [index, profile] of claimed.entries()) {
      const profileCursor = childCursor(
        childCursor(
          childCursor(cursor, 'meta', `${cursor.expression}.meta`),
          'profile',
          `${cursor.expression}.meta.profile`,
        ),
        index,
        `${cursor.expression}.meta.profile[${index}]`,
      );
      coveredByProfile =
        this.profile(resource, type, profile, cursor, profileCursor, inner) || coveredByProfile;
    }
    for (const profile of extraProfiles) {
      if (claimed.includes(profile)) continue;
      coveredByProfile = this.profile(resource, type, profile, cursor, cursor, inner) || coveredByProfile;
    }
    if (!coveredByProfile) this.structure(resource, base.structure, cursor, inner);

    checkContained(this, resource, cursor);
    checkCanonicalUrl(this, resource, cursor, scope.container !== undefined);
    if (type === 'Bundle') checkBundle(this, resource, cursor, inner);
    if (type === 'CodeSystem') checkCodeSystem(this, resource, cursor);
    if (type === 'ValueSet') checkValueSet(this, resource, cursor);
    if (type === 'ConceptMap') checkConceptMap(this, resource, cursor);
  }

  /** Walks the resource along a profile; true when the profile is of the resource's own type. */
  private profile(
    resource: JsonObject,
    type: string,
    profile: string,
    cursor: Cursor,
    reportAt: Cursor,
    scope: ResourceScope,
  ): boolean {
    const compiled = this.services.compiler.compile(profile);
    if (!compiled.ok) {
      if (this.services.definitions.structureDefinition(profile)) {
        this.report('STRUCT_DEFINITION_BROKEN', reportAt, { url: profile, detail: compiled.error });
      } else this.report('STRUCT_PROFILE_UNKNOWN', reportAt, { profile });
      return false;
    }
    const structure = compiled.structure;
    for (const detail of structure.problems) {
      this.report(
        'STRUCT_DEFINITION_PROBLEM',
        reportAt,
        { url: profile, detail },
        { severity: 'information' },
      );
    }
    if (structure.type !== type && structure.type !== 'Resource' && structure.type !== 'DomainResource') {
      this.report('STRUCT_PROFILE_WRONG_TYPE', reportAt, { profile, profileType: structure.type, type });
      return false;
    }
    this.structure(resource, structure, cursor, scope);
    return structure.type === type;
  }

  /** Walks a value along a whole compiled definition (a resource type, a profile, a datatype profile). */
  structure(value: JsonObject, structure: CompiledStructure, cursor: Cursor, scope: ResourceScope): void {
    const root = structure.root;
    this.properties(value, root.children, structure, cursor, scope, structure.kind === 'resource', root);
    checkInvariants(this, root, root.path, value, cursor, scope);
  }

  // ---------------------------------------------------------------- objects and properties

  /** Checks the JSON properties of an object against the child elements its definition allows. */
  properties(
    value: JsonObject,
    children: ElementSchema[],
    structure: CompiledStructure,
    cursor: Cursor,
    scope: ResourceScope,
    isResourceRoot: boolean,
    holder: ElementSchema,
  ): void {
    const index = propertyIndex(children);
    // By the element's place among the children: what the object holds for it (most hold nothing).
    const groups: ({ key: string; target: PropertyTarget }[] | undefined)[] = new Array(children.length);
    let disallowedChoices: Map<ElementSchema, number> | undefined;
    const keys = Object.keys(value);
    let hasCompanions = false;
    for (const key of keys) {
      if (isResourceRoot && key === 'resourceType') continue;
      if (key.charCodeAt(0) === UNDERSCORE) hasCompanions = true;
      const target = index.get(key);
      if (!target) {
        const choice = disallowedChoice(this.services.definitions, key, children);
        const unknownHere = childCursor(cursor, key, cursor.expression);
        if (choice && baseChoiceTypes(this.services.compiler, choice.element).includes(choice.type)) {
          // A type the base allows but the profile does not: one issue, and the value still counts as
          // present. Where the profile leaves one type the value is said to be of the wrong type; where
          // it leaves several, the element holding it says no type fits (as the HL7 validator does).
          disallowedChoices ??= new Map();
          disallowedChoices.set(choice.element, (disallowedChoices.get(choice.element) ?? 0) + 1);
          const at =
            choice.element.types.length === 1
              ? childCursor(cursor, key, `${cursor.expression}.${choice.element.name}.ofType(${choice.type})`)
              : unknownHere;
          this.report(
            'STRUCT_CHOICE_TYPE_NOT_ALLOWED',
            at,
            { allowed: choice.element.types.map((t) => t.code).join(', '), type: choice.type },
            { source: choice.element.owner },
          );
        } else if (key !== 'fhir_comments') {
          // Not a name of the type at all (a choice with a type even the base lacks included): the JSON
          // cannot be read as the type, and the element stays absent.
          this.report('STRUCT_UNKNOWN_PROPERTY', unknownHere, { name: key });
        }
        continue;
      }
      const group = groups[target.position];
      if (group) group.push({ key, target });
      else groups[target.position] = [{ key, target }];
    }
    if (!isResourceRoot && keys.length === 0) {
      const name = typeof cursor.key === 'number' ? cursor.parent?.key : cursor.key;
      this.report('STRUCT_EMPTY_OBJECT', cursor, { name: name === undefined ? '' : String(name) });
    } else if (!isResourceRoot && keys.every((key) => key === 'id')) {
      this.report('STRUCT_ELEMENT_EMPTY', cursor);
    }
    for (let position = 0; position < children.length; position++) {
      const element = children[position]!;
      const group = groups[position];
      const disallowed = disallowedChoices?.get(element) ?? 0;
      // Most elements are absent: only a required element, or a required slice, has anything to say then.
      if (!group && disallowed === 0) {
        if (element.min > 0 || element.slices.length > 0) checkAbsent(this, element, cursor);
        continue;
      }
      const items = group ? collectItems(this, value, element, group, cursor, holder, hasCompanions) : [];
      let count = items.length + disallowed;
      if (element.isChoice) {
        // A choice holds one value: two names (allowed or not) are one issue, not a cardinality one too.
        const names = new Set((group ?? []).map((g) => g.target.name));
        if (names.size + disallowed > 1) {
          this.report('CARD_CHOICE_MULTIPLE', cursor, {
            names: [...names].sort().join(', '),
            count: names.size + disallowed,
          });
          count = Math.min(count, 1);
        }
      }
      checkCardinality(this, element, count, cursor);
      // An item that belongs to a slice is checked against the slice, which refines the element.
      const slices =
        element.slicing && element.slices.length > 0
          ? assignSlices(this, element, items, cursor, scope)
          : undefined;
      for (const item of items) this.item(item, slices?.get(item) ?? element, structure, scope);
    }
  }

  // ---------------------------------------------------------------- items

  /** Validates one occurrence of an element by its type. */
  item(item: Item, element: ElementSchema, structure: CompiledStructure, scope: ResourceScope): void {
    const allowed = element.types.find((t) => t.code === item.type) ?? element.types[0];
    if (element.types.length > 0 && !element.types.some((t) => t.code === item.type) && !element.isChoice) {
      // A property name maps to exactly one type, so this only happens in malformed definitions.
      return;
    }
    if (isPrimitiveType(item.type)) this.primitive(item, element, scope);
    else if (item.type === 'Resource' || this.services.definitions.isResourceType(item.type))
      this.containedResource(item, element, scope);
    else this.complex(item, element, allowed, structure, scope);
  }

  private primitive(item: Item, element: ElementSchema, scope: ResourceScope): void {
    const { value, cursor } = item;
    if (value !== undefined) {
      if (typeof value === 'object') {
        this.report('STRUCT_PRIMITIVE_EXPECTED', cursor, {
          name: item.jsonKey,
          type: item.type,
          found: describeJson(value),
        });
      } else {
        for (const problem of checkPrimitive(
          item.type as Parameters<typeof checkPrimitive>[0],
          value,
          typeof value === 'number' ? this.numberText(cursor) : undefined,
        )) {
          const id: MessageId =
            problem.kind === 'json-type'
              ? 'TYPE_JSON_WRONG'
              : problem.kind === 'whitespace'
                ? 'TYPE_VALUE_WHITESPACE'
                : 'TYPE_VALUE_INVALID';
          this.report(id, cursor, { detail: problem.message });
        }
        if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
          checkValueLimits(this, value, element, cursor);
        if (item.type === 'xhtml' && typeof value === 'string') checkNarrative(this, value, cursor, scope);
      }
    }
    if (item.extension !== undefined) {
      const extensionKey = childCursor(item.ownerCursor, `_${item.jsonKey}`, cursor.expression);
      const target =
        item.index !== undefined ? childCursor(extensionKey, item.index, cursor.expression) : extensionKey;
      if (!isJsonObject(item.extension)) {
        this.report('STRUCT_OBJECT_EXPECTED', target, {
          name: `_${item.jsonKey}`,
          type: 'Element',
          found: describeJson(item.extension),
        });
      } else {
        const primitiveDefinition = this.services.compiler.compileType(item.type);
        if (primitiveDefinition.ok) {
          const children = primitiveDefinition.structure.root.children.filter((c) => c.name !== 'value');
          this.properties(
            item.extension,
            children,
            primitiveDefinition.structure,
            target,
            scope,
            false,
            element,
          );
        }
      }
    }
    checkFixedAndPattern(this, value, element, cursor);
    if (
      element.binding &&
      value !== undefined &&
      (item.type === 'code' || item.type === 'string' || item.type === 'uri')
    ) {
      if (typeof value === 'string') this.bindings.ofCode(value, element, cursor);
    }
    checkInvariants(this, element, element.path, value, cursor, scope);
  }

  private containedResource(item: Item, element: ElementSchema, scope: ResourceScope): void {
    if (!isJsonObject(item.value)) {
      this.report('STRUCT_OBJECT_EXPECTED', item.cursor, {
        name: item.jsonKey,
        type: 'resource',
        found: describeJson(item.value),
      });
      return;
    }
    const resourceType = typeof item.value.resourceType === 'string' ? item.value.resourceType : undefined;
    const id = typeof item.value.id === 'string' ? item.value.id : '';
    const cursor: Cursor = {
      ...item.cursor,
      expression: resourceType
        ? `${item.cursor.expression}/*${resourceType}/${id || 'null'}*/`
        : item.cursor.expression,
    };
    checkResourceType(this, item, element, resourceType);
    const inner = innerResourceScope(item.value, item.owner, element, scope);
    const profiles = knownTypeProfiles(this, element, item.cursor, cursor, resourceType);
    const chosen = profiles.length > 1 ? this.bestProfile(item.value, profiles, inner) : profiles;
    this.resource(item.value, cursor, inner, chosen);
  }

  /**
   * A resource element that lists several profiles needs to conform to one of them: the first it
   * conforms to, else the one it breaks least (whose issues are then reported). Profiles for other
   * resource types are not candidates.
   */
  private bestProfile(
    value: JsonObject,
    profiles: string[],
    scope: Omit<ResourceScope, 'resource'>,
  ): string[] {
    let best: { profile: string; errors: number } | undefined;
    for (const profile of profiles) {
      const compiled = this.services.compiler.compile(profile);
      if (
        !compiled.ok ||
        (compiled.structure.type !== value.resourceType && compiled.structure.type !== 'Resource')
      )
        continue;
      const probe = new Walk(this.services, undefined, this.checking);
      probe.resource(
        value,
        { expression: typeof value.resourceType === 'string' ? value.resourceType : '' },
        scope,
        [profile],
      );
      const errors = probe.issues.filter((i) => i.severity === 'error' || i.severity === 'fatal').length;
      if (errors === 0) return [profile];
      if (!best || errors < best.errors) best = { profile, errors };
    }
    return best ? [best.profile] : [];
  }

  private complex(
    item: Item,
    element: ElementSchema,
    typeRef: TypeRef | undefined,
    structure: CompiledStructure,
    scope: ResourceScope,
  ): void {
    const { value, cursor } = item;
    if (!isJsonObject(value)) {
      this.report('STRUCT_OBJECT_EXPECTED', cursor, {
        name: item.jsonKey,
        type: item.type,
        found: describeJson(value),
      });
      return;
    }
    // The definition of the value's type: an extension's own definition, a profiled datatype, or the core type.
    const typeStructure =
      item.type === 'Extension'
        ? this.extensions.definition(value, element, typeRef, cursor, item, scope)
        : this.profiledType(item.type, typeRef, cursor);
    // An extension nobody defined is still an Extension: its properties are checked, but its
    // sub-extensions (with urls relative to a definition we lack) are not looked up.
    if (typeStructure === 'unknown') {
      const core = this.typeStructure('Extension');
      if (!core) return;
      this.extensions.insideUnknownExtension(() =>
        this.properties(value, core.root.children, core, cursor, scope, false, element),
      );
      return;
    }
    // The element's own children (a profile that unfolds it), else a content reference, else its type's.
    let children = element.children;
    let childStructure = structure;
    if (children.length === 0 && element.contentReference) {
      const referenced = structure.byId.get(element.contentReference.replace(/^.*#/, ''));
      if (referenced) children = referenced.children;
    }
    if (children.length === 0 && typeStructure) {
      children = typeStructure.root.children;
      childStructure = typeStructure;
    }
    this.properties(value, children, childStructure, cursor, scope, false, element);
    if (item.type === 'Attachment') checkAttachmentSize(this, value, cursor);
    if (item.type === 'Quantity' && (element.minValue || element.maxValue))
      checkQuantityLimits(this, value, element, cursor);
    // The type's own invariants (per-1 on Period, ref-1 on Reference, qty-3 on Quantity...).
    if (typeStructure && typeStructure.root.constraints.length > 0)
      checkInvariants(this, typeStructure.root, element.path, value, cursor, scope);

    checkFixedAndPattern(this, value, element, cursor);
    if (element.binding) this.bindings.ofComplex(value, item.type, element, cursor);
    if (item.type === 'Coding') this.bindings.codingContent(value, cursor);
    if (item.type === 'CodeableConcept' && Array.isArray(value.coding)) {
      value.coding.forEach((coding, i) => {
        if (isJsonObject(coding)) this.bindings.codingContent(coding, itemCursor(cursor, 'coding', i));
      });
    }
    if (item.type === 'Reference') this.references.check(this, value, element, typeRef, cursor, scope);
    checkInvariants(this, element, element.path, value, cursor, scope);
  }

  typeStructure(type: string): CompiledStructure | undefined {
    const compiled = this.services.compiler.compileType(type);
    return compiled.ok ? compiled.structure : undefined;
  }

  /** The definition a datatype value is checked against: the profile its element names, else the core type. */
  private profiledType(
    type: string,
    typeRef: TypeRef | undefined,
    cursor: Cursor,
  ): CompiledStructure | undefined {
    const profile = typeRef?.profiles[0];
    if (profile) {
      const compiled = this.services.compiler.compile(profile);
      if (compiled.ok) return compiled.structure;
      if (this.services.definitions.structureDefinition(profile.split('|')[0] ?? profile))
        this.report('STRUCT_DEFINITION_BROKEN', cursor, { url: profile, detail: compiled.error });
      else this.report('STRUCT_TYPE_PROFILE_UNKNOWN', cursor, { profile });
    }
    return this.typeStructure(type);
  }

  // ---------------------------------------------------------------- conformance

  /** Whether a resource conforms to at least one of the profiles (for target profiles of references). */
  conformsToAny(value: JsonObject, profiles: string[], scope: ResourceScope): boolean {
    if (this.checking.has(value)) return true;
    this.checking.add(value);
    try {
      return profiles.some((profile) => this.conforms(value, profile, scope));
    } finally {
      this.checking.delete(value);
    }
  }

  /** Whether a value conforms to a profile (profile discriminators, target profiles): a silent validation. */
  conforms(value: unknown, profile: string, scope: ResourceScope): boolean {
    if (!isJsonObject(value)) return false;
    const compiled = this.services.compiler.compile(profile);
    if (!compiled.ok) return false;
    const probe = new Walk(this.services, undefined, this.checking);
    const cursor: Cursor = { expression: compiled.structure.type };
    if (compiled.structure.kind === 'resource')
      probe.resource(value, cursor, resourceContext(value, scope), [profile]);
    else probe.structure(value, compiled.structure, cursor, scope);
    return !probe.issues.some((i) => i.severity === 'error' || i.severity === 'fatal');
  }
}

/**
 * The context a resource checked on its own (a reference's target, a profile-discriminated slice) is
 * validated in: its own root, and the Bundle around it, so that its references resolve as they do in
 * the walk proper.
 */
function resourceContext(value: JsonObject, scope: ResourceScope): Omit<ResourceScope, 'resource'> {
  const bundle = scope.resource.resourceType === 'Bundle' ? scope.resource : scope.bundle?.bundle;
  if (!bundle) return { root: value };
  const fullUrl = objectsOf(bundle.entry).find((entry) => entry.resource === value)?.fullUrl;
  return { root: value, bundle: { bundle, ...(typeof fullUrl === 'string' ? { fullUrl } : {}) } };
}
