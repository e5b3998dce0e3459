/**
 * The validator's fixtures (test/fixtures/validator/<check>/<name>.json): each is a broken resource,
 * given whole, as raw text, or as a JSON Patch over one of the IG's own examples, with the issues the
 * HL7 validator would report for it; or its valid twin (`valid: true`), which must raise no error. A fixture may bring conformance resources of its own
 * (a test profile with a maxLength, an ordered slicing...) that the IG does not have.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DefinitionRegistry } from '../../harness/fhir/index.js';
import { PROJECT_ROOT } from '../../harness/paths.js';
import { Validator, createValidator, type ValidationIssue } from '../../harness/validator/index.js';

export const FIXTURE_ROOT = join(PROJECT_ROOT, 'test', 'fixtures', 'validator');
export const IG_RESOURCES = join(PROJECT_ROOT, 'fsh-generated', 'resources');

export type PatchOperation =
  { op: 'add' | 'replace'; path: string; value: unknown } | { op: 'remove'; path: string };

export interface ExpectedIssue {
  severity: 'fatal' | 'error' | 'warning' | 'information';
  expression: string;
  id?: string;
  /** The line the issue is located on, for a fixture given as text. */
  line?: number;
  /** Why our validator does not report this yet; the expectation is then a todo, not a failure. */
  pending?: string;
}

export interface Fixture {
  description: string;
  /** A project-relative path to an IG example that `patch` breaks. */
  base?: string;
  patch?: PatchOperation[];
  resource?: Record<string, unknown>;
  text?: string;
  profiles?: string[];
  /**
   * Conformance resources the fixture needs and the IG lacks (StructureDefinitions, a differential
   * being enough; ValueSets; CodeSystems). The fixture then runs on a validator of its own.
   */
  definitions?: Record<string, unknown>[];
  /**
   * The valid twin of a broken fixture: the same shape, but within the rule. It must validate with no
   * error or fatal issue; `expect` may still list the warnings or information it must carry.
   */
  valid?: true;
  /** The errors (and fatal issues) reported are exactly those expected: one fault, one issue. */
  exact?: true;
  expect: ExpectedIssue[];
}

export interface LoadedFixture {
  /** `folder/name`, without `.json`. */
  name: string;
  fixture: Fixture;
}

export function loadFixtures(root: string = FIXTURE_ROOT): LoadedFixture[] {
  const loaded: LoadedFixture[] = [];
  for (const folder of readdirSync(root, { withFileTypes: true })) {
    if (!folder.isDirectory()) continue;
    for (const file of readdirSync(join(root, folder.name)).sort()) {
      if (!file.endsWith('.json')) continue;
      const fixture = JSON.parse(readFileSync(join(root, folder.name, file), 'utf8')) as Fixture;
      loaded.push({ name: `${folder.name}/${file.slice(0, -'.json'.length)}`, fixture });
    }
  }
  return loaded.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function readBase(base: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(PROJECT_ROOT, base), 'utf8')) as Record<string, unknown>;
}

/** A JSON Pointer (RFC 6901) split into unescaped tokens. */
function pointerTokens(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new Error(`not a JSON Pointer: ${pointer}`);
  return pointer
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function arrayIndex(token: string, array: unknown[], allowEnd: boolean): number {
  if (allowEnd && token === '-') return array.length;
  if (!/^(0|[1-9][0-9]*)$/.test(token)) throw new Error(`not an array index: ${token}`);
  const index = Number(token);
  if (index > array.length || (!allowEnd && index === array.length))
    throw new Error(`array index out of range: ${token}`);
  return index;
}

/** Applies add, remove and replace (RFC 6902) to a deep copy of the document. */
export function applyPatch(document: unknown, operations: PatchOperation[]): unknown {
  let root: unknown = structuredClone(document);
  for (const operation of operations) {
    const tokens = pointerTokens(operation.path);
    const last = tokens.pop();
    if (last === undefined) {
      if (operation.op === 'remove') throw new Error('cannot remove the whole document');
      root = structuredClone(operation.value);
      continue;
    }
    let parent: unknown = root;
    for (const token of tokens) {
      if (Array.isArray(parent)) parent = parent[arrayIndex(token, parent, false)];
      else if (typeof parent === 'object' && parent !== null && Object.hasOwn(parent, token))
        parent = (parent as Record<string, unknown>)[token];
      else throw new Error(`no such path: ${operation.path}`);
    }
    if (Array.isArray(parent)) {
      const index = arrayIndex(last, parent, operation.op === 'add');
      if (operation.op === 'add') parent.splice(index, 0, structuredClone(operation.value));
      else if (operation.op === 'remove') parent.splice(index, 1);
      else parent[index] = structuredClone(operation.value);
    } else if (typeof parent === 'object' && parent !== null) {
      const record = parent as Record<string, unknown>;
      if (operation.op !== 'add' && !Object.hasOwn(record, last))
        throw new Error(`no such path: ${operation.path}`);
      if (operation.op === 'remove') delete record[last];
      else record[last] = structuredClone(operation.value);
    } else throw new Error(`no such path: ${operation.path}`);
  }
  return root;
}

/** What the fixture hands to the validator: raw text, or a resource. */
export function fixtureInput(fixture: Fixture): string | object {
  if (fixture.text !== undefined) return fixture.text;
  if (fixture.resource !== undefined) return fixture.resource;
  if (fixture.base !== undefined) return applyPatch(readBase(fixture.base), fixture.patch ?? []) as object;
  throw new Error('a fixture needs text, resource, or base');
}

let shared: Validator | undefined;

/** The validator for core and the IG, built once: most fixtures need nothing more. */
export function sharedValidator(): Validator {
  shared ??= createValidator({ igs: [IG_RESOURCES] });
  return shared;
}

/** The validator a fixture runs on: the shared one, or one that also holds the fixture's definitions. */
export function validatorFor(fixture: Fixture): Validator {
  if (fixture.definitions === undefined) return sharedValidator();
  const registry = DefinitionRegistry.withCore();
  registry.addPackage(IG_RESOURCES);
  for (const definition of fixture.definitions) registry.addResource(definition, 'fixture');
  return new Validator(registry);
}

/** Validates a fixture's input against its profiles, on the validator the fixture calls for. */
export function validateFixture(fixture: Fixture): ValidationIssue[] {
  return validatorFor(fixture).validateDetailed(fixtureInput(fixture), { profiles: fixture.profiles ?? [] })
    .issues;
}
