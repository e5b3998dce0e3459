/**
 * The shape of scenario definitions, checked before a run (users' scenario files are plain JavaScript
 * at run time; a missing `run` or a duplicate id is said clearly instead of failing halfway).
 */
import type { ScenarioDefinition } from './types.js';
import { isJsonObject } from '../json.js';

const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;

function isStringList(value: unknown): boolean {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function checkNeeds(value: unknown, where: string, problems: string[]): void {
  if (value === undefined) return;
  if (!isJsonObject(value)) {
    problems.push(`${where}.needs must be an object {resources?, interactions?, operations?}`);
    return;
  }
  for (const key of ['resources', 'interactions', 'operations']) {
    if (value[key] !== undefined && !isStringList(value[key]))
      problems.push(`${where}.needs.${key} must be a list of strings`);
  }
}

function checkInputs(value: unknown, where: string, problems: string[]): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) {
    problems.push(`${where}.inputs must be a list of {name, description, default?, secret?}`);
    return;
  }
  const names = new Set<string>();
  value.forEach((input: unknown, index) => {
    const at = `${where}.inputs[${index}]`;
    if (!isJsonObject(input)) {
      problems.push(`${at} is not an input object`);
      return;
    }
    if (typeof input.name !== 'string' || !KEBAB.test(input.name))
      problems.push(`${at}.name must be a kebab-case string, found ${JSON.stringify(input.name)}`);
    else if (names.has(input.name)) problems.push(`${at}: the input "${input.name}" is declared twice`);
    else names.add(input.name);
    if (typeof input.description !== 'string' || input.description.trim() === '')
      problems.push(`${at}.description must be a non-empty string`);
    if (input.default !== undefined && typeof input.default !== 'string')
      problems.push(`${at}.default must be a string`);
    if (input.secret !== undefined && typeof input.secret !== 'boolean')
      problems.push(`${at}.secret must be true or false`);
  });
}

/** What is wrong with one scenario definition (nothing: an empty list). */
export function scenarioProblems(value: unknown, where: string): string[] {
  if (!isJsonObject(value))
    return [`${where} is not a scenario object (found ${Array.isArray(value) ? 'an array' : typeof value})`];
  const problems: string[] = [];
  const id = value.id;
  const named = typeof id === 'string' ? `${where} (${id})` : where;
  if (typeof id !== 'string' || !KEBAB.test(id))
    problems.push(`${where}.id must be a kebab-case string, found ${JSON.stringify(id)}`);
  if (typeof value.title !== 'string' || value.title.trim() === '')
    problems.push(`${named}.title must be a non-empty string`);
  for (const key of ['tags', 'requirements']) {
    if (value[key] !== undefined && !isStringList(value[key]))
      problems.push(`${named}.${key} must be a list of strings`);
  }
  checkNeeds(value.needs, named, problems);
  checkInputs(value.inputs, named, problems);
  if (!Array.isArray(value.steps)) problems.push(`${named}.steps must be a list of steps`);
  const seen = new Set<string>();
  for (const phase of ['setup', 'steps', 'teardown']) {
    const steps = value[phase];
    if (steps === undefined && phase !== 'steps') continue;
    if (!Array.isArray(steps)) {
      if (phase !== 'steps') problems.push(`${named}.${phase} must be a list of steps`);
      continue;
    }
    steps.forEach((candidate: unknown, index) => {
      const at = `${named}.${phase}[${index}]`;
      if (!isJsonObject(candidate)) {
        problems.push(`${at} is not a step object`);
        return;
      }
      const stepId = candidate.id;
      if (typeof stepId !== 'string' || !KEBAB.test(stepId)) {
        problems.push(`${at}.id must be a kebab-case string, found ${JSON.stringify(stepId)}`);
      } else if (seen.has(stepId)) {
        problems.push(`${at}: the step id "${stepId}" is used twice in the scenario`);
      } else seen.add(stepId);
      if (typeof candidate.title !== 'string' || candidate.title.trim() === '')
        problems.push(`${at}.title must be a non-empty string`);
      if (typeof candidate.run !== 'function')
        problems.push(`${at}.run must be a function (async (t) => { ... })`);
      if (candidate.level !== undefined && candidate.level !== 'MUST' && candidate.level !== 'SHOULD') {
        problems.push(`${at}.level must be "MUST" or "SHOULD"`);
      }
      if (candidate.says !== undefined && typeof candidate.says !== 'string')
        problems.push(`${at}.says must be a string`);
      checkNeeds(candidate.needs, at, problems);
    });
  }
  return problems;
}

/** Every problem of a list of scenarios, duplicate ids included. */
export function scenariosProblems(scenarios: readonly unknown[], where: (index: number) => string): string[] {
  const problems = scenarios.flatMap((value, index) => scenarioProblems(value, where(index)));
  const ids = new Map<string, number>();
  scenarios.forEach((value, index) => {
    if (!isJsonObject(value) || typeof value.id !== 'string') return;
    const first = ids.get(value.id);
    if (first === undefined) ids.set(value.id, index);
    else problems.push(`${where(index)}: the scenario id "${value.id}" is already used by ${where(first)}`);
  });
  return problems;
}

/** The scenarios a selection names; an id nobody has is an error (a typo should not run nothing). */
export function selectScenarios(
  scenarios: ScenarioDefinition[],
  select: { ids?: string[]; tags?: string[] } = {},
): ScenarioDefinition[] | Error {
  const ids = select.ids ?? [];
  const unknown = ids.filter((id) => !scenarios.some((scenario) => scenario.id === id));
  if (unknown.length > 0) {
    return new Error(
      `no scenario has the id ${unknown.map((id) => `"${id}"`).join(', ')} (known: ${scenarios.map((scenario) => scenario.id).join(', ') || 'none'})`,
    );
  }
  const tags = select.tags ?? [];
  return scenarios.filter(
    (scenario) =>
      (ids.length === 0 || ids.includes(scenario.id)) &&
      (tags.length === 0 || tags.some((tag) => scenario.tags?.includes(tag))),
  );
}
