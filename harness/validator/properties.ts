/**
 * From JSON properties to element occurrences: which element of a definition a key stands for (the
 * name, its `_name` companion, a choice's `nameType`), a choice type the definition does not allow, and
 * the occurrences (items) of one element in an object, with the JSON shape checks along the way (null,
 * empty or misplaced arrays, primitive extensions out of line).
 */
import type { DefinitionRegistry } from '../fhir/definitions.js';
import { asPropertyName, type JsonObject } from '../json.js';
import { isPrimitiveType } from './primitive-types.js';
import type { ElementSchema, SchemaCompiler } from './schema.js';
import { lazyChildCursor, type Cursor, type Item, type WalkContext } from './walk-context.js';

/** What a JSON property of an object stands for. */
export interface PropertyTarget {
  element: ElementSchema;
  /** The element's place in the list of children the index was built for. */
  position: number;
  type: string;
  /** The JSON name of the value (`valueQuantity`), whether the key found is it or its `_` companion. */
  name: string;
  /** `_` and the name: where a primitive's id and extensions are. */
  companion: string;
  isPrimitive: boolean;
}

const propertyIndexes = new WeakMap<ElementSchema[], Map<string, PropertyTarget>>();

function upperFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The JSON keys the children of an element may use, each with what it stands for; built once per list. */
export function propertyIndex(children: ElementSchema[]): Map<string, PropertyTarget> {
  let index = propertyIndexes.get(children);
  if (index) return index;
  index = new Map();
  const add = (element: ElementSchema, position: number, type: string, jsonName: string) => {
    const name = asPropertyName(jsonName);
    const companion = asPropertyName(`_${jsonName}`);
    const target: PropertyTarget = {
      element,
      position,
      type,
      name,
      companion,
      isPrimitive: isPrimitiveType(type),
    };
    index?.set(name, target);
    if (target.isPrimitive) index?.set(companion, target);
  };
  children.forEach((element, position) => {
    if (element.isChoice)
      for (const type of element.types)
        add(element, position, type.code, element.name + upperFirst(type.code));
    else add(element, position, element.types[0]?.code ?? 'BackboneElement', element.name);
  });
  propertyIndexes.set(children, index);
  return index;
}

/** A JSON key such as `valueString` that names a choice element with a type the definition does not allow. */
export function disallowedChoice(
  definitions: DefinitionRegistry,
  key: string,
  children: ElementSchema[],
): { element: ElementSchema; type: string } | undefined {
  for (const element of children) {
    if (!element.isChoice || !key.startsWith(element.name)) continue;
    const suffix = key.slice(element.name.length);
    if (!/^[A-Z][A-Za-z0-9]*$/.test(suffix)) continue;
    const lower = suffix.charAt(0).toLowerCase() + suffix.slice(1);
    for (const type of [suffix, lower]) if (definitions.typeDefinition(type)) return { element, type };
  }
  return undefined;
}

/**
 * The types the core definition gives a choice element (`Patient.deceased[x]`: boolean, dateTime),
 * whatever a profile narrowed it to. An element the core definitions lack keeps its own types.
 */
export function baseChoiceTypes(compiler: SchemaCompiler, element: ElementSchema): string[] {
  const rootType = element.path.split('.')[0] ?? '';
  const core = compiler.compileType(rootType);
  const base = core.ok ? core.structure.byId.get(element.path) : undefined;
  return (base ?? element).types.map((type) => type.code);
}

/** The occurrences of one element in an object, with JSON shape checks along the way. */
export function collectItems(
  walk: WalkContext,
  value: JsonObject,
  element: ElementSchema,
  group: { key: string; target: PropertyTarget }[],
  cursor: Cursor,
  holder: ElementSchema,
  /** Whether the object has `_` keys at all: most have none, and a key looked for in vain costs most. */
  hasCompanions = true,
): Item[] {
  const items: Item[] = [];
  // The JSON names present for this element, without the `_` of primitive extensions.
  const names: PropertyTarget[] = [];
  for (const { target } of group) if (!names.some((n) => n.name === target.name)) names.push(target);
  for (const target of names) {
    const key = target.name;
    const raw = value[key];
    const rawExtension = target.isPrimitive && hasCompanions ? value[target.companion] : undefined;
    const keyCursor = lazyChildCursor(
      cursor,
      key,
      element.isChoice ? `.${element.name}.ofType(${target.type})` : `.${key}`,
    );
    if (raw === null && rawExtension === undefined) {
      walk.report('STRUCT_NULL', keyCursor, { name: key });
      continue;
    }
    const rawIsArray = Array.isArray(raw);
    const extensionIsArray = Array.isArray(rawExtension);
    if (rawIsArray && raw.length === 0) {
      walk.report('STRUCT_EMPTY_ARRAY', keyCursor, { name: key });
      continue;
    }
    const isArray = rawIsArray || (raw === undefined && extensionIsArray);
    if (isArray && !element.isArray) walk.report('STRUCT_ARRAY_NOT_ALLOWED', keyCursor, { name: key });
    if (!isArray && element.isArray) walk.report('STRUCT_ARRAY_REQUIRED', keyCursor, { name: key });
    if (raw !== undefined && rawExtension !== undefined && rawIsArray !== extensionIsArray) {
      walk.report('STRUCT_PRIMITIVE_EXTENSION_MISALIGNED', keyCursor, {
        name: key,
        detail: 'one is an array and the other is not',
      });
    } else if (rawIsArray && extensionIsArray && raw.length !== rawExtension.length) {
      walk.report('STRUCT_PRIMITIVE_EXTENSION_MISALIGNED', keyCursor, {
        name: key,
        detail: `${raw.length} values but ${rawExtension.length} extension entries`,
      });
    }
    if (!isArray) {
      items.push(newItem(raw, rawExtension, target, undefined, keyCursor, value, cursor, holder));
      continue;
    }
    const values: unknown[] = rawIsArray ? raw : [];
    const extensions: unknown[] = extensionIsArray ? rawExtension : [];
    const count = Math.max(values.length, extensions.length);
    for (let i = 0; i < count; i++) {
      const itemValue = values[i];
      const itemExtension = extensions[i];
      const itemCursor = lazyChildCursor(keyCursor, i, i);
      if (
        (itemValue === null || itemValue === undefined) &&
        (itemExtension === null || itemExtension === undefined)
      ) {
        walk.report('STRUCT_NULL', itemCursor, { name: key });
        continue;
      }
      items.push(newItem(itemValue, itemExtension, target, i, itemCursor, value, cursor, holder));
    }
  }
  return items;
}

function newItem(
  value: unknown,
  extension: unknown,
  target: PropertyTarget,
  index: number | undefined,
  cursor: Cursor,
  owner: JsonObject,
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
