/**
 * Element paths as fhirpath.js's R4 model knows them: what type an element has, where the children of
 * a backbone element are found, which JSON keys hold a choice element. The search index's plain-path
 * extraction and the validator's native invariants both resolve paths here, so they agree with
 * fhirpath.js (which uses the same model) on what a path means.
 */
import r4Model from 'fhirpath/fhir-context/r4';

const MODEL = r4Model as unknown as {
  path2Type: Record<string, string>;
  choiceTypePaths: Record<string, string[]>;
  pathsDefinedElsewhere: Record<string, string>;
};

/** A child element of a scope. */
export interface ElementChild {
  /** The JSON keys that hold it: its name, or one per type of a choice (`valueQuantity`...). */
  keys: string[];
  /** Its type (`Reference`, `code`, `BackboneElement`); undefined for a choice. */
  type?: string;
  /** For a choice, the type each key holds as the model names it (`Quantity`, `DateTime`), as `keys`. */
  choiceTypes?: string[];
  /** Where its own children are resolved; undefined for a choice (it depends on the type present). */
  scope?: string;
}

/** Whether a type is a backbone (its children are defined in place, not by a type of their own). */
export const isBackboneType = (type: string) => type === 'BackboneElement' || type === 'Element';

/** The scope the children of an element path are resolved from: its type, or itself for a backbone. */
export function elementScope(path: string): string | undefined {
  if (/^[A-Z][A-Za-z]*$/.test(path)) return path;
  const defined = MODEL.pathsDefinedElsewhere[path] ?? path;
  const type = MODEL.path2Type[defined];
  if (type === undefined) {
    // A path through a complex type (`MedicationRequest.dosageInstruction.timing.repeat`): the model
    // knows it from the type down (`Timing.repeat`).
    const dot = path.lastIndexOf('.');
    const parent = dot > 0 ? elementScope(path.slice(0, dot)) : undefined;
    return parent === undefined ? undefined : elementChild(parent, path.slice(dot + 1))?.scope;
  }
  return isBackboneType(type) ? defined : type;
}

/** A child of a scope (a type name or a backbone path), or undefined when the model does not know it. */
export function elementChild(scope: string, segment: string): ElementChild | undefined {
  const path = `${scope}.${segment}`;
  const choices = MODEL.choiceTypePaths[path];
  if (choices)
    return {
      keys: choices.map((type) => segment + type[0]?.toUpperCase() + type.slice(1)),
      choiceTypes: choices,
    };
  const defined = MODEL.pathsDefinedElsewhere[path] ?? path;
  const type = MODEL.path2Type[defined];
  if (type === undefined) return undefined;
  return { keys: [segment], type, scope: isBackboneType(type) ? defined : type };
}

/** The element names of a scope (a choice by its stem: `value`), for suggestions and listings. */
export function elementNames(scope: string): string[] {
  const prefix = `${scope}.`;
  const names = new Set<string>();
  for (const path of [...Object.keys(MODEL.path2Type), ...Object.keys(MODEL.choiceTypePaths)])
    if (path.startsWith(prefix) && !path.includes('.', prefix.length)) names.add(path.slice(prefix.length));
  return [...names];
}

/**
 * A choice type (as the model names it: `Quantity`, `DateTime`) as a scope: complex types by their
 * name, primitives in their own spelling (`dateTime`).
 */
export function choiceTypeScope(type: string): string {
  return elementNames(type).length > 0 ? type : type.charAt(0).toLowerCase() + type.slice(1);
}
