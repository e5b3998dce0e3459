/**
 * Validating one input unit, the same way on the main thread and in a worker: the validator's issues,
 * with NDJSON positions moved from "line 1 of this line" to the line of the file.
 */
import type { ValidationIssue, Validator } from '../validator/index.js';

export interface UnitToValidate {
  text: string;
  /** The NDJSON line the text came from. */
  index?: number;
}

export interface UnitVerdict {
  resourceType?: string;
  issues: ValidationIssue[];
}

/**
 * The first `"resourceType": "X"` in the text. A resource's own type comes first in practice (every FHIR
 * serializer writes it first); reading it from the text spares a second parse of every resource.
 */
const RESOURCE_TYPE = /"resourceType"\s*:\s*"([A-Za-z]{1,64})"/;

export function resourceTypeOf(text: string): string | undefined {
  return RESOURCE_TYPE.exec(text.slice(0, 4096))?.[1] ?? RESOURCE_TYPE.exec(text)?.[1];
}

export function validateUnit(validator: Validator, unit: UnitToValidate, profiles: string[]): UnitVerdict {
  const { issues } = validator.validateDetailed(unit.text, { profiles });
  const resourceType = resourceTypeOf(unit.text);
  const line = unit.index;
  const placed =
    line === undefined
      ? issues
      : issues.map((item) =>
          item.location
            ? { ...item, location: { line: line + item.location.line - 1, column: item.location.column } }
            : item,
        );
  return resourceType === undefined ? { issues: placed } : { resourceType, issues: placed };
}
