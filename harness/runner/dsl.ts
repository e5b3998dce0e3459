/**
 * Helpers for authoring: `scenario({...})` and `step({...})` return what they are given, so a scenario
 * file gets the DSL's types (and editor completion) without writing them out; `key()` declares a value
 * steps pass to each other, with its type.
 */
import type { Key, ScenarioDefinition, StepDefinition } from './types.js';

export function scenario(definition: ScenarioDefinition): ScenarioDefinition {
  return definition;
}

export function step(definition: StepDefinition): StepDefinition {
  return definition;
}

/**
 * A typed name for a value steps pass to each other. `missing` says why a step that needs the value
 * skips when no earlier step saved it, e.g. 'r2-create did not create a Patient (see that step)'.
 */
export function key<T>(name: string, missing?: string): Key<T> {
  return missing === undefined ? { name } : { name, missing };
}
