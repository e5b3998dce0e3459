/**
 * StructureDefinitions compiled into element trees the walker can follow quickly.
 *
 * A definition with a snapshot is compiled from it. A definition with only a differential (common in
 * test packages and hand-written profiles) is compiled by applying its differential to a copy of its
 * base definition's tree: that is our snapshot generation, done on the tree rather than on element lists.
 * Each definition is compiled once and cached.
 */
import type { DefinitionRegistry } from '../fhir/definitions.js';
import { describeError } from './describe.js';

export interface TypeRef {
  code: string;
  profiles: string[];
  targetProfiles: string[];
  /** How a Reference may be held (ElementDefinition.type.aggregation): contained, referenced, bundled. */
  aggregation?: string[];
}

export interface Constraint {
  key: string;
  severity: 'error' | 'warning';
  human: string;
  expression?: string;
  /** The profile that declared it; invariant issues use `<source>#<key>` as their id. */
  source: string;
}

export interface Discriminator {
  type: 'value' | 'exists' | 'pattern' | 'type' | 'profile';
  path: string;
}

export interface Slicing {
  discriminators: Discriminator[];
  rules: 'closed' | 'open' | 'openAtEnd';
  ordered: boolean;
}

export interface Binding {
  strength: 'required' | 'extensible' | 'preferred' | 'example';
  valueSet?: string;
}

export interface ElementSchema {
  id: string;
  path: string;
  /** The JSON property name: the last path segment, without `[x]`. */
  name: string;
  sliceName?: string;
  min: number;
  /** Infinity for `*`. */
  max: number;
  /** The base definition's max: whether the JSON holds an array. */
  isArray: boolean;
  isChoice: boolean;
  isModifier: boolean;
  types: TypeRef[];
  fixed?: { type: string; value: unknown };
  pattern?: { type: string; value: unknown };
  binding?: Binding;
  constraints: Constraint[];
  slicing?: Slicing;
  slices: ElementSchema[];
  children: ElementSchema[];
  contentReference?: string;
  maxLength?: number;
  minValue?: { type: string; value: unknown };
  maxValue?: { type: string; value: unknown };
  /** The definition this element was compiled from (url|version). */
  owner: string;
}

export interface CompiledStructure {
  url: string;
  version?: string;
  name?: string;
  type: string;
  kind: string;
  abstract: boolean;
  derivation?: string;
  baseDefinition?: string;
  context: fhir4.StructureDefinitionContext[];
  /** FHIRPath invariants an extension's holder must meet where the extension is used. */
  contextInvariants: string[];
  /** Parts of a differential that could not be applied (the rest of the definition still is). */
  problems: string[];
  root: ElementSchema;
  byId: Map<string, ElementSchema>;
}

export type CompileResult = { ok: true; structure: CompiledStructure } | { ok: false; error: string };

function parseMax(max: string | undefined, fallback: number): number {
  if (max === undefined) return fallback;
  return max === '*' ? Infinity : Number(max);
}

function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf('.') + 1);
}

/** The id's parent: `A.b:s.c` -> `A.b:s`. */
function parentId(id: string): string {
  return id.slice(0, id.lastIndexOf('.'));
}

const PREFIXED = (prefix: string) => (element: fhir4.ElementDefinition) => {
  const found: { type: string; value: unknown }[] = [];
  for (const key of Object.keys(element)) {
    if (
      key.startsWith(prefix) &&
      key.length > prefix.length &&
      key[prefix.length] === key[prefix.length]?.toUpperCase()
    ) {
      found.push({
        type: key.slice(prefix.length),
        value: (element as unknown as Record<string, unknown>)[key],
      });
    }
  }
  return found[0];
};
const fixedOf = PREFIXED('fixed');
const patternOf = PREFIXED('pattern');
const minValueOf = PREFIXED('minValue');
const maxValueOf = PREFIXED('maxValue');

