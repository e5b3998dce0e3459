/**
 * FHIRPath's type tests for native evaluation (native-invariants.ts): the `is` and `as` operators and
 * functions, and `ofType()`, as fhirpath.js answers them with its R4 model: a value is of a type when
 * the type is its own or one its type derives from (`code` is a `string`, `Age` a `Quantity`, every
 * resource a `Resource`). A name outside the R4 model (FHIRPath's own `System.*` types, a qualified
 * name) or a value whose type is a backbone element's path or a computed result is left to fhirpath.js.
 */
import r4Model from 'fhirpath/fhir-context/r4';
import { EMPTY, bool, type Collection, type Evaluation, type Item } from './native-values.js';

/** Each R4 type's parent type, from fhirpath.js's model. */
const PARENTS: Readonly<Record<string, string>> = (r4Model as { type2Parent: Record<string, string> })
  .type2Parent;

/** Every type the model names, as a child or as a parent (`Element`, `Resource` are only parents). */
const MODEL_TYPES = new Set([...Object.keys(PARENTS), ...Object.values(PARENTS)]);

/** Whether the R4 model knows a type of this name. */
export const isModelType = (name: string): boolean => MODEL_TYPES.has(name);

/** Whether an item's value is of the named type; undefined when fhirpath.js must answer. */
function ofType(item: Item, name: string): boolean | undefined {
  if (item.v === undefined || !isModelType(item.t)) return undefined;
  for (let type: string | undefined = item.t; type !== undefined; type = PARENTS[type])
    if (type === name) return true;
  return false;
}

/** The type a TypeSpecifier names, when it is an unqualified name the R4 model knows. */
export function specifiedType(specifier: {
  text?: string;
  children?: { children?: unknown[] }[];
}): string | undefined {
  const identifiers = specifier.children?.[0]?.children ?? [];
  const name = specifier.text;
  return identifiers.length === 1 && name !== undefined && isModelType(name) ? name : undefined;
}

/** `x is T` / `x as T` (operator or function): one item or none, as fhirpath.js requires. */
export function compileTypeTest(operator: 'is' | 'as', source: Evaluation, type: string): Evaluation {
  return (focus, scope) => {
    const input = source(focus, scope);
    if (!input || input.length > 1) return undefined;
    if (input.length === 0) return EMPTY;
    const verdict = ofType(input[0]!, type);
    if (verdict === undefined) return undefined;
    return operator === 'is' ? bool(verdict) : verdict ? input : EMPTY;
  };
}

/** `ofType(T)`: the items of that type. */
export function ofTypeFilter(type: string): (input: Collection) => Collection | undefined {
  return (input) => {
    const kept: Collection = [];
    for (const item of input) {
      const verdict = ofType(item, type);
      if (verdict === undefined) return undefined;
      if (verdict) kept.push(item);
    }
    return kept;
  };
}
