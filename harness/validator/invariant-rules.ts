/**
 * Invariants (ElementDefinition.constraint) on a value: each one fhirpath.js evaluates (with %resource,
 * %rootResource and the Bundle around, see invariants.ts), except the few the walk checks natively
 * (NATIVE_INVARIANTS; ext-1 is checked here).
 */
import { isJsonObject } from '../json.js';
import type { ValidationIssue } from './issues.js';
import { NATIVE_INVARIANTS } from './invariants.js';
import type { ElementSchema } from './schema.js';
import type { Cursor, ResourceScope, WalkContext } from './walk-context.js';

export function checkInvariants(
  walk: WalkContext,
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
        walk.report('EXT_VALUE_AND_CHILDREN', cursor);
      }
      continue;
    }
    const result = walk.services.invariants.evaluate(constraint, basePath, value, {
      resource: scope.resource,
      rootResource: scope.root,
      ...(scope.bundle ? { bundle: scope.bundle.bundle } : {}),
    });
    if (result.status === 'pass') continue;
    if (result.status === 'error') {
      // Broken data (an impossible date, an object for a string) makes expressions fail; its own error
      // already says what is wrong, so the failure is only worth a warning on otherwise sound data.
      if (!walk.hasErrors())
        walk.report('INV_EVALUATION_FAILED', cursor, { key: constraint.key, detail: result.message });
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
    walk.addIssue(found, cursor);
  }
}