/** The FHIR type code of a type entry; System.* types carry their FHIR type in an extension. */
function typeCode(type: fhir4.ElementDefinitionType): string {
  const fhirType = type.extension?.find(
    (e) => e.url === 'http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type',
  );
  if (fhirType?.valueUrl) return fhirType.valueUrl;
  if (fhirType?.valueUri) return fhirType.valueUri;
  const code = type.code ?? '';
  if (code.startsWith('http://hl7.org/fhirpath/System.')) {
    const system = code.slice('http://hl7.org/fhirpath/System.'.length);
    return (
      {
        String: 'string',
        Boolean: 'boolean',
        Integer: 'integer',
        Decimal: 'decimal',
        Date: 'date',
        DateTime: 'dateTime',
        Time: 'time',
      }[system] ?? 'string'
    );
  }
  return code;
}

function toTypeRefs(types: fhir4.ElementDefinitionType[] | undefined): TypeRef[] {
  return (types ?? []).map((type) => ({
    code: typeCode(type),
    profiles: type.profile ?? [],
    targetProfiles: type.targetProfile ?? [],
    ...(type.aggregation?.length ? { aggregation: [...type.aggregation] } : {}),
  }));
}

function toConstraints(element: fhir4.ElementDefinition, owner: string): Constraint[] {
  return (element.constraint ?? []).map((constraint) => ({
    key: constraint.key,
    severity: constraint.severity === 'warning' ? 'warning' : 'error',
    human: constraint.human,
    ...(constraint.expression ? { expression: constraint.expression } : {}),
    // The declaring definition without its version: invariant ids are `<url>#<key>`.
    source: constraint.source ?? owner.split('|')[0] ?? owner,
  }));
}

function toSlicing(slicing: fhir4.ElementDefinitionSlicing | undefined): Slicing | undefined {
  if (!slicing) return undefined;
  return {
    discriminators: (slicing.discriminator ?? []).map((d) => ({
      type: d.type as Discriminator['type'],
      path: d.path,
    })),
    rules: (slicing.rules as Slicing['rules']) ?? 'open',
    ordered: slicing.ordered ?? false,
  };
}

function newElement(element: fhir4.ElementDefinition, id: string, owner: string): ElementSchema {
  const name = lastSegment(element.path);
  const schema: ElementSchema = {
    id,
    path: element.path,
    name: name.endsWith('[x]') ? name.slice(0, -3) : name,
    min: element.min ?? 0,
    max: parseMax(element.max, 1),
    isArray: parseMax(element.base?.max ?? element.max, 1) !== 1,
    isChoice: name.endsWith('[x]'),
    isModifier: element.isModifier ?? false,
    types: toTypeRefs(element.type),
    constraints: toConstraints(element, owner),
    slices: [],
    children: [],
    owner,
  };
  applyDetails(schema, element, owner);
  return schema;
}

/** The parts of an element definition that differential and snapshot carry alike. */
function applyDetails(schema: ElementSchema, element: fhir4.ElementDefinition, owner: string): void {
  if (element.sliceName !== undefined) schema.sliceName = element.sliceName;
  const fixed = fixedOf(element);
  if (fixed) schema.fixed = fixed;
  const pattern = patternOf(element);
  if (pattern) schema.pattern = pattern;
  if (element.binding) {
    schema.binding = {
      strength: element.binding.strength,
      ...(element.binding.valueSet ? { valueSet: element.binding.valueSet } : {}),
    };
  }
  const slicing = toSlicing(element.slicing);
  if (slicing) schema.slicing = slicing;
  if (element.contentReference) schema.contentReference = element.contentReference;
  if (element.maxLength !== undefined) schema.maxLength = element.maxLength;
  const minValue = minValueOf(element);
  if (minValue) schema.minValue = minValue;
  const maxValue = maxValueOf(element);
  if (maxValue) schema.maxValue = maxValue;
  if (element.isModifier !== undefined) schema.isModifier = element.isModifier;
  void owner;
}

