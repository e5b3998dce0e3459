/**
 * The values native invariants compute with (native-invariants.ts): items of JSON with their FHIR or
 * FHIRPath type, navigation by element name as fhirpath.js's R4 model resolves it, and how two values
 * compare, as fhirpath.js compares them.
 */
import { elementChild, elementScope, type ElementChild } from '../fhir/element-paths.js';
import { asPropertyName } from '../json.js';
import { isPrimitiveType } from './primitive-types.js';

/** One value with its type: a FHIR type name, a backbone element's path, or a FHIRPath result type. */
export interface Item {
  /** The JSON value; undefined for a primitive present only through its `_x` extension companion. */
  v: unknown;
  t: string;
  /** The primitive's `_x` companion (its id and extensions), when it has one. */
  companion?: unknown;
}

export type Collection = Item[];

/** What `$this` and `$total` are while a criteria or an aggregation runs. */
export interface Scope {
  self: Item | undefined;
  total: Collection | undefined;
  /** `%resource`, where the expression runs on a resource itself; absent elsewhere (fhirpath.js then). */
  resource?: Item;
}

/** An expression compiled: its result on a focus, or undefined when only fhirpath.js can answer. */
export type Evaluation = (focus: Collection, scope: Scope) => Collection | undefined;

/**
 * Types of computed values. fhirpath.js reads a number literal, and the result of arithmetic, as a
 * decimal object (compared at its precision, 1e-8), while a number from the resource or from count()
 * stays a plain number (compared as is): DECIMAL marks the former.
 */
const BOOLEAN = 'System.Boolean';
export const STRING = 'System.String';
export const INTEGER = 'System.Integer';
export const DECIMAL = 'System.Decimal';

const TRUE: Collection = [{ v: true, t: BOOLEAN }];
const FALSE: Collection = [{ v: false, t: BOOLEAN }];
export const EMPTY: Collection = [];
export const bool = (value: boolean): Collection => (value ? TRUE : FALSE);

const STRING_TYPES = new Set([
  'string',
  'code',
  'id',
  'uri',
  'url',
  'canonical',
  'oid',
  'uuid',
  'markdown',
  'base64Binary',
  STRING,
]);
const NUMBER_TYPES = new Set(['decimal', 'integer', 'positiveInt', 'unsignedInt', INTEGER, DECIMAL]);
export const DATE_TYPES = new Set(['date', 'dateTime', 'instant']);

// ---- navigation -------------------------------------------------------------------------------------

/** A child element as navigation reads it: each JSON key, its `_key` companion and the type it holds. */
interface Child {
  keys: string[];
  companions: string[];
  types: string[];
}

const children = new Map<string, Map<string, Child | null>>();

/** A child of a type or backbone path, as the model knows it (memoised: every evaluation asks). */
function childOf(type: string, name: string): Child | undefined {
  let byName = children.get(type);
  if (!byName) children.set(type, (byName = new Map()));
  let child = byName.get(name);
  if (child === undefined) byName.set(name, (child = readChild(elementChild(type, name))));
  return child ?? undefined;
}

function readChild(element: ElementChild | undefined): Child | null {
  if (!element) return null;
  const choices = element.choiceTypes;
  return {
    keys: element.keys.map(asPropertyName),
    companions: element.keys.map((key) => asPropertyName(`_${key}`)),
    types: element.keys.map((_, k) =>
      choices ? fhirType(choices[k] as string) : (element.scope ?? element.type ?? ''),
    ),
  };
}

/** The FHIR name of a type the model names (`DateTime` for a choice's dateTime). */
function fhirType(modelType: string): string {
  const primitive = (modelType[0]?.toLowerCase() ?? '') + modelType.slice(1);
  return isPrimitiveType(primitive) ? primitive : modelType;
}

export function navigate(focus: Collection, name: string): Collection | undefined {
  const out: Collection = [];
  for (const item of focus) {
    const record = item.v;
    if (typeof record !== 'object' || record === null || Array.isArray(record)) return undefined;
    const child = childOf(item.t, name);
    if (!child) return undefined;
    const holder = record as Record<string, unknown>;
    for (let k = 0; k < child.keys.length; k++)
      if (
        !collect(
          holder[child.keys[k] as string],
          holder[child.companions[k] as string],
          child.types[k] as string,
          out,
        )
      )
        return undefined;
  }
  return out;
}

