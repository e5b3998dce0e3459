/**
 * What the walk and its rule families share, so that none of them imports another: where the walk is
 * (a Cursor), what it works with (Services), the resource around it (ResourceScope), one occurrence of
 * an element (Item), and the WalkContext interface through which a rule reports an issue or asks the
 * walk to validate something further. The walker implements WalkContext; the rules (cardinality,
 * bindings, extensions, values, slices, references, Bundle) depend only on this module.
 */
import type { DefinitionRegistry } from '../fhir/definitions.js';
import type { JsonObject } from '../json.js';
import type { Terminology } from '../terminology/index.js';
import type { InvariantEvaluator } from './invariants.js';
import type { ValidationIssue } from './issues.js';
import type { MessageId, Severity } from './messages.js';
import type { CompiledStructure, ElementSchema, SchemaCompiler } from './schema.js';
import type { SliceMatcher } from './slicing.js';
import { describeValue } from './values.js';

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

/**
 * A child cursor whose expression (the parent's, then `.name` or `[index]`, or `.name.ofType(T)` for a
 * choice) is written out only when something reads it: an issue, mostly. A valid resource of a
 * thousand elements then builds none of these strings.
 */
class LazyCursor implements Cursor {
  #expression: string | undefined;

  constructor(
    readonly parent: Cursor,
    readonly key: string | number,
    private readonly step: string | number,
  ) {}

  get expression(): string {
    if (this.#expression === undefined) {
      const { step } = this;
      this.#expression =
        typeof step === 'number' ? `${this.parent.expression}[${step}]` : `${this.parent.expression}${step}`;
    }
    return this.#expression;
  }
}

/** `key` under `cursor`, its expression the parent's followed by `step` (`.name`, or an index). */
export function lazyChildCursor(cursor: Cursor, key: string | number, step: string | number): Cursor {
  return new LazyCursor(cursor, key, step);
}

/** The JSON path of a cursor, from the root of the validated input. */
export function jsonPath(cursor: Cursor): (string | number)[] {
  const path: (string | number)[] = [];
  for (let at: Cursor | undefined = cursor; at?.key !== undefined; at = at.parent) path.push(at.key);
  return path.reverse();
}

/** `cursor.expression.name[index]` as a cursor: the usual step into an array property. */
export function itemCursor(cursor: Cursor, name: string, index: number): Cursor {
  return lazyChildCursor(lazyChildCursor(cursor, name, `.${name}`), index, index);
}

/** The cursor of a Bundle entry's resource, named as the walk names it (type and id in a comment). */
export function entryResourceCursor(bundle: Cursor, index: number, resource: JsonObject): Cursor {
  const entry = itemCursor(bundle, 'entry', index);
  const type = typeof resource.resourceType === 'string' ? resource.resourceType : '';
  const id = typeof resource.id === 'string' ? resource.id : 'null';
  return childCursor(entry, 'resource', `${entry.expression}.resource/*${type}/${id}*/`);
}

export interface WalkPolicy {
  /** The severity of an extension whose definition cannot be found (under modifierExtension it is always an error). */
  unknownExtension: 'warning' | 'error';
  /** The severity of a display the code system does not give for the code. */
  displayMismatch: 'warning' | 'error';
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
  resource: JsonObject;
  /** The outermost resource of the validated input. */
  root: JsonObject;
  /** The enclosing resource of a contained one, whose `contained` it can refer to. */
  container?: ResourceScope;
  /** The Bundle entry the resource sits in, with the Bundle it belongs to. */
  bundle?: { bundle: JsonObject; fullUrl?: string };
}

/** One occurrence of an element in the instance. */
export interface Item {
  value: unknown;
  /** The `_name` companion of a primitive. */
  extension: unknown;
  type: string;
  jsonKey: string;
  index: number | undefined;
  cursor: Cursor;
  /** The object that holds the property, where it is, and the element it is an instance of. */
  owner: JsonObject;
  ownerCursor: Cursor;
  holder: ElementSchema;
}

export type ReportOverrides = { severity?: Severity; source?: string };

/** What a rule may ask of the walk it is part of. */
export interface WalkContext {
  readonly services: Services;
  /** Reports an issue at a cursor (with its line and column when the input was text). */
  report(
    id: MessageId,
    cursor: Cursor,
    args?: Readonly<Record<string, string | number>>,
    overrides?: ReportOverrides,
  ): void;
  /** Whether an error (or a fatal issue) was reported so far. */
  hasErrors(): boolean;
  /** Keeps an issue made elsewhere (an invariant's, whose id is its source#key). */
  addIssue(found: ValidationIssue, cursor: Cursor): void;
  /** The compiled core definition of a type, if it compiles. */
  typeStructure(type: string): CompiledStructure | undefined;
  /** Whether a value conforms to a profile: a silent validation of its own. */
  conforms(value: unknown, profile: string, scope: ResourceScope): boolean;
  /** Whether a resource conforms to one of the profiles (a reference cycle counts as conforming). */
  conformsToAny(value: JsonObject, profiles: string[], scope: ResourceScope): boolean;
}

/** How messages describe a JSON value of the wrong kind. */
export function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value} (${describeValue(value)})`;
}

/** How messages name an element: its path, with the slice name for a slice (`Patient.identifier:Code`). */
export function elementLabel(element: ElementSchema): string {
  return element.sliceName ? `${element.path}:${element.sliceName}` : element.path;
}