/** Builds ids for definitions that lack them (older or hand-written ones), from paths and slice names. */
function elementIds(elements: fhir4.ElementDefinition[]): string[] {
  const ids: string[] = [];
  const slicePrefix = new Map<string, string>(); // path -> id prefix of the slice currently open at that path
  for (const element of elements) {
    if (element.id) {
      ids.push(element.id);
      continue;
    }
    const segments = element.path.split('.');
    let id = segments[0] ?? '';
    let path = id;
    for (const segment of segments.slice(1)) {
      path = `${path}.${segment}`;
      id =
        slicePrefix.get(path) && path !== element.path
          ? (slicePrefix.get(path) as string)
          : `${id}.${segment}`;
    }
    if (element.sliceName) {
      id = `${id}:${element.sliceName}`;
      slicePrefix.set(element.path, id);
    } else if (!slicePrefix.has(element.path) || element.slicing) slicePrefix.delete(element.path);
    ids.push(id);
  }
  return ids;
}

function cloneSchema(node: ElementSchema, newId: string, newPath: string): ElementSchema {
  const copy: ElementSchema = {
    ...node,
    id: newId,
    path: newPath,
    types: node.types.map((t) => ({
      ...t,
      profiles: [...t.profiles],
      targetProfiles: [...t.targetProfiles],
      ...(t.aggregation ? { aggregation: [...t.aggregation] } : {}),
    })),
    constraints: [...node.constraints],
    slices: [],
    children: [],
  };
  copy.slices = node.slices.map((slice) => cloneSchema(slice, `${newId}:${slice.sliceName}`, newPath));
  copy.children = node.children.map((child) => {
    const suffix = child.id.slice(node.id.length);
    return cloneSchema(child, newId + suffix, newPath + child.path.slice(node.path.length));
  });
  return copy;
}

function indexTree(root: ElementSchema, byId: Map<string, ElementSchema>): void {
  byId.set(root.id, root);
  for (const child of root.children) indexTree(child, byId);
  for (const slice of root.slices) indexTree(slice, byId);
}

const CORE_STRUCTURE = 'http://hl7.org/fhir/StructureDefinition/';

export class SchemaCompiler {
  private readonly cache = new Map<string, CompileResult>();
  /** The core definitions by type name: the walk asks for one per complex value it meets. */
  private readonly coreTypes = new Map<string, CompileResult>();
  private readonly inProgress = new Set<string>();

  constructor(private readonly definitions: DefinitionRegistry) {}

  /**
   * The core definition of a type (`Period`, `Patient`), cached by its name: no canonical URL is built
   * (and hashed) per value.
   */
  compileType(type: string): CompileResult {
    let result = this.coreTypes.get(type);
    if (!result) this.coreTypes.set(type, (result = this.compile(`${CORE_STRUCTURE}${type}`)));
    return result;
  }

  compile(canonical: string): CompileResult {
    const cached = this.cache.get(canonical);
    if (cached) return cached;
    const definition = this.definitions.structureDefinition(canonical);
    const result: CompileResult = definition
      ? this.compileDefinition(definition)
      : { ok: false, error: `the StructureDefinition ${canonical} is not known` };
    this.cache.set(canonical, result);
    return result;
  }

  /** Compiles a definition that is not (or not yet) in the registry, such as one a test supplies. */
  compileDefinition(definition: fhir4.StructureDefinition): CompileResult {
    const key = definition.url ?? definition.id ?? '';
    if (this.inProgress.has(key)) return { ok: false, error: `${key} derives from itself` };
    this.inProgress.add(key);
    try {
      return this.build(definition);
    } catch (error) {
      return { ok: false, error: describeError(error) };
    } finally {
      this.inProgress.delete(key);
    }
  }