/** The items of a key, a primitive counting when its `_key` companion alone is there. */
function collect(value: unknown, companion: unknown, type: string, into: Collection): boolean {
  if (value === undefined && companion === undefined) return true;
  const abstract = type === 'Resource' || type === 'DomainResource';
  const add = (v: unknown, extension: unknown): boolean => {
    const companion = extension === null ? undefined : extension;
    if (v !== null && v !== undefined) {
      if (!abstract) into.push(companion === undefined ? { v, t: type } : { v, t: type, companion });
      else {
        // A resource in an element (Bundle.entry.resource): its own type says where its children are.
        const resourceType = (v as { resourceType?: unknown }).resourceType;
        if (typeof resourceType !== 'string' || elementScope(resourceType) === undefined) return false;
        into.push({ v, t: resourceType });
      }
    } else if (companion !== undefined) into.push({ v: undefined, t: type, companion });
    return true;
  };
  if (Array.isArray(value) || (value === undefined && Array.isArray(companion))) {
    const values = Array.isArray(value) ? value : [];
    const extensions = Array.isArray(companion) ? (companion as unknown[]) : [];
    const length = Math.max(values.length, extensions.length);
    for (let i = 0; i < length; i++) if (!add(values[i], extensions[i])) return false;
    return true;
  }
  return add(value, Array.isArray(companion) ? undefined : companion);
}

// ---- logic ------------------------------------------------------------------------------------------

/** A collection read as a Boolean operand: true, false, empty (undefined), or no answer (null). */
export function truth(collection: Collection): boolean | undefined | null {
  if (collection.length === 0) return undefined;
  const [item] = collection;
  return collection.length === 1 && typeof item?.v === 'boolean' ? item.v : null;
}

// ---- comparison -------------------------------------------------------------------------------------

type Kind = 'string' | 'number' | 'boolean' | 'date';

/** What a value is compared as, or undefined when the subset does not compare it. */
export function kindOf(item: Item): Kind | undefined {
  if (item.v === undefined) return undefined;
  if (typeof item.v === 'boolean') return 'boolean';
  if (typeof item.v === 'number') return NUMBER_TYPES.has(item.t) ? 'number' : undefined;
  if (typeof item.v !== 'string') return undefined;
  if (STRING_TYPES.has(item.t)) return 'string';
  // A date without a time: its text orders as the date does, at one precision (checked below).
  if (DATE_TYPES.has(item.t) && item.v.length <= 10 && !item.v.includes('T')) return 'date';
  return undefined;
}

/** fhirpath.js compares decimals at a precision of 1e-8 (numbers.js's roundToMaxPrecision). */
const atPrecision = (x: number) => Math.round(x / 1e-8) * 1e-8;

/**
 * -1, 0 or 1 as fhirpath.js orders two values; undefined when only fhirpath.js can say (types it
 * converts or refuses, dates of another precision or of another type).
 */
export function order(a: Item, b: Item, equality: boolean): number | undefined {
  const kind = kindOf(a);
  if (kind === undefined || kind !== kindOf(b)) return undefined;
  // Equality of two values from the resource also compares their extensions; those go to fhirpath.js.
  if (equality && (a.companion !== undefined || b.companion !== undefined)) return undefined;
  let x = a.v as string | number | boolean;
  let y = b.v as string | number | boolean;
  if (kind === 'date' && (a.t !== b.t || (x as string).length !== (y as string).length)) return undefined;
  // Plain numbers are ordered as they are; a decimal object on either side, or any equality, rounds.
  if (kind === 'number' && (equality || a.t === DECIMAL || b.t === DECIMAL)) {
    x = atPrecision(x as number);
    y = atPrecision(y as number);
  }
  return x < y ? -1 : x > y ? 1 : 0;
}

export const ORDERINGS: Record<string, (order: number) => boolean> = {
  '=': (o) => o === 0,
  '!=': (o) => o !== 0,
  '<': (o) => o < 0,
  '<=': (o) => o <= 0,
  '>': (o) => o > 0,
  '>=': (o) => o >= 0,
};

/** Whether a collection holds a value equal to the item; undefined when only fhirpath.js can say. */
export function holds(collection: Collection, item: Item): boolean | undefined {
  let found = false;
  for (const member of collection) {
    const o = order(item, member, true);
    if (o === undefined) return undefined;
    if (o === 0) found = true;
  }
  return found;
}
