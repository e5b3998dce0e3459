/**
 * One validation run: walks a resource (and every resource inside it) along the compiled definitions of
 * its type and profiles, and collects issues. The walk is generic; the rules live in small methods,
 * each named after what it checks.
 */
import type { DefinitionRegistry } from '../fhir/definitions.js';
import { externalSystem, type Terminology } from '../terminology/index.js';
import { issue, type ValidationIssue } from './issues.js';
import type { MessageId, Severity } from './messages.js';
import type { ParsedJson } from './json-source.js';
import type { InvariantEvaluator } from './invariants.js';
import { NATIVE_INVARIANTS } from './invariants.js';
import { checkPrimitive, isPrimitiveType } from './primitives.js';
import type { CompiledStructure, ElementSchema, SchemaCompiler, TypeRef } from './schema.js';
import type { SliceMatcher } from './slicing.js';
import { type SliceCandidate } from './slicing.js';
import { deepEqual, describeValue, matchesPattern, patternMismatch } from './values.js';
import { ReferenceChecker } from './references.js';
import { checkBundle } from './bundle.js';
import { isJsonObject, objectsOf } from '../json.js';

export type JsonRecord = Record<string, unknown>;

/** Issues kept per validation at most. */
export const MAX_ISSUES = 10_000;

/** Where the walk is: a FHIRPath expression, and the JSON path (for line and column). */
export interface Cursor {
  expression: string;
  parent?: Cursor;
  key?: string | number;
}

export function childCursor(cursor: Cursor, key: string | number, expression: string): Cursor {
  return { expression, parent: cursor, key };
}

function jsonPath(cursor: Cursor): (string | number)[] {
  const path: (string | number)[] = [];
  for (let at: Cursor | undefined = cursor; at?.key !== undefined; at = at.parent) path.push(at.key);
  return path.reverse();
}

export interface WalkPolicy {
  /** The severity of an extension whose definition cannot be found (under modifierExtension it is always an error). */
  unknownExtension: 'warning' | 'error';
}

export interface Services {
  policy: WalkPolicy;
  definitions: DefinitionRegistry;
  compiler: SchemaCompiler;
  terminology: Terminology;
  invariants: InvariantEvaluator;
  slices: SliceMatcher;
}

/** The resource being walked and the resources around it. */
export interface ResourceScope {
  resource: JsonRecord;
  /** The outermost resource of the validated input. */
  root: JsonRecord;
  /** The enclosing resource of a contained one, whose `contained` it can refer to. */
  container?: ResourceScope;
  /** The Bundle entry the resource sits in, with the Bundle it belongs to. */
  bundle?: { bundle: JsonRecord; fullUrl?: string };
}

function upperFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value} (${describeValue(value)})`;
}

/** What a JSON property of an object stands for. */
interface PropertyTarget {
  element: ElementSchema;
  type: string;
  /** The JSON name of the value (`valueQuantity`), whether the key found is it or its `_` companion. */
  name: string;
  isPrimitive: boolean;
}

const propertyIndexes = new WeakMap<ElementSchema[], Map<string, PropertyTarget>>();

/** The names an element goes by for extension contexts depend only on the element. */
const contextNamesCache = new WeakMap<ElementSchema, Set<string>>();

function propertyIndex(children: ElementSchema[]): Map<string, PropertyTarget> {
  let index = propertyIndexes.get(children);
  if (index) return index;
  index = new Map();
  const add = (element: ElementSchema, type: string, name: string) => {
    const target: PropertyTarget = { element, type, name, isPrimitive: isPrimitiveType(type) };
    index?.set(name, target);
    if (target.isPrimitive) index?.set(`_${name}`, target);
  };
  for (const element of children) {
    if (element.isChoice)
      for (const type of element.types) add(element, type.code, element.name + upperFirst(type.code));
    else add(element, element.types[0]?.code ?? 'BackboneElement', element.name);
  }
  propertyIndexes.set(children, index);
  return index;
}

/** One occurrence of an element in the instance. */
interface Item {
  value: unknown;
  /** The `_name` companion of a primitive. */
  extension: unknown;
  type: string;
  jsonKey: string;
  index: number | undefined;
  cursor: Cursor;
  /** The object that holds the property, where it is, and the element it is an instance of. */
  owner: JsonRecord;
  ownerCursor: Cursor;
  holder: ElementSchema;
}

export class Walk {
  readonly issues: ValidationIssue[] = [];
  private readonly references: ReferenceChecker;
  private readonly uncheckedSystems = new Set<string>();

  constructor(
    readonly services: Services,
    private readonly source: ParsedJson | undefined,
  ) {
    this.references = new ReferenceChecker(services.definitions);
  }

  report(
    id: MessageId,
    cursor: Cursor,
    args: Readonly<Record<string, string | number>> = {},
    overrides: { severity?: Severity; source?: string } = {},
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

  /** How many extensions nobody defined the walk is inside (their sub-extensions are not looked up). */
  private insideUnknownExtension = 0;

  private locate(found: ValidationIssue, cursor: Cursor): void {
    if (!this.source) return;
    const location = this.source.locate(jsonPath(cursor));
    if (location) found.location = location;
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
    resource: JsonRecord,
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
    const base = this.services.compiler.compile(`http://hl7.org/fhir/StructureDefinition/${type}`);
    if (!base.ok) {
      this.report('STRUCT_DEFINITION_BROKEN', cursor, { url: type, detail: base.error });
      return;
    }
    const inner: ResourceScope = { ...scope, resource };
    this.resourceId(resource, cursor);

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

    this.containedRules(resource, cursor);
    if (type === 'Bundle') checkBundle(this, resource, cursor, inner);
  }

  /**
   * Resource.id is typed string in R4, yet must follow the id rule. Inside a Bundle or as a contained
   * resource that is an error; on the resource being validated, whose id a server may still assign, the
   * HL7 validator lets it pass, and we warn.
   */
  private resourceId(resource: JsonRecord, cursor: Cursor): void {
    const id = resource.id;
    if (typeof id !== 'string') return;
    const at = childCursor(cursor, 'id', `${cursor.expression}.id`);
    const severity = cursor.parent ? 'error' : 'warning';
    if (id.length > 64)
      this.report(
        'STRUCT_RESOURCE_ID_INVALID',
        at,
        { detail: `Too long (${id.length} chars)` },
        { severity },
      );
    else if (!/^[A-Za-z0-9\-.]+$/.test(id)) {
      this.report('STRUCT_RESOURCE_ID_INVALID', at, { detail: `Invalid Characters ('${id}')` }, { severity });
    }
  }

  /** Walks the resource along a profile; true when the profile is of the resource's own type. */
  private profile(
    resource: JsonRecord,
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
  structure(value: JsonRecord, structure: CompiledStructure, cursor: Cursor, scope: ResourceScope): void {
    const root = structure.root;
    this.properties(value, root.children, structure, cursor, scope, structure.kind === 'resource', root);
    this.invariants(root, root.path, value, cursor, scope);
  }

  private containedRules(resource: JsonRecord, cursor: Cursor): void {
    const contained = Array.isArray(resource.contained) ? resource.contained : [];
    if (contained.length === 0) return;
    const references = new Set<string>();
    collectLocalReferences(resource, references, true);
    const referencesContainer = (item: JsonRecord) => {
      const inner = new Set<string>();
      collectLocalReferences(item, inner, false);
      return inner.has('#');
    };
    contained.forEach((item, index) => {
      if (!isJsonObject(item)) return;
      const itemCursor = childCursor(
        childCursor(cursor, 'contained', `${cursor.expression}.contained`),
        index,
        `${cursor.expression}.contained[${index}]`,
      );
      const id = typeof item.id === 'string' ? item.id : undefined;
      if (Array.isArray(item.contained) && item.contained.length > 0) {
        this.report('STRUCT_CONTAINED_NESTED', itemCursor);
      }
      const meta = isJsonObject(item.meta) ? item.meta : undefined;
      if (meta && (meta.versionId !== undefined || meta.lastUpdated !== undefined)) {
        this.report('STRUCT_CONTAINED_META', itemCursor);
      }
      if (meta && meta.security !== undefined) {
        this.report('STRUCT_CONTAINED_SECURITY', itemCursor);
      }
      if (id !== undefined && !references.has(`#${id}`) && !referencesContainer(item)) {
        this.report('STRUCT_CONTAINED_NOT_REFERENCED', itemCursor, { id });
      }
    });
  }

  // ---------------------------------------------------------------- objects and properties

  /** Checks the JSON properties of an object against the child elements its definition allows. */
  properties(
    value: JsonRecord,
    children: ElementSchema[],
    structure: CompiledStructure,
    cursor: Cursor,
    scope: ResourceScope,
    isResourceRoot: boolean,
    holder: ElementSchema,
  ): void {
    const index = propertyIndex(children);
    const groups = new Map<ElementSchema, { key: string; target: PropertyTarget }[]>();
    const disallowedChoices = new Map<ElementSchema, number>();
    for (const key of Object.keys(value)) {
      if (isResourceRoot && key === 'resourceType') continue;
      const target = index.get(key);
      if (!target) {
        const choice = this.disallowedChoice(key, children);
        if (choice) {
          // A type the base allows but the profile does not: one issue, and the value still counts as present.
          disallowedChoices.set(choice.element, (disallowedChoices.get(choice.element) ?? 0) + 1);
          const at = childCursor(
            cursor,
            key,
            `${cursor.expression}.${choice.element.name}.ofType(${choice.type})`,
          );
          this.report(
            'STRUCT_CHOICE_TYPE_NOT_ALLOWED',
            at,
            { allowed: choice.element.types.map((t) => t.code).join(', '), type: choice.type },
            { source: choice.element.owner },
          );
        } else if (key !== 'fhir_comments') {
          this.report('STRUCT_UNKNOWN_PROPERTY', childCursor(cursor, key, cursor.expression), { name: key });
        }
        continue;
      }
      const group = groups.get(target.element);
      if (group) group.push({ key, target });
      else groups.set(target.element, [{ key, target }]);
    }
    if (!isResourceRoot && Object.keys(value).length === 0) {
      const name = typeof cursor.key === 'number' ? cursor.parent?.key : cursor.key;
      this.report('STRUCT_EMPTY_OBJECT', cursor, { name: name === undefined ? '' : String(name) });
    } else if (!isResourceRoot && Object.keys(value).every((key) => key === 'id')) {
      this.report('STRUCT_ELEMENT_EMPTY', cursor);
    }
    for (const element of children) {
      const group = groups.get(element);
      // Most elements are absent: only a required element, or a required slice, has anything to say then.
      if (!group && !disallowedChoices.has(element)) {
        if (element.min > 0 || element.slices.length > 0) this.absent(element, cursor);
        continue;
      }
      const items = group ? this.collectItems(value, element, group, cursor, holder) : [];
      const disallowed = disallowedChoices.get(element) ?? 0;
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
      this.cardinality(element, count, cursor, cardinalityLabel(element));
      // An item that belongs to a slice is checked against the slice, which refines the element.
      const slices =
        element.slicing && element.slices.length > 0
          ? this.slicing(element, items, cursor, scope)
          : undefined;
      for (const item of items) this.item(item, slices?.get(item) ?? element, structure, scope);
    }
  }

  /** An element with no occurrence: its minimum, and its slices' minimums. */
  private absent(element: ElementSchema, cursor: Cursor): void {
    this.cardinality(element, 0, cursor, cardinalityLabel(element));
    for (const slice of element.slices)
      this.cardinality(slice, 0, cursor, `${element.path}:${slice.sliceName}`);
  }

  /** A JSON key such as `valueString` that names a choice element with a type the definition does not allow. */
  private disallowedChoice(
    key: string,
    children: ElementSchema[],
  ): { element: ElementSchema; type: string } | undefined {
    for (const element of children) {
      if (!element.isChoice || !key.startsWith(element.name)) continue;
      const suffix = key.slice(element.name.length);
      if (!/^[A-Z][A-Za-z0-9]*$/.test(suffix)) continue;
      const lower = suffix.charAt(0).toLowerCase() + suffix.slice(1);
      for (const type of [suffix, lower])
        if (this.services.definitions.typeDefinition(type)) return { element, type };
    }
    return undefined;
  }

  /** The occurrences of one element in an object, with JSON shape checks along the way. */
  private collectItems(
    value: JsonRecord,
    element: ElementSchema,
    group: { key: string; target: PropertyTarget }[],
    cursor: Cursor,
    holder: ElementSchema,
  ): Item[] {
    const items: Item[] = [];
    // The JSON names present for this element, without the `_` of primitive extensions.
    const names: PropertyTarget[] = [];
    for (const { target } of group) if (!names.some((n) => n.name === target.name)) names.push(target);
    for (const target of names) {
      const key = target.name;
      const raw = value[key];
      const rawExtension = target.isPrimitive ? value[`_${key}`] : undefined;
      const expressionBase = element.isChoice
        ? `${cursor.expression}.${element.name}.ofType(${target.type})`
        : `${cursor.expression}.${key}`;
      const keyCursor = childCursor(cursor, key, expressionBase);
      if (raw === null && rawExtension === undefined) {
        this.report('STRUCT_NULL', keyCursor, { name: key });
        continue;
      }
      const rawIsArray = Array.isArray(raw);
      const extensionIsArray = Array.isArray(rawExtension);
      if (rawIsArray && raw.length === 0) {
        this.report('STRUCT_EMPTY_ARRAY', keyCursor, { name: key });
        continue;
      }
      const isArray = rawIsArray || (raw === undefined && extensionIsArray);
      if (isArray && !element.isArray) this.report('STRUCT_ARRAY_NOT_ALLOWED', keyCursor, { name: key });
      if (!isArray && element.isArray) this.report('STRUCT_ARRAY_REQUIRED', keyCursor, { name: key });
      if (raw !== undefined && rawExtension !== undefined && rawIsArray !== extensionIsArray) {
        this.report('STRUCT_PRIMITIVE_EXTENSION_MISALIGNED', keyCursor, {
          name: key,
          detail: 'one is an array and the other is not',
        });
      } else if (rawIsArray && extensionIsArray && raw.length !== rawExtension.length) {
        this.report('STRUCT_PRIMITIVE_EXTENSION_MISALIGNED', keyCursor, {
          name: key,
          detail: `${raw.length} values but ${rawExtension.length} extension entries`,
        });
      }
      if (!isArray) {
        items.push(this.newItem(raw, rawExtension, target, undefined, keyCursor, value, cursor, holder));
        continue;
      }
      const values: unknown[] = rawIsArray ? raw : [];
      const extensions: unknown[] = extensionIsArray ? rawExtension : [];
      const count = Math.max(values.length, extensions.length);
      for (let i = 0; i < count; i++) {
        const itemValue = values[i];
        const itemExtension = extensions[i];
        const itemCursor = childCursor(keyCursor, i, `${expressionBase}[${i}]`);
        if (
          (itemValue === null || itemValue === undefined) &&
          (itemExtension === null || itemExtension === undefined)
        ) {
          this.report('STRUCT_NULL', itemCursor, { name: key });
          continue;
        }
        items.push(this.newItem(itemValue, itemExtension, target, i, itemCursor, value, cursor, holder));
      }
    }
    return items;
  }

  private newItem(
    value: unknown,
    extension: unknown,
    target: PropertyTarget,
    index: number | undefined,
    cursor: Cursor,
    owner: JsonRecord,
    ownerCursor: Cursor,
    holder: ElementSchema,
  ): Item {
    return {
      value: value === null ? undefined : value,
      extension: extension === null ? undefined : extension,
      type: target.type,
      jsonKey: target.name,
      index,
      cursor,
      owner,
      ownerCursor,
      holder,
    };
  }

  private cardinality(element: ElementSchema, count: number, cursor: Cursor, label: string): void {
    if (count < element.min)
      this.report(
        'CARD_MIN_NOT_MET',
        cursor,
        { element: label, min: element.min, count },
        { source: element.owner },
      );
    if (count > element.max)
      this.report(
        'CARD_MAX_EXCEEDED',
        cursor,
        { element: label, max: element.max, count },
        { source: element.owner },
      );
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
          this.valueLimits(value, element, cursor);
        if (item.type === 'xhtml' && typeof value === 'string') this.narrative(value, cursor);
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
        const primitiveDefinition = this.services.compiler.compile(
          `http://hl7.org/fhir/StructureDefinition/${item.type}`,
        );
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
    this.fixedAndPattern(value, element, cursor);
    if (
      element.binding &&
      value !== undefined &&
      (item.type === 'code' || item.type === 'string' || item.type === 'uri')
    ) {
      if (typeof value === 'string') this.bindingOfCode(value, element, cursor);
    }
    this.invariants(element, element.path, value, cursor, scope);
  }

  /** The narrative checks the HL7 validator does natively: XML entities only, and some content (txt-2). */
  private narrative(div: string, cursor: Cursor): void {
    for (const match of div.matchAll(/&([A-Za-z][A-Za-z0-9]*);/g)) {
      if (!['lt', 'gt', 'amp', 'quot', 'apos'].includes(match[1] ?? '')) {
        this.report('TYPE_XHTML_ENTITY', cursor, { entity: match[0] });
        return;
      }
    }
    const text = div.replace(/<[^>]*>/g, '').replace(/&[A-Za-z0-9#]+;/g, 'x');
    if (text.trim() === '' && !/<img\b/i.test(div)) this.report('TYPE_NARRATIVE_EMPTY', cursor);
  }

  private valueLimits(value: string | number | boolean, element: ElementSchema, cursor: Cursor): void {
    if (element.maxLength !== undefined && typeof value === 'string' && value.length > element.maxLength) {
      this.report('TYPE_VALUE_TOO_LONG', cursor, { length: value.length, max: element.maxLength });
    }
    for (const [limit, below] of [
      [element.minValue, true],
      [element.maxValue, false],
    ] as const) {
      if (!limit) continue;
      const bound = limitValue(limit, below);
      if (bound === undefined) continue;
      const outside =
        typeof value === 'number' && typeof bound.value === 'number'
          ? below
            ? value < bound.value
            : value > bound.value
          : typeof value === 'string' &&
            typeof bound.value === 'string' &&
            (below ? value < bound.value : value > bound.value);
      if (!outside) continue;
      if (below) this.report('TYPE_VALUE_BELOW_MIN', cursor, { value: String(value), min: bound.label });
      else this.report('TYPE_VALUE_ABOVE_MAX', cursor, { value: String(value), max: bound.label });
    }
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
    const allowedTypes = element.types.map((t) => t.code).filter((code) => code !== 'Resource');
    if (resourceType && allowedTypes.length > 0 && !allowedTypes.includes(resourceType)) {
      this.report('STRUCT_TYPE_NOT_ALLOWED', item.cursor, {
        type: resourceType,
        allowed: allowedTypes.join(', '),
      });
    }
    const inner: Omit<ResourceScope, 'resource'> = { root: scope.root };
    if (element.name === 'contained') inner.container = scope;
    if (element.path === 'Bundle.entry.resource') {
      const fullUrl = item.owner.fullUrl;
      inner.bundle = { bundle: scope.resource, ...(typeof fullUrl === 'string' ? { fullUrl } : {}) };
    } else if (scope.bundle) inner.bundle = scope.bundle;
    const profiles = element.types.flatMap((t) => t.profiles);
    const chosen = profiles.length > 1 ? this.bestProfile(item.value, profiles, inner) : profiles;
    this.resource(item.value, cursor, inner, chosen);
  }

  /**
   * A resource element that lists several profiles needs to conform to one of them: the first it
   * conforms to, else the one it breaks least (whose issues are then reported). Profiles for other
   * resource types are not candidates.
   */
  private bestProfile(
    value: JsonRecord,
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
      const probe = new Walk(this.services, undefined);
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
        ? this.extensionDefinition(value, element, typeRef, cursor, item)
        : this.profiledType(item.type, typeRef, cursor);
    // An extension nobody defined is still an Extension: its properties are checked, but its
    // sub-extensions (with urls relative to a definition we lack) are not looked up.
    if (typeStructure === 'unknown') {
      const core = this.typeStructure('Extension');
      if (!core) return;
      this.insideUnknownExtension++;
      try {
        this.properties(value, core.root.children, core, cursor, scope, false, element);
      } finally {
        this.insideUnknownExtension--;
      }
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
    if (item.type === 'Attachment') this.attachmentSize(value, cursor);
    // The type's own invariants (per-1 on Period, ref-1 on Reference, qty-3 on Quantity...).
    if (typeStructure && typeStructure.root.constraints.length > 0)
      this.invariants(typeStructure.root, element.path, value, cursor, scope);

    this.fixedAndPattern(value, element, cursor);
    if (element.binding) this.bindingOfComplex(value, item.type, element, cursor);
    if (item.type === 'Coding') this.codingContent(value, cursor);
    if (item.type === 'CodeableConcept' && Array.isArray(value.coding)) {
      value.coding.forEach((coding, i) => {
        if (isJsonObject(coding))
          this.codingContent(
            coding,
            childCursor(
              childCursor(cursor, 'coding', `${cursor.expression}.coding`),
              i,
              `${cursor.expression}.coding[${i}]`,
            ),
          );
      });
    }
    if (item.type === 'Reference') this.references.check(this, value, element, typeRef, cursor, scope);
    this.invariants(element, element.path, value, cursor, scope);
  }

  /** Attachment.size must be the length of the decoded data. */
  private attachmentSize(value: JsonRecord, cursor: Cursor): void {
    if (typeof value.data !== 'string' || typeof value.size !== 'number') return;
    const data = value.data.replace(/\s/g, '');
    const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
    const actual = Math.floor((data.length * 3) / 4) - padding;
    if (actual !== value.size) this.report('TYPE_ATTACHMENT_SIZE', cursor, { stated: value.size, actual });
  }

  typeStructure(type: string): CompiledStructure | undefined {
    const compiled = this.services.compiler.compile(`http://hl7.org/fhir/StructureDefinition/${type}`);
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
      this.report('STRUCT_PROFILE_UNKNOWN', cursor, { profile });
    }
    return this.typeStructure(type);
  }

  // ---------------------------------------------------------------- fixed values, patterns, bindings

  private fixedAndPattern(value: unknown, element: ElementSchema, cursor: Cursor): void {
    if (value === undefined) return;
    if (element.fixed) this.fixedValue(value, element.fixed.value, cursor, element.owner);
    if (element.pattern && !matchesPattern(value, element.pattern.value)) {
      this.report(
        'FIXED_PATTERN_MISMATCH',
        cursor,
        {
          expected: describeValue(element.pattern.value),
          detail: patternMismatch(value, element.pattern.value),
        },
        { source: element.owner },
      );
    }
  }

  /** A fixed value, compared property by property so each difference is reported where it is. */
  private fixedValue(value: unknown, fixed: unknown, cursor: Cursor, owner: string): void {
    if (isJsonObject(value) && isJsonObject(fixed)) {
      for (const key of Object.keys(value)) {
        if (!Object.hasOwn(fixed, key))
          this.report(
            'FIXED_ELEMENT_NOT_ALLOWED',
            childCursor(cursor, key, `${cursor.expression}.${key}`),
            { name: key },
            { source: owner },
          );
      }
      for (const key of Object.keys(fixed)) {
        const at = childCursor(cursor, key, `${cursor.expression}.${key}`);
        if (!Object.hasOwn(value, key))
          this.report('FIXED_ELEMENT_MISSING', cursor, { name: key }, { source: owner });
        else this.fixedValue(value[key], fixed[key], at, owner);
      }
      return;
    }
    if (Array.isArray(value) && Array.isArray(fixed)) {
      value.forEach((item, i) => {
        if (i < fixed.length)
          this.fixedValue(item, fixed[i], childCursor(cursor, i, `${cursor.expression}[${i}]`), owner);
      });
      if (value.length !== fixed.length)
        this.report(
          'FIXED_VALUE_MISMATCH',
          cursor,
          { expected: describeValue(fixed), actual: describeValue(value) },
          { source: owner },
        );
      return;
    }
    if (!deepEqual(value, fixed))
      this.report(
        'FIXED_VALUE_MISMATCH',
        cursor,
        { expected: describeValue(fixed), actual: describeValue(value) },
        { source: owner },
      );
  }

  private bindingOfCode(code: string, element: ElementSchema, cursor: Cursor): void {
    const binding = element.binding;
    if (!binding?.valueSet || (binding.strength !== 'required' && binding.strength !== 'extensible')) return;
    const check = this.services.terminology.checkCode(binding.valueSet, undefined, code);
    this.bindingVerdict(check, binding.strength, binding.valueSet, code, cursor, element, true);
  }

  private bindingOfComplex(value: JsonRecord, type: string, element: ElementSchema, cursor: Cursor): void {
    const binding = element.binding;
    if (!binding?.valueSet || (binding.strength !== 'required' && binding.strength !== 'extensible')) return;
    let codings: JsonRecord[];
    if (type === 'CodeableConcept') codings = objectsOf(value.coding);
    else if (type === 'Coding') codings = [value];
    else if (
      type === 'Quantity' ||
      type === 'Age' ||
      type === 'Duration' ||
      type === 'Distance' ||
      type === 'Count' ||
      type === 'MoneyQuantity' ||
      type === 'SimpleQuantity'
    ) {
      if (typeof value.code !== 'string') return;
      codings = [{ system: value.system, code: value.code }];
    } else return;
    const coded = codings.filter((c) => typeof c.code === 'string');
    if (coded.length === 0) {
      if (binding.strength === 'required' && type !== 'Quantity')
        this.report('BIND_NO_CODE', cursor, { valueSet: binding.valueSet });
      return;
    }
    const checks = coded.map((c) => ({
      coding: c,
      check: this.services.terminology.checkCode(
        binding.valueSet as string,
        typeof c.system === 'string' ? c.system : undefined,
        c.code as string,
      ),
    }));
    if (checks.some(({ check }) => check.result === 'valid')) return;
    // The first undecided check (unknown system, unknown value set) explains why nothing was proven.
    const unchecked = checks.find(({ check }) => check.result !== 'invalid');
    if (unchecked) {
      this.bindingVerdict(
        unchecked.check,
        binding.strength,
        binding.valueSet,
        String(unchecked.coding.code),
        cursor,
        element,
      );
      return;
    }
    const codes = coded
      .map((c) => `${typeof c.system === 'string' ? c.system : ''}#${String(c.code)}`)
      .join(', ');
    this.bindingVerdict(
      checks[0]?.check ?? { result: 'invalid', message: '' },
      binding.strength,
      binding.valueSet,
      codes,
      cursor,
      element,
    );
  }

  private bindingVerdict(
    check: ReturnType<Terminology['checkCode']>,
    strength: 'required' | 'extensible',
    valueSet: string,
    code: string,
    cursor: Cursor,
    element: ElementSchema,
    bareCode = false,
  ): void {
    switch (check.result) {
      case 'valid':
        return;
      case 'invalid':
        // A bare code that no system of the value set holds: the HL7 validator says so as a second error.
        if (
          bareCode &&
          strength === 'required' &&
          check.message.includes('System URI could not be determined')
        ) {
          this.report('TX_SYSTEM_UNDETERMINED', cursor, { code, valueSet });
        }
        this.report(
          strength === 'required' ? 'BIND_REQUIRED_NOT_IN_VS' : 'BIND_EXTENSIBLE_NOT_IN_VS',
          cursor,
          { code, valueSet, detail: '' },
          { source: element.owner },
        );
        return;
      case 'unknown-system':
        this.notChecked(check.system, check.message, cursor);
        return;
      case 'unknown-value-set':
      case 'too-costly':
        this.report('TX_VALUE_SET_UNKNOWN', cursor, { valueSet, detail: check.message });
        return;
    }
  }

  /**
   * A system we do not hold is said once per validation: as information for the big external systems
   * (SNOMED CT, LOINC...), as a warning for any other system we know nothing of.
   */
  private notChecked(system: string, detail: string, cursor: Cursor): void {
    if (this.uncheckedSystems.has(system)) return;
    this.uncheckedSystems.add(system);
    if (externalSystem(system)) this.report('TX_NOT_CHECKED', cursor, { system, detail });
    else this.report('TX_SYSTEM_UNKNOWN', cursor, { system });
  }

  /** A Coding's code must exist in its system, with a right display, when we hold the system. */
  private codingContent(coding: JsonRecord, cursor: Cursor): void {
    if (typeof coding.system !== 'string' || typeof coding.code !== 'string') return;
    const found = this.services.terminology.lookup(coding.system, coding.code);
    if (!found.found) {
      if (found.reason === 'unknown-code') {
        this.report('TX_CODE_UNKNOWN', childCursor(cursor, 'code', `${cursor.expression}.code`), {
          code: coding.code,
          system: coding.system,
        });
      } else this.notChecked(coding.system, found.message, cursor);
      return;
    }
    if (typeof coding.display === 'string' && found.displays.length > 0) {
      const wanted = coding.display.trim().toLowerCase();
      if (!found.displays.some((d) => d.trim().toLowerCase() === wanted)) {
        this.report('TX_DISPLAY_WRONG', childCursor(cursor, 'display', `${cursor.expression}.display`), {
          display: coding.display,
          system: coding.system,
          code: coding.code,
          valid: found.displays.map((d) => `'${d}'`).join(', '),
        });
      }
    }
  }

  // ---------------------------------------------------------------- slicing

  /** Assigns each item to the slice it matches, and checks the slicing rules and slice cardinalities. */
  private slicing(
    element: ElementSchema,
    items: Item[],
    cursor: Cursor,
    scope: ResourceScope,
  ): Map<Item, ElementSchema> {
    const assignment = new Map<Item, ElementSchema>();
    const slicing = element.slicing;
    if (!slicing) return assignment;
    const counts = new Map<ElementSchema, number>();
    let lastSliceIndex = -1;
    let unmatchedSeen = false;
    for (const item of items) {
      const candidate: SliceCandidate = { value: item.value, type: item.type };
      const reasons: (() => string)[] = [];
      let found: ElementSchema | undefined;
      for (const slice of element.slices) {
        const verdict = this.services.slices.matches(candidate, slice, slicing, (value, profile) =>
          this.conforms(value, profile, scope),
        );
        if (verdict.unsupported) {
          this.report('SLICE_DISCRIMINATOR_UNSUPPORTED', item.cursor, {
            type: slicing.discriminators.map((d) => d.type).join(','),
            path: slicing.discriminators.map((d) => d.path).join(','),
            element: element.path,
            detail: verdict.unsupported,
          });
          continue;
        }
        if (verdict.match) {
          found = slice;
          break;
        }
        if (verdict.reason) reasons.push(verdict.reason);
      }
      if (!found) {
        const detail =
          reasons.length > 0
            ? `. Closest: ${reasons
                .slice(0, 3)
                .map((reason) => reason())
                .join('; ')}`
            : '';
        // Closed slicing refuses the item; open slicing allows it, and says so in case a slice was meant.
        this.report(
          slicing.rules === 'closed' ? 'SLICE_NO_MATCH' : 'SLICE_NO_MATCH_OPEN',
          item.cursor,
          { element: element.path, detail },
          { source: element.owner },
        );
        unmatchedSeen = true;
        continue;
      }
      if (slicing.rules === 'openAtEnd' && unmatchedSeen)
        this.report('SLICE_OPEN_AT_END', item.cursor, { element: element.path });
      const sliceIndex = element.slices.indexOf(found);
      if (slicing.ordered && sliceIndex < lastSliceIndex) {
        this.report('SLICE_ORDER', item.cursor, {
          slice: found.sliceName ?? '',
          previous: element.slices[lastSliceIndex]?.sliceName ?? '',
          element: element.path,
        });
      }
      lastSliceIndex = Math.max(lastSliceIndex, sliceIndex);
      assignment.set(item, found);
      counts.set(found, (counts.get(found) ?? 0) + 1);
    }
    for (const slice of element.slices)
      this.cardinality(slice, counts.get(slice) ?? 0, cursor, `${element.path}:${slice.sliceName}`);
    return assignment;
  }

  /** Whether a value conforms to a profile, for profile discriminators: a silent validation. */
  /** Profiles the walk is checking right now: a reference cycle must not recurse forever. */
  private readonly checking = new Set<unknown>();

  /** Whether a resource conforms to at least one of the profiles (for target profiles of references). */
  conformsToAny(value: JsonRecord, profiles: string[], scope: ResourceScope): boolean {
    if (this.checking.has(value)) return true;
    this.checking.add(value);
    try {
      return profiles.some((profile) => this.conforms(value, profile, scope));
    } finally {
      this.checking.delete(value);
    }
  }

  private conforms(value: unknown, profile: string, scope: ResourceScope): boolean {
    if (!isJsonObject(value)) return false;
    const compiled = this.services.compiler.compile(profile);
    if (!compiled.ok) return false;
    const probe = new Walk(this.services, undefined);
    const cursor: Cursor = { expression: compiled.structure.type };
    if (compiled.structure.kind === 'resource')
      probe.resource(value, cursor, { root: scope.root }, [profile]);
    else probe.structure(value, compiled.structure, cursor, scope);
    return !probe.issues.some((i) => i.severity === 'error' || i.severity === 'fatal');
  }

  // ---------------------------------------------------------------- extensions

  /**
   * The definition an extension is checked against: the profile of the slice it matched, or the
   * definition its url names. Reports a missing or versioned url, an unknown extension, a modifier in the
   * wrong place and a wrong context; falls back to the core Extension definition, or says 'unknown'.
   */
  private extensionDefinition(
    value: JsonRecord,
    element: ElementSchema,
    typeRef: TypeRef | undefined,
    cursor: Cursor,
    item: Item,
  ): CompiledStructure | 'unknown' | undefined {
    const core = this.typeStructure('Extension');
    const url = value.url;
    if (typeof url !== 'string') {
      this.report('EXT_URL_MISSING', cursor);
      return core;
    }
    // A sub-extension that a complex extension defines in place (a slice without a profile) has its rules
    // in the slice; one inside an extension nobody defined cannot be looked up.
    if ((element.sliceName !== undefined && !typeRef?.profiles.length) || this.insideUnknownExtension > 0)
      return core;
    if (url.includes('|')) this.report('EXT_URL_VERSIONED', cursor, { url });
    const isModifierPosition = item.jsonKey === 'modifierExtension';
    const definitionUrl = typeRef?.profiles[0] ?? url.split('|')[0] ?? url;
    const definition = this.services.definitions.structureDefinition(definitionUrl);
    if (!definition) {
      // Extensions of the HL7 domains may come from a later version or the extensions package: never an error.
      const hl7Domain = /^https?:\/\/(hl7\.org\/fhir|terminology\.hl7\.org)\//.test(url);
      if (isModifierPosition) this.report('EXT_MODIFIER_UNKNOWN', cursor, { url });
      else
        this.report(
          'EXT_UNKNOWN',
          cursor,
          { url },
          { severity: hl7Domain ? 'warning' : this.services.policy.unknownExtension },
        );
      return 'unknown';
    }
    const compiled = this.services.compiler.compile(definitionUrl);
    if (!compiled.ok) {
      this.report('STRUCT_DEFINITION_BROKEN', cursor, { url: definitionUrl, detail: compiled.error });
      return core;
    }
    if (isModifierPosition && !isModifierDefinition(definition)) {
      this.report('EXT_MODIFIER_MISMATCH', cursor, {
        url,
        detail: 'is not a modifier extension, so it cannot be used in modifierExtension',
      });
    } else if (!isModifierPosition && isModifierDefinition(definition)) {
      this.report('EXT_MODIFIER_MISMATCH', cursor, {
        url,
        detail: 'is a modifier extension, so it must be used in modifierExtension',
      });
    }
    this.extensionContext(compiled.structure, item.holder, cursor, url);
    return compiled.structure;
  }

  /** Whether the element holding an extension is one of the contexts the extension's definition allows. */
  private extensionContext(
    structure: CompiledStructure,
    holder: ElementSchema,
    cursor: Cursor,
    url: string,
  ): void {
    const contexts = structure.context.filter((c) => c.type === 'element');
    if (contexts.length === 0 || contexts.length < structure.context.length) return;
    const candidates = this.contextNames(holder);
    const generic = ['Element', 'Base', 'Resource', 'DomainResource', 'BackboneElement'];
    if (contexts.some(({ expression }) => generic.includes(expression) || candidates.has(expression))) return;
    this.report('EXT_CONTEXT_WRONG', cursor, {
      url,
      path: holder.path,
      contexts: contexts.map((c) => c.expression).join(', '),
    });
  }

  /**
   * The names an element goes by for extension contexts: its path (`Patient.address.line`), its types
   * (`string`), and its path from each datatype on the way (`Address.line`).
   */
  private contextNames(holder: ElementSchema): Set<string> {
    let cached = contextNamesCache.get(holder);
    if (!cached) {
      cached = this.computeContextNames(holder);
      contextNamesCache.set(holder, cached);
    }
    return cached;
  }

  private computeContextNames(holder: ElementSchema): Set<string> {
    const names = new Set<string>([holder.path, ...holder.types.map((t) => t.code)]);
    const segments = holder.path.split('.');
    for (let split = segments.length - 1; split >= 1; split--) {
      for (const type of this.elementTypes(segments.slice(0, split).join('.'))) {
        names.add([type, ...segments.slice(split)].join('.'));
      }
    }
    if (segments.length === 1) for (const type of ['Resource', 'DomainResource']) names.add(type);
    return names;
  }

  /** The types of the element at a definition path (`Patient.address` -> Address), from the core definitions. */
  private elementTypes(path: string): string[] {
    const rootType = path.split('.')[0] ?? '';
    const compiled = this.services.compiler.compile(`http://hl7.org/fhir/StructureDefinition/${rootType}`);
    if (!compiled.ok) return [];
    return compiled.structure.byId.get(path)?.types.map((t) => t.code) ?? [];
  }

  // ---------------------------------------------------------------- invariants

  invariants(
    element: ElementSchema,
    basePath: string,
    value: unknown,
    cursor: Cursor,
    scope: ResourceScope,
  ): void {
    for (const constraint of element.constraints) {
      if (NATIVE_INVARIANTS.has(constraint.key)) {
        if (
          constraint.key === 'ext-1' &&
          isJsonObject(value) &&
          (value.extension !== undefined) === Object.keys(value).some((k) => k.startsWith('value'))
        ) {
          this.report('EXT_VALUE_AND_CHILDREN', cursor);
        }
        continue;
      }
      const result = this.services.invariants.evaluate(
        constraint,
        basePath,
        value,
        scope.resource,
        scope.root,
      );
      if (result.status === 'pass') continue;
      if (result.status === 'error') {
        // Broken data (an impossible date, an object for a string) makes expressions fail; its own error
        // already says what is wrong, so the failure is only worth a warning on otherwise sound data.
        if (!this.issues.some((i) => i.severity === 'error' || i.severity === 'fatal')) {
          this.report('INV_EVALUATION_FAILED', cursor, { key: constraint.key, detail: result.message });
        }
        continue;
      }
      const found: ValidationIssue = {
        id: `${constraint.source}#${constraint.key}`,
        severity: constraint.severity,
        code: 'invariant',
        expression: cursor.expression,
        text: `Constraint failed: ${constraint.key}: '${constraint.human}'`,
        source: constraint.source,
      };
      this.add(found, cursor);
    }
  }
}

const DURATION_UNITS: Record<string, (date: Date, amount: number) => void> = {
  a: (d, n) => d.setUTCFullYear(d.getUTCFullYear() + n),
  mo: (d, n) => d.setUTCMonth(d.getUTCMonth() + n),
  wk: (d, n) => d.setUTCDate(d.getUTCDate() + 7 * n),
  d: (d, n) => d.setUTCDate(d.getUTCDate() + n),
  h: (d, n) => d.setUTCHours(d.getUTCHours() + n),
  min: (d, n) => d.setUTCMinutes(d.getUTCMinutes() + n),
  s: (d, n) => d.setUTCSeconds(d.getUTCSeconds() + n),
};

/**
 * The comparable value of a minValue[x] or maxValue[x]. A Duration or Quantity bound on a date means
 * "that long from now": a maxValue of 10 a is at most ten years ahead, a minValue of 10 a at least ten
 * years back. Dates compare as ISO strings.
 */
function limitValue(
  limit: { type: string; value: unknown },
  isMinimum: boolean,
): { value: number | string; label: string } | undefined {
  if (typeof limit.value === 'number' || typeof limit.value === 'string')
    return { value: limit.value, label: String(limit.value) };
  if ((limit.type === 'Duration' || limit.type === 'Quantity') && isJsonObject(limit.value)) {
    const amount = limit.value.value;
    const unit = typeof limit.value.code === 'string' ? limit.value.code : limit.value.unit;
    const shift = typeof unit === 'string' ? DURATION_UNITS[unit] : undefined;
    if (typeof amount !== 'number' || !shift) return undefined;
    const date = new Date();
    shift(date, isMinimum ? -amount : amount);
    const direction = isMinimum ? 'before' : 'after';
    return {
      value: date.toISOString(),
      label: `${amount}${String(unit)} ${direction} now (${date.toISOString().slice(0, 10)})`,
    };
  }
  return undefined;
}

/** How messages name an element: its path, with the slice name for a slice (`Patient.identifier:Code`). */
function cardinalityLabel(element: ElementSchema): string {
  return element.sliceName ? `${element.path}:${element.sliceName}` : element.path;
}

function isModifierDefinition(definition: fhir4.StructureDefinition): boolean {
  const root = definition.snapshot?.element?.[0] ?? definition.differential?.element?.[0];
  return root?.isModifier === true;
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