  /** The children an element has in instances: its own, or those of its type. */
  childrenOf(node: ElementSchema, typeCode?: string): ElementSchema[] {
    if (node.children.length > 0) return node.children;
    const type = typeCode
      ? node.types.find((t) => t.code === typeCode)
      : node.types.length === 1
        ? node.types[0]
        : undefined;
    const code = typeCode ?? type?.code;
    if (!code) return [];
    // A profiled type (an extension definition, a datatype profile) brings its own children.
    const url =
      type?.profiles[0] ?? (code.includes('/') ? code : `http://hl7.org/fhir/StructureDefinition/${code}`);
    const typed = this.compile(url);
    return typed.ok ? typed.structure.root.children : [];
  }

  private build(definition: fhir4.StructureDefinition): CompileResult {
    const owner = `${definition.url}${definition.version ? `|${definition.version}` : ''}`;
    const snapshot = definition.snapshot?.element;
    const problems: string[] = [];
    let root: ElementSchema;
    if (snapshot && snapshot.length > 0) root = this.fromElements(snapshot, owner);
    else {
      const differential = definition.differential?.element ?? [];
      if (!definition.baseDefinition)
        return { ok: false, error: `${owner} has neither a snapshot nor a base definition` };
      const base = this.compile(definition.baseDefinition);
      if (!base.ok) return { ok: false, error: `the base of ${owner}: ${base.error}` };
      root = this.fromDifferential(base.structure, differential, definition.type, owner, problems);
    }
    const byId = new Map<string, ElementSchema>();
    indexTree(root, byId);
    return {
      ok: true,
      structure: {
        url: definition.url,
        ...(definition.version ? { version: definition.version } : {}),
        ...(definition.name ? { name: definition.name } : {}),
        type: definition.type,
        kind: definition.kind,
        abstract: definition.abstract,
        ...(definition.derivation ? { derivation: definition.derivation } : {}),
        ...(definition.baseDefinition ? { baseDefinition: definition.baseDefinition } : {}),
        context: definition.context ?? [],
        contextInvariants: (definition.contextInvariant ?? []).filter(
          (i): i is string => typeof i === 'string',
        ),
        problems,
        root,
        byId,
      },
    };
  }

  private fromElements(elements: fhir4.ElementDefinition[], owner: string): ElementSchema {
    const ids = elementIds(elements);
    const byId = new Map<string, ElementSchema>();
    let root: ElementSchema | undefined;
    elements.forEach((element, index) => {
      const id = ids[index] ?? element.path;
      const schema = newElement(element, id, owner);
      byId.set(id, schema);
      if (!root) {
        root = schema;
        return;
      }
      const lastDot = id.lastIndexOf('.');
      const lastColon = id.lastIndexOf(':');
      if (lastColon > lastDot) {
        // A slice (or a reslice `a:s/r`): attach it to the element it slices.
        const slicedId =
          id.slice(0, lastColon) +
          (id.slice(lastColon + 1).includes('/')
            ? `:${id
                .slice(lastColon + 1)
                .split('/')
                .slice(0, -1)
                .join('/')}`
            : '');
        (byId.get(slicedId) ?? byId.get(id.slice(0, lastColon)))?.slices.push(schema);
      } else byId.get(parentId(id))?.children.push(schema);
    });
    if (!root) throw new Error(`${owner} has no elements`);
    return root;
  }

  private fromDifferential(
    base: CompiledStructure,
    differential: fhir4.ElementDefinition[],
    type: string,
    owner: string,
    problems: string[],
  ): ElementSchema {
    const root = cloneSchema(base.root, base.root.id, base.root.path);
    const byId = new Map<string, ElementSchema>();
    indexTree(root, byId);
    const ids = elementIds(differential);
    differential.forEach((element, index) => {
      const id = normaliseChoiceId(ids[index] ?? element.path, byId);
      const target = byId.get(id) ?? this.materialise(id, byId, type);
      // An element the base does not have cannot be applied; it is reported, and the rest still applies.
      if (target) this.constrain(target, element, owner);
      else problems.push(`the differential element ${id} has no counterpart in the base definition`);
    });
    return root;
  }

