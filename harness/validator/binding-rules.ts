/**
 * Bindings and codes: a code, Coding, CodeableConcept or Quantity against the value set its element
 * binds (required and extensible), and a Coding's code and display against its code system when we hold
 * it. Systems we never hold (SNOMED CT, LOINC...) are said once per validation as not checked.
 */
import { objectsOf, type JsonObject } from '../json.js';
import { externalSystem, type Terminology } from '../terminology/index.js';
import type { ElementSchema } from './schema.js';
import { childCursor, type Cursor, type WalkContext } from './walk-context.js';

const QUANTITY_TYPES = new Set([
  'Quantity',
  'Age',
  'Duration',
  'Distance',
  'Count',
  'MoneyQuantity',
  'SimpleQuantity',
]);

/** The binding rules of one walk (it remembers which systems it already said it could not check). */
export class BindingRules {
  private readonly uncheckedSystems = new Set<string>();

  constructor(private readonly walk: WalkContext) {}

  /** A code (or a string or uri) bound to a value set. */
  ofCode(code: string, element: ElementSchema, cursor: Cursor): void {
    const binding = element.binding;
    if (!binding?.valueSet || (binding.strength !== 'required' && binding.strength !== 'extensible')) return;
    const check = this.walk.services.terminology.checkCode(binding.valueSet, undefined, code);
    this.verdict(check, binding.strength, binding.valueSet, code, cursor, element, true);
  }

  /** A Coding, CodeableConcept or Quantity bound to a value set: one code in it must be in the set. */
  ofComplex(value: JsonObject, type: string, element: ElementSchema, cursor: Cursor): void {
    const binding = element.binding;
    if (!binding?.valueSet || (binding.strength !== 'required' && binding.strength !== 'extensible')) return;
    let codings: JsonObject[];
    if (type === 'CodeableConcept') codings = objectsOf(value.coding);
    else if (type === 'Coding') codings = [value];
    else if (QUANTITY_TYPES.has(type)) {
      if (typeof value.code !== 'string') return;
      codings = [{ system: value.system, code: value.code }];
    } else return;
    const coded = codings.filter((c) => typeof c.code === 'string');
    if (coded.length === 0) {
      if (binding.strength === 'required' && type !== 'Quantity')
        this.walk.report('BIND_NO_CODE', cursor, { valueSet: binding.valueSet });
      return;
    }
    const checks = coded.map((c) => ({
      coding: c,
      check: this.walk.services.terminology.checkCode(
        binding.valueSet as string,
        typeof c.system === 'string' ? c.system : undefined,
        c.code as string,
      ),
    }));
    if (checks.some(({ check }) => check.result === 'valid')) return;
    // The first undecided check (unknown system, unknown value set) explains why nothing was proven.
    const unchecked = checks.find(({ check }) => check.result !== 'invalid');
    if (unchecked) {
      this.verdict(
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
    this.verdict(
      checks[0]?.check ?? { result: 'invalid', message: '' },
      binding.strength,
      binding.valueSet,
      codes,
      cursor,
      element,
    );
  }

  /** A Coding's code must exist in its system, with a right display, when we hold the system. */
  codingContent(coding: JsonObject, cursor: Cursor): void {
    if (typeof coding.system !== 'string' || typeof coding.code !== 'string') return;
    const found = this.walk.services.terminology.lookup(coding.system, coding.code);
    if (!found.found) {
      if (found.reason === 'unknown-code') {
        this.walk.report('TX_CODE_UNKNOWN', childCursor(cursor, 'code', `${cursor.expression}.code`), {
          code: coding.code,
          system: coding.system,
        });
      } else if (found.reason === 'supplement') {
        this.walk.report(
          'TX_SYSTEM_SUPPLEMENT',
          childCursor(cursor, 'system', `${cursor.expression}.system`),
          {
            system: coding.system,
          },
        );
      } else this.notChecked(coding.system, found.message, cursor);
      return;
    }
    if (typeof coding.display === 'string' && found.displays.length > 0) {
      const wanted = coding.display.trim().toLowerCase();
      if (!found.displays.some((d) => d.trim().toLowerCase() === wanted)) {
        this.walk.report(
          'TX_DISPLAY_WRONG',
          childCursor(cursor, 'display', `${cursor.expression}.display`),
          {
            display: coding.display,
            system: coding.system,
            code: coding.code,
            valid: found.displays.map((d) => `'${d}'`).join(', '),
          },
          { severity: this.walk.services.policy.displayMismatch },
        );
      }
    }
  }

  private verdict(
    check: ReturnType<Terminology['checkCode']>,
    strength: 'required' | 'extensible',
    valueSet: string,
    code: string,
    cursor: Cursor,
    element: ElementSchema,
    bareCode = false,
  ): void {
    switch (check.result) {
      case 'valid':
        return;
      case 'invalid':
        // A bare code that no code system of the value set defines: the HL7 validator says that the
        // system could not be determined as an error of its own. A code some system defines, but the
        // value set leaves out, is the one error below.
        if (
          bareCode &&
          strength === 'required' &&
          check.message.includes('System URI could not be determined')
        ) {
          this.walk.report('TX_SYSTEM_UNDETERMINED', cursor, { code, valueSet });
        }
        this.walk.report(
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
        this.walk.report('TX_VALUE_SET_UNKNOWN', cursor, { valueSet, detail: check.message });
        return;
    }
  }

  /**
   * A system we do not hold is said once per validation: as information for the big external systems
   * (SNOMED CT, LOINC...), as a warning for any other system we know nothing of.
   */
  private notChecked(system: string, detail: string, cursor: Cursor): void {
    if (this.uncheckedSystems.has(system)) return;
    this.uncheckedSystems.add(system);
    if (externalSystem(system)) this.walk.report('TX_NOT_CHECKED', cursor, { system, detail });
    else this.walk.report('TX_SYSTEM_UNKNOWN', cursor, { system });
  }
}
