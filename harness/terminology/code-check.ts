/**
 * The results of terminology checks, and the wording of their messages. Messages follow the HL7
 * validator's phrasing where it has one, so reports read alike.
 */

export type CodeCheck =
  | { result: 'valid'; display?: string }
  | { result: 'invalid'; message: string }
  /**
   * The code cannot be checked: the system is not one we hold (SNOMED CT, LOINC...), or `partial` when
   * we hold only part of it (content fragment/example) and the code is not in that part.
   */
  | { result: 'unknown-system'; system: string; message: string; partial?: true }
  | { result: 'unknown-value-set'; message: string }
  | { result: 'too-costly'; message: string };

/** The results that mean "could not check" rather than a verdict. */
export type UncheckedCode = Extract<
  CodeCheck,
  { result: 'unknown-system' | 'unknown-value-set' | 'too-costly' }
>;

export type LookupResult =
  | { found: true; display?: string; displays: string[] }
  /** `supplement`: the system is a supplement of another, so it defines no codes of its own. */
  | {
      found: false;
      reason: 'unknown-system' | 'unknown-code' | 'supplement';
      message: string;
      partial?: true;
    };

export type ExpansionContains = { system: string; code: string; display?: string; version?: string };

export type ExpansionResult = { ok: true; contains: ExpansionContains[] } | { ok: false; message: string };

/** Beyond this many codes an expansion is not built (the HL7 validator's own limit is of this order). */
export const DEFAULT_MAX_EXPANSION = 10_000;

export const messages = {
  unknownCodeSystem: (system: string) =>
    `A definition for CodeSystem '${system}' could not be found, so the code cannot be validated`,
  unavailableCodeSystem: (system: string, name: string) =>
    `The code system '${system}' (${name}) is not available to this validator, so the code cannot be validated`,
  supplement: (system: string) =>
    `CodeSystem ${system} is a supplement, so can't be used as a value in Coding.system`,
  unknownCode: (system: string, version: string | undefined, code: string) =>
    `Unknown code '${code}' in the CodeSystem '${system}' version '${version ?? 'null'}'`,
  unknownCodeInPart: (system: string, version: string | undefined, code: string, content: string) =>
    `Unknown code '${code}' in the CodeSystem '${system}' version '${version ?? 'null'}' - note that the code ` +
    `system is labeled as ${content === 'example' ? 'an example' : `a ${content}`}, so the code may be valid in some other fragment`,
  notInValueSet: (valueSet: string, system: string, code: string) =>
    `The provided code '${system}#${code}' was not found in the value set '${valueSet}'`,
  bareCodeNotInValueSet: (valueSet: string, code: string) =>
    `The provided code '${code}' was not found in the value set '${valueSet}' (the System URI could not be determined for the code)`,
  unknownValueSet: (valueSet: string) =>
    `The value set '${valueSet}' could not be found, so the code cannot be validated`,
  circularValueSet: (valueSet: string) =>
    `The value set '${valueSet}' includes itself (directly or through other value sets), so it cannot be expanded`,
  tooCostly: (valueSet: string, limit: number) =>
    `The value set '${valueSet}' has more than ${limit} codes, so it was not expanded`,
  cannotExpandSystem: (valueSet: string, system: string, why: string) =>
    `The value set '${valueSet}' cannot be expanded: it includes the code system '${system}', ${why}`,
};