  /** Creates the element for `id` in a tree copied from the base: a new slice, or children unfolded from a type. */
  private materialise(id: string, byId: Map<string, ElementSchema>, type: string): ElementSchema | undefined {
    const lastDot = id.lastIndexOf('.');
    const lastColon = id.lastIndexOf(':');
    if (lastColon > lastDot) {
      const slicedId = id.slice(0, lastColon);
      const sliced = byId.get(slicedId) ?? this.materialise(slicedId, byId, type);
      if (!sliced) return undefined;
      const sliceName = id.slice(lastColon + 1);
      const slice = cloneSchema({ ...sliced, slices: [] }, id, sliced.path);
      delete slice.slicing;
      slice.sliceName = sliceName;
      sliced.slices.push(slice);
      indexTree(slice, byId);
      return slice;
    }
    const parent = byId.get(parentId(id)) ?? this.materialise(parentId(id), byId, type);
    if (!parent) return undefined;
    if (parent.children.length === 0) {
      const typeRef = parent.types.length === 1 ? parent.types[0] : undefined;
      const typeUrl =
        typeRef?.profiles[0] ??
        (typeRef ? `http://hl7.org/fhir/StructureDefinition/${typeRef.code}` : undefined);
      if (!typeUrl && parent.contentReference) {
        const referenced = byId.get(parent.contentReference.replace(/^.*#/, ''));
        if (referenced) {
          parent.children = referenced.children.map((child) =>
            cloneSchema(
              child,
              parent.id + child.id.slice(referenced.id.length),
              parent.path + child.path.slice(referenced.path.length),
            ),
          );
        }
      } else if (typeUrl) {
        const compiled = this.compile(typeUrl);
        if (!compiled.ok) return undefined;
        const typeRoot = compiled.structure.root;
        parent.children = typeRoot.children.map((child) =>
          cloneSchema(
            child,
            parent.id + child.id.slice(typeRoot.id.length),
            parent.path + child.path.slice(typeRoot.path.length),
          ),
        );
      }
      for (const child of parent.children) indexTree(child, byId);
    }
    return byId.get(id);
  }

  private constrain(target: ElementSchema, element: fhir4.ElementDefinition, owner: string): void {
    if (element.min !== undefined) target.min = element.min;
    if (element.max !== undefined) target.max = parseMax(element.max, target.max);
    if (element.type && element.type.length > 0) target.types = toTypeRefs(element.type);
    if (element.constraint) target.constraints = [...target.constraints, ...toConstraints(element, owner)];
    applyDetails(target, element, owner);
    if (element.slicing) {
      const slicing = toSlicing(element.slicing);
      if (slicing) target.slicing = slicing;
    }
  }
}

/**
 * Differentials may name a choice type by its renamed path (`Observation.valueQuantity`) instead of a
 * type slice (`Observation.value[x]:valueQuantity`); both mean the same constraint.
 */
function normaliseChoiceId(id: string, byId: Map<string, ElementSchema>): string {
  if (byId.has(id)) return id;
  const segments = id.split('.');
  let prefix = segments[0] ?? '';
  for (const segment of segments.slice(1)) {
    const candidate = `${prefix}.${segment}`;
    if (byId.has(candidate)) {
      prefix = candidate;
      continue;
    }
    const match = /^([a-z][A-Za-z0-9]*?)([A-Z][A-Za-z0-9]*)$/.exec(segment.split(':')[0] ?? '');
    const choice = match ? byId.get(`${prefix}.${match[1]}[x]`) : undefined;
    if (match && choice) {
      const sliceName = `${match[1]}${match[2]}`;
      prefix = `${prefix}.${match[1]}[x]:${sliceName}`;
      if (!byId.has(prefix)) {
        const slice = cloneSchema({ ...choice, slices: [] }, prefix, choice.path);
        delete slice.slicing;
        slice.sliceName = sliceName;
        const typeName = match[2] ?? '';
        slice.types = choice.types.filter((t) => t.code.toLowerCase() === typeName.toLowerCase());
        choice.slices.push(slice);
        indexTree(slice, byId);
      }
      continue;
    }
    prefix = candidate;
  }
  return prefix;
}
