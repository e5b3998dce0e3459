/**
 * Scenario inputs: what the selected scenarios declare, matched with what the user gave (`--input`,
 * `--inputs FILE`), into the values each scenario's steps read and the record a report shows (secrets
 * masked). Reading an inputs file (JSON or YAML, a flat map of names to scalars) is here too, so the
 * CLI and API users read it the same way.
 */
import { parse as parseYaml } from 'yaml';
import { isJsonObject } from '../json.js';
import type { InputUse, ScenarioDefinition, ScenarioInput } from './types.js';

export const SECRET_MASK = '***';

/** The values a scenario's steps may read, by input name; a declared input without a value is absent. */
export type ScenarioInputs = ReadonlyMap<string, string>;

export interface ResolvedInputs {
  /** Per scenario id: the values of the inputs it declares. */
  byScenario: Map<string, ScenarioInputs>;
  /** Per scenario id: the names it declares (to tell an undeclared name from a value not given). */
  declared: Map<string, ReadonlyMap<string, ScenarioInput>>;
  /** For the report. */
  uses: InputUse[];
}

/**
 * Matches the given values to the scenarios' declarations. A given name that no scenario declares is
 * an error (a misspelt name would otherwise be silently unused), naming those that are declared.
 */
export function resolveInputs(
  scenarios: readonly ScenarioDefinition[],
  given: Readonly<Record<string, string>> = {},
): ResolvedInputs | Error {
  const declarations = new Map<string, { input: ScenarioInput; scenarios: string[] }>();
  for (const scenario of scenarios)
    for (const input of scenario.inputs ?? []) {
      const known = declarations.get(input.name);
      if (known) known.scenarios.push(scenario.id);
      else declarations.set(input.name, { input, scenarios: [scenario.id] });
    }
  const unknown = Object.keys(given).filter((name) => !declarations.has(name));
  if (unknown.length > 0) {
    const names = [...declarations.keys()].sort();
    return new Error(
      `no selected scenario declares the input${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; ` +
        (names.length > 0 ? `declared: ${names.join(', ')}` : 'the selected scenarios declare no inputs'),
    );
  }
  const valueOf = (name: string, input: ScenarioInput) =>
    Object.hasOwn(given, name) ? given[name] : input.default;
  const byScenario = new Map<string, ScenarioInputs>();
  const declared = new Map<string, ReadonlyMap<string, ScenarioInput>>();
  for (const scenario of scenarios) {
    const values = new Map<string, string>();
    const names = new Map<string, ScenarioInput>();
    for (const input of scenario.inputs ?? []) {
      names.set(input.name, input);
      const value = valueOf(input.name, input);
      if (value !== undefined) values.set(input.name, value);
    }
    byScenario.set(scenario.id, values);
    declared.set(scenario.id, names);
  }
  const uses: InputUse[] = [...declarations].map(([name, { input, scenarios: ids }]) => {
    const source: InputUse['source'] = Object.hasOwn(given, name)
      ? 'given'
      : input.default !== undefined
        ? 'default'
        : 'none';
    const value = valueOf(name, input);
    return {
      name,
      ...(value === undefined ? {} : { value: input.secret ? SECRET_MASK : value }),
      source,
      scenarios: ids,
    };
  });
  return { byScenario, declared, uses };
}

/** `name=value` as `--input` takes it. */
export function parseInputAssignment(text: string): [string, string] | Error {
  const equals = text.indexOf('=');
  if (equals < 1) return new Error(`--input must be name=value, not '${text}'`);
  return [text.slice(0, equals).trim(), text.slice(equals + 1)];
}

/**
 * An inputs file: a JSON or YAML map of input names to strings, numbers or booleans (kept as their
 * text). YAML is read with its failsafe schema, every scalar as written: an insuree code 070707070
 * stays 070707070, not the number 70707070. Anything else is an error that says where.
 */
export function parseInputsFile(text: string, fileName: string): Record<string, string> | Error {
  let parsed: unknown;
  try {
    parsed = /\.json$/i.test(fileName)
      ? JSON.parse(text)
      : parseYaml(text, { schema: 'failsafe', maxAliasCount: 100 });
  } catch (error) {
    const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return new Error(`${fileName} is not valid ${/\.json$/i.test(fileName) ? 'JSON' : 'YAML'}: ${why}`);
  }
  if (parsed === null || parsed === undefined) return {};
  if (!isJsonObject(parsed))
    return new Error(`${fileName} must hold a map of input names to values (name: value)`);
  // No prototype: a key such as __proto__ is then an input name like any other (and unknown).
  const values = Object.create(null) as Record<string, string>;
  for (const [name, value] of Object.entries(parsed)) {
    if (typeof value === 'string') values[name] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') values[name] = String(value);
    else
      return new Error(
        `${fileName}: the input '${name}' must be a string, a number or a boolean, found ${
          value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value
        }`,
      );
  }
  return values;
}
