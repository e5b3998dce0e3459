/**
 * Identity helpers for authoring: `scenario({...})` and `step({...})` return what they are given, so a
 * scenario file gets the DSL's types (and editor completion) without writing them out.
 */
import type { ScenarioDefinition, StepDefinition } from './types.js';

export function scenario(definition: ScenarioDefinition): ScenarioDefinition {
  return definition;
}

export function step(definition: StepDefinition): StepDefinition {
  return definition;
}
