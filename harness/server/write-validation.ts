/**
 * Validation on write: the validator's write check (validator/write-check.ts) for each resource a
 * request would store, a refusal becoming the 400 or 422 the client gets.
 */
import type { Validator, ValidationIssue } from '../validator/index.js';
import { toOperationOutcome } from '../validator/index.js';
import { checkForWrite, type WriteValidationMode } from '../validator/write-check.js';
import { OutcomeError } from './outcomes.js';
import type { JsonObject } from '../json.js';
import type { CheckedWrites } from './exchange.js';

export type ValidationMode = WriteValidationMode;

export class WriteValidation {
  constructor(
    private readonly validator: Validator,
    readonly mode: ValidationMode,
    /** The IG's profiles by resource type. */
    private readonly igProfiles: Map<string, string[]>,
  ) {}

  /**
   * Throws an OutcomeError when the resource may not be stored; otherwise returns the issues worth
   * telling the client (profile issues under lenient validation), possibly none. A verdict reached
   * already for this very object (`checked`, off the event loop) is used as it is.
   */
  check(resource: JsonObject, checked?: CheckedWrites): ValidationIssue[] {
    const verdict =
      checked?.get(resource) ?? checkForWrite(this.validator, this.mode, this.igProfiles, resource);
    if (!verdict.accepted) throw new OutcomeError(verdict.status, toOperationOutcome(verdict.errors));
    return verdict.warnings;
  }
}
