/**
 * One validation run: walks a resource (and every resource inside it) along the compiled definitions of
 * its type and profiles, and collects issues. The walk is generic; the rules live in small methods,
 * each named after what it checks.
 */
import type { DefinitionRegistry } from '../fhir/definitions.js';
import type { Terminology } from '../terminology/index.js';
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

export type JsonRecord = Record<string, unknown>;

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

export interface Services {
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

function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
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
  /** `_name`: the id and extensions of a primitive. */
  primitiveExtension: boolean;
}

const propertyIndexes = new WeakMap<ElementSchema[], Map<string, PropertyTarget>>();

function propertyIndex(children: ElementSchema[]): Map<string, PropertyTarget> {
  let index = propertyIndexes.get(children);
  if (index) return index;
  index = new Map();
  for (const element of children) {
    const types =
      element.types.length > 0
        ? element.types
        : [{ code: 'BackboneElement', profiles: [], targetProfiles: [] }];
    if (element.isChoice) {
      for (const type of types) {
        const key = element.name + upperFirst(type.code);
        index.set(key, { element, type: type.code, primitiveExtension: false });
        if (isPrimitiveType(type.code))
          index.set(`_${key}`, { element, type: type.code, primitiveExtension: true });
      }
    } else {
      const type = types[0]?.code ?? 'BackboneElement';
      index.set(element.name, { element, type, primitiveExtension: false });
      if (isPrimitiveType(type)) index.set(`_${element.name}`, { element, type, primitiveExtension: true });
    }
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
  index?: number;
  cursor: Cursor;
  /** The object that holds the property, and where it is. */
  owner: JsonRecord;
  ownerCursor: Cursor;
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
    const found = issue(id, cursor.expression, args, overrides);
    this.locate(found, cursor);
    this.issues.push(found);
  }

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
    this.structure(resource, base.structure, cursor, inner);

    const meta = isRecord(resource.meta) ? resource.meta : undefined;
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
      this.profile(resource, type, profile, cursor, profileCursor, inner);
    }
    for (const profile of extraProfiles)
      if (!claimed.includes(profile)) this.profile(resource, type, profile, cursor, cursor, inner);

    this.containedRules(resource, cursor);
    if (type === 'Bundle') checkBundle(this, resource, cursor, inner);
  }

  private profile(
    resource: JsonRecord,
    type: string,
    profile: string,
    cursor: Cursor,
    reportAt: Cursor,
    scope: ResourceScope,
  ): void {
    const compiled = this.services.compiler.compile(profile);
    if (!compiled.ok) {
      if (this.services.definitions.structureDefinition(profile)) {
        this.report('STRUCT_DEFINITION_BROKEN', reportAt, { url: profile, detail: compiled.error });
      } else this.report('STRUCT_PROFILE_UNKNOWN', reportAt, { profile });
      return;
    }
    const structure = compiled.structure;
    if (structure.type !== type && structure.type !== 'Resource' && structure.type !== 'DomainResource') {
      this.report('STRUCT_PROFILE_WRONG_TYPE', reportAt, { profile, profileType: structure.type, type });
      return;
    }
    this.structure(resource, structure, cursor, scope);
  }

  /** Walks a value along a whole compiled definition (a resource type, a profile, a datatype profile). */
  structure(value: JsonRecord, structure: CompiledStructure, cursor: Cursor, scope: ResourceScope): void {
    const root = structure.root;
    this.properties(value, root.children, structure, cursor, scope, structure.kind === 'resource');
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
      if (!isRecord(item)) return;
      const itemCursor = childCursor(
        childCursor(cursor, 'contained', `${cursor.expression}.contained`),
        index,
        `${cursor.expression}.contained[${index}]`,
      );
      const id = typeof item.id === 'string' ? item.id : undefined;
      if (Array.isArray(item.contained) && item.contained.length > 0) {
        this.report('STRUCT_CONTAINED_NESTED', itemCursor);
      }
      const meta = isRecord(item.meta) ? item.meta : undefined;
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
  ): void {
    const index = propertyIndex(children);
    const groups = new Map<ElementSchema, { key: string; target: PropertyTarget }[]>();
    let hasContent = false;
    for (const key of Object.keys(value)) {
      if (isResourceRoot && key === 'resourceType') continue;
      const target = index.get(key);
      if (!target) {
        if (!(key === 'fhir_comments'))
          this.report('STRUCT_UNKNOWN_PROPERTY', childCursor(cursor, key, cursor.expression), { name: key });
        continue;
      }
      hasContent = true;
      const group = groups.get(target.element);
      if (group) group.push({ key, target });
      else groups.set(target.element, [{ key, target }]);
    }
    if (!hasContent && !isResourceRoot && Object.keys(value).length === 0) {
      this.report('STRUCT_ELEMENT_EMPTY', cursor);
    }
    for (const element of children) {
      const group = groups.get(element) ?? [];
      const items = this.collectItems(value, element, group, cursor);
      this.cardinality(
        element,
        items.length,
        cursor,
        element.sliceName ? `${element.path}:${element.sliceName}` : element.path,
      );
      // An item that belongs to a slice is checked against the slice, which refines the element.
      const slices =
        element.slicing && element.slices.length > 0
          ? this.slicing(element, items, cursor, scope)
          : undefined;
      for (const item of items) this.item(item, slices?.get(item) ?? element, structure, scope);
    }
  }

  /** The occurrences of one element in an object, with JSON shape checks along the way. */
  private collectItems(
    value: JsonRecord,
    element: ElementSchema,
    group: { key: string; target: PropertyTarget }[],
    cursor: Cursor,
  ): Item[] {
    const items: Item[] = [];
    const valueKeys = group.filter((g) => !g.target.primitiveExtension);
    if (element.isChoice) {
      const distinct = new Set(group.map((g) => g.key.replace(/^_/, '')));
      if (distinct.size > 1) {
        this.report('CARD_CHOICE_MULTIPLE', cursor, {
          names: [...distinct].sort().join(', '),
          count: distinct.size,
        });
      }
    }
    const keys = new Set(group.map((g) => g.key.replace(/^_/, '')));
    for (const key of keys) {
      const target = (valueKeys.find((g) => g.key === key) ?? group.find((g) => g.key === `_${key}`))?.target;
      if (!target) continue;
      const raw = value[key];
      const rawExtension = value[`_${key}`];
      const expressionBase = element.isChoice
        ? `${cursor.expression}.${element.name}.ofType(${upperFirst(target.type)})`
        : `${cursor.expression}.${key}`;
      const keyCursor = childCursor(cursor, key, expressionBase);
      if (raw === null && rawExtension === undefined) {
        this.report('STRUCT_NULL', keyCursor, { name: key });
        continue;
      }
      const isPrimitive = isPrimitiveType(target.type);
      const values = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
      const extensions = Array.isArray(rawExtension)
        ? rawExtension
        : rawExtension === undefined
          ? []
          : [rawExtension];
      const isArray = Array.isArray(raw) || (raw === undefined && Array.isArray(rawExtension));
      if (Array.isArray(raw) && raw.length === 0) {
        this.report('STRUCT_EMPTY_ARRAY', keyCursor, { name: key });
        continue;
      }
      if (isArray && !element.isArray) this.report('STRUCT_ARRAY_NOT_ALLOWED', keyCursor, { name: key });
      if (!isArray && element.isArray) this.report('STRUCT_ARRAY_REQUIRED', keyCursor, { name: key });
      if (
        isPrimitive &&
        raw !== undefined &&
        rawExtension !== undefined &&
        Array.isArray(raw) !== Array.isArray(rawExtension)
      ) {
        this.report('STRUCT_PRIMITIVE_EXTENSION_MISALIGNED', keyCursor, {
          name: key,
          detail: 'one is an array and the other is not',
        });
      } else if (
        isPrimitive &&
        Array.isArray(raw) &&
        Array.isArray(rawExtension) &&
        raw.length !== rawExtension.length
      ) {
        this.report('STRUCT_PRIMITIVE_EXTENSION_MISALIGNED', keyCursor, {
          name: key,
          detail: `${raw.length} values but ${rawExtension.length} extension entries`,
        });
      }
      const count = Math.max(values.length, isPrimitive ? extensions.length : 0);
      for (let i = 0; i < count; i++) {
        const itemValue = values[i];
        const itemExtension = isPrimitive ? extensions[i] : undefined;
        if (
          (itemValue === null || itemValue === undefined) &&
          (itemExtension === null || itemExtension === undefined)
        ) {
          if (isArray)
            this.report('STRUCT_NULL', childCursor(keyCursor, i, `${expressionBase}[${i}]`), { name: key });
          continue;
        }
        const itemCursor = isArray ? childCursor(keyCursor, i, `${expressionBase}[${i}]`) : keyCursor;
        items.push({
          value: itemValue === null ? undefined : itemValue,
          extension: itemExtension === null ? undefined : itemExtension,
          type: target.type,
          jsonKey: key,
          ...(isArray ? { index: i } : {}),
          cursor: itemCursor,
          owner: value,
          ownerCursor: cursor,
        });
      }
    }
    return items;
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
      }
    }
    if (item.extension !== undefined) {
      const extensionKey = childCursor(item.ownerCursor, `_${item.jsonKey}`, cursor.expression);
      const target =
        item.index !== undefined ? childCursor(extensionKey, item.index, cursor.expression) : extensionKey;
      if (!isRecord(item.extension)) {
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
          this.properties(item.extension, children, primitiveDefinition.structure, target, scope, false);
        }
      }
    }
    this.fixedAndPattern(value, element, cursor);
    if (
      element.binding &&
      value !== undefined &&
      (item.type === 'code' || item.type === 'string' || item.type === 'uri')
    ) {
      this.bindingOfCode(String(value), element, cursor);
    }
    this.invariants(element, element.path, value, cursor, scope);
  }

  private valueLimits(value: string | number | boolean, element: ElementSchema, cursor: Cursor): void {
    if (element.maxLength !== undefined && typeof value === 'string' && value.length > element.maxLength) {
      this.report('TYPE_VALUE_TOO_LONG', cursor, { length: value.length, max: element.maxLength });
    }
    const compare = (limit: { value: unknown } | undefined, below: boolean) => {
      if (!limit) return;
      const a = value;
      const b = limit.value;
      if (
        typeof a === 'number' && typeof b === 'number'
          ? below
            ? a < b
            : a > b
          : typeof a === 'string' && typeof b === 'string' && (below ? a < b : a > b)
      ) {
        this.report(
          below ? 'TYPE_VALUE_BELOW_MIN' : 'TYPE_VALUE_ABOVE_MAX',
          cursor,
          below ? { value: String(a), min: String(b) } : { value: String(a), max: String(b) },
        );
      }
    };
    compare(element.minValue, true);
    compare(element.maxValue, false);
  }

  private containedResource(item: Item, element: ElementSchema, scope: ResourceScope): void {
    if (!isRecord(item.value)) {
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
    this.resource(item.value, cursor, inner, profiles);
  }

  private complex(
    item: Item,
    element: ElementSchema,
    typeRef: TypeRef | undefined,
    structure: CompiledStructure,
    scope: ResourceScope,
  ): void {
    const { value, cursor } = item;
    if (!isRecord(value)) {
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
        ? this.extensionDefinition(value, element, typeRef, cursor, item.jsonKey)
        : this.profiledType(item.type, typeRef, cursor);
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
    this.properties(value, children, childStructure, cursor, scope, false);
    // The type's own invariants (per-1 on Period, ref-1 on Reference, qty-3 on Quantity...).
    if (typeStructure && typeStructure.root.constraints.length > 0)
      this.invariants(typeStructure.root, element.path, value, cursor, scope);

    this.fixedAndPattern(value, element, cursor);
    if (element.binding) this.bindingOfComplex(value, item.type, element, cursor);
    if (item.type === 'Coding') this.codingContent(value, cursor);
    if (item.type === 'CodeableConcept' && Array.isArray(value.coding)) {
      value.coding.forEach((coding, i) => {
        if (isRecord(coding))
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
    if (element.fixed && !deepEqual(value, element.fixed.value)) {
      this.report(
        'FIXED_VALUE_MISMATCH',
        cursor,
        { expected: describeValue(element.fixed.value), actual: describeValue(value) },
        { source: element.owner },
      );
    }
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

  private bindingOfCode(code: string, element: ElementSchema, cursor: Cursor): void {
    const binding = element.binding;
    if (!binding?.valueSet || (binding.strength !== 'required' && binding.strength !== 'extensible')) return;
    const check = this.services.terminology.checkCode(binding.valueSet, undefined, code);
    this.bindingVerdict(check, binding.strength, binding.valueSet, code, cursor, element);
  }

  private bindingOfComplex(value: JsonRecord, type: string, element: ElementSchema, cursor: Cursor): void {
    const binding = element.binding;
    if (!binding?.valueSet || (binding.strength !== 'required' && binding.strength !== 'extensible')) return;
    let codings: JsonRecord[];
    if (type === 'CodeableConcept')
      codings = Array.isArray(value.coding) ? value.coding.filter(isRecord) : [];
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
  ): void {
    switch (check.result) {
      case 'valid':
        return;
      case 'invalid':
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

  /** A system we do not hold is said once per validation, as information. */
  private notChecked(system: string, detail: string, cursor: Cursor): void {
    if (this.uncheckedSystems.has(system)) return;
    this.uncheckedSystems.add(system);
    this.report('TX_NOT_CHECKED', cursor, { system, detail });
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
      const reasons: string[] = [];
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
        const detail = reasons.length > 0 ? `. Closest: ${reasons.slice(0, 3).join('; ')}` : '';
        if (slicing.rules === 'closed')
          this.report(
            'SLICE_NO_MATCH',
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
  private conforms(value: unknown, profile: string, scope: ResourceScope): boolean {
    if (!isRecord(value)) return false;
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
   * definition its url names. Reports a missing url, an unknown extension, a modifier in the wrong place
   * and a wrong context; falls back to the core Extension definition.
   */
  private extensionDefinition(
    value: JsonRecord,
    element: ElementSchema,
    typeRef: TypeRef | undefined,
    cursor: Cursor,
    jsonKey: string,
  ): CompiledStructure | undefined {
    const core = this.typeStructure('Extension');
    const url = value.url;
    if (typeof url !== 'string') {
      this.report('EXT_URL_MISSING', cursor);
      return core;
    }
    // A sub-extension that a complex extension defines in place (a slice without a profile) has its rules in the slice.
    if (element.sliceName !== undefined && !typeRef?.profiles.length) return core;
    const isModifierPosition = jsonKey === 'modifierExtension';
    const definitionUrl = typeRef?.profiles[0] ?? url;
    const definition = this.services.definitions.structureDefinition(definitionUrl);
    if (!definition) {
      this.report(isModifierPosition ? 'EXT_MODIFIER_UNKNOWN' : 'EXT_UNKNOWN', cursor, { url });
      return core;
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
    this.extensionContext(compiled.structure, element, cursor, url);
    return compiled.structure;
  }

  private extensionContext(
    structure: CompiledStructure,
    element: ElementSchema,
    cursor: Cursor,
    url: string,
  ): void {
    const contexts = structure.context.filter((c) => c.type === 'element');
    if (contexts.length === 0) return;
    // The element that holds the extension: its definition path and its type.
    const holderPath = element.path.replace(/\.(extension|modifierExtension)$/, '');
    const holderType = holderPath.includes('.') ? undefined : holderPath;
    const accepted = contexts.some(({ expression }) => {
      if (['Element', 'Base', 'Resource', 'DomainResource', 'BackboneElement'].includes(expression))
        return true;
      if (expression === holderPath || expression === holderType) return true;
      if (
        holderPath.startsWith(`${expression}.`) &&
        holderPath.split('.').length === expression.split('.').length + 1
      )
        return false;
      return (
        holderPath === expression ||
        holderPath.endsWith(`.${expression}`) ||
        this.elementTypeIs(holderPath, expression)
      );
    });
    if (!accepted) {
      this.report('EXT_CONTEXT_WRONG', cursor, {
        url,
        path: holderPath,
        contexts: contexts.map((c) => c.expression).join(', '),
      });
    }
  }

  /** Whether the element at a definition path (`Patient.address`) has the given type (`Address`). */
  private elementTypeIs(path: string, type: string): boolean {
    const rootType = path.split('.')[0] ?? '';
    const compiled = this.services.compiler.compile(`http://hl7.org/fhir/StructureDefinition/${rootType}`);
    if (!compiled.ok) return false;
    const node = compiled.structure.byId.get(path);
    return node?.types.some((t) => t.code === type) ?? false;
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
          isRecord(value) &&
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
        this.report('INV_EVALUATION_FAILED', cursor, { key: constraint.key, detail: result.message });
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
      this.locate(found, cursor);
      this.issues.push(found);
    }
  }
}

function isModifierDefinition(definition: fhir4.StructureDefinition): boolean {
  const root = definition.snapshot?.element?.[0] ?? definition.differential?.element?.[0];
  return root?.isModifier === true;
}

/** Every `reference` value below a node that starts with '#' ('#' alone refers to the container). */
function collectLocalReferences(node: unknown, into: Set<string>, skipContained: boolean): void {
  if (Array.isArray(node)) {
    for (const item of node) collectLocalReferences(item, into, false);
    return;
  }
  if (!isRecord(node)) return;
  for (const [key, value] of Object.entries(node)) {
    if (skipContained && key === 'contained') {
      // References between contained resources count, as does a reference from one to the container.
      if (Array.isArray(value)) for (const item of value) collectLocalReferences(item, into, false);
      continue;
    }
    if (key === 'reference' && typeof value === 'string' && value.startsWith('#')) into.add(value);
    else if (typeof value === 'object') collectLocalReferences(value, into, false);
  }
}
