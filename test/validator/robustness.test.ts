/**
 * The validator never throws and always answers with an OperationOutcome, whatever it is given: random
 * values, random text, real resources mutated in every way a careless or hostile client could, nesting a
 * hundred thousand levels deep, and megabytes of data. Each input also has to come back within a time
 * limit and leave Object.prototype as it found it (no prototype pollution through `__proto__` keys).
 *
 * A failing property prints fast-check's seed and counterexample; set ROBUSTNESS_SEED to replay a run.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readInventory } from '../../harness/ig/inventory.js';
import { fhirCachePaths, igPaths } from '../../harness/paths.js';
import { createValidator, MESSAGE_ID_EXTENSION, type Validator } from '../../harness/validator/index.js';

const HL7_TEST_INPUTS = join(igPaths().root, '..', 'shared', 'fhir-test-cases', 'validator');
const CORE_PACKAGE = join(fhirCachePaths().packages, 'hl7.fhir.r4.core#4.0.1', 'package');

/** Per call: the random and mutated inputs, then the deliberately huge ones. */
const CALL_LIMIT_MS = 2_000;
const HUGE_CALL_LIMIT_MS = 5_000;
/** Per `it`: generous, so that a slow machine reports the slow call rather than a vitest timeout. */
const PROPERTY_TIMEOUT_MS = 180_000;
const seed = process.env.ROBUSTNESS_SEED === undefined ? undefined : Number(process.env.ROBUSTNESS_SEED);

/** Run counts per generator, tuned so the whole file stays under a minute on two cores. */
const RUNS = {
  anythingObject: 1_500,
  jsonValueObject: 1_000,
  randomResourceObject: 1_000,
  randomResourceText: 500,
  stringText: 1_000,
  fullUnicodeText: 1_000,
  jsonValueText: 500,
  mutatedObject: 2_000,
  mutatedText: 1_500,
  mutatedLargeObject: 10,
  mutatedLargeText: 10,
  hostileObject: 300,
};

/**
 * A seed whose unmutated validation takes longer than this, or whose JSON is longer, goes to the "large
 * seeds" pool, which gets few runs: mutating and copying a megabyte bundle costs more than validating it.
 */
const LARGE_SEED_MS = 40;
const LARGE_SEED_CHARS = 50_000;

// The R4 issue-type codes (http://hl7.org/fhir/issue-type) and issue severities.
const ISSUE_SEVERITIES = new Set(['fatal', 'error', 'warning', 'information']);
const ISSUE_CODES = new Set([
  'invalid',
  'structure',
  'required',
  'value',
  'invariant',
  'security',
  'login',
  'unknown',
  'expired',
  'forbidden',
  'suppressed',
  'processing',
  'not-supported',
  'duplicate',
  'multiple-matches',
  'not-found',
  'deleted',
  'too-long',
  'code-invalid',
  'extension',
  'too-costly',
  'business-rule',
  'conflict',
  'transient',
  'lock-error',
  'no-store',
  'exception',
  'timeout',
  'incomplete',
  'throttled',
  'informational',
]);

/** Keys that reach into prototypes or otherwise confuse code that indexes plain objects by name. */
const DANGEROUS_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  '_',
  'resourceType',
  'toString',
  'valueOf',
  'hasOwnProperty',
  '__defineGetter__',
  'length',
  '',
  ' ',
  '_resourceType',
  'value',
  'value[x]',
  'extension',
  'modifierExtension',
  'id',
  'meta',
];

// ---------------------------------------------------------------------------------------------------
// Checking one call

interface Seed {
  name: string;
  resource: Record<string, unknown>;
}

interface Stats {
  inputs: number;
  totalMs: number;
  slowestMs: number;
  slowestLabel: string;
  byGenerator: Map<string, { inputs: number; ms: number }>;
  /** Inputs that only the validator's last-resort catch turned into an outcome. */
  faults: { label: string; text: string; input: string }[];
}

const stats: Stats = {
  inputs: 0,
  totalMs: 0,
  slowestMs: 0,
  slowestLabel: '',
  byGenerator: new Map(),
  faults: [],
};

let validator: Validator;

/** Object.prototype's own properties and their values, to notice pollution. */
function prototypeSnapshot(): Map<string | symbol, unknown> {
  const snapshot = new Map<string | symbol, unknown>();
  for (const key of Reflect.ownKeys(Object.prototype)) {
    const descriptor = Object.getOwnPropertyDescriptor(Object.prototype, key);
    snapshot.set(key, descriptor?.value ?? descriptor?.get);
  }
  return snapshot;
}

const PROTOTYPE_BEFORE = prototypeSnapshot();

/** The pollution found, undone so that one failure does not poison every later test. */
function pollutionSince(before: Map<string | symbol, unknown>): string[] {
  const found: string[] = [];
  const after = prototypeSnapshot();
  for (const [key, value] of after) {
    if (!before.has(key)) {
      found.push(`added Object.prototype[${String(key)}]`);
      delete (Object.prototype as Record<string | symbol, unknown>)[key];
    } else if (before.get(key) !== value) found.push(`changed Object.prototype[${String(key)}]`);
  }
  for (const key of before.keys())
    if (!after.has(key)) found.push(`removed Object.prototype[${String(key)}]`);
  return found;
}

/** What is wrong with an answer that should be an OperationOutcome; empty when it is one. */
function outcomeProblems(outcome: unknown): string[] {
  if (typeof outcome !== 'object' || outcome === null) return [`not an object: ${typeof outcome}`];
  const record = outcome as Record<string, unknown>;
  const problems: string[] = [];
  if (record.resourceType !== 'OperationOutcome')
    problems.push(`resourceType ${String(record.resourceType)}`);
  if (!Array.isArray(record.issue) || record.issue.length === 0) return [...problems, 'no issue array'];
  record.issue.forEach((item: unknown, index) => {
    const entry = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    const details = entry.details as { text?: unknown } | undefined;
    if (!ISSUE_SEVERITIES.has(entry.severity as string))
      problems.push(`issue[${index}].severity ${String(entry.severity)}`);
    if (!ISSUE_CODES.has(entry.code as string)) problems.push(`issue[${index}].code ${String(entry.code)}`);
    if (typeof details?.text !== 'string') problems.push(`issue[${index}].details.text missing`);
  });
  try {
    JSON.stringify(outcome);
  } catch (error) {
    problems.push(`not serialisable: ${String(error)}`);
  }
  return problems;
}

function messageIds(outcome: fhir4.OperationOutcome): string[] {
  return outcome.issue.map(
    (item) => item.extension?.find((extension) => extension.url === MESSAGE_ID_EXTENSION)?.valueString ?? '',
  );
}

/** The start of an input, for the summary. */
function preview(input: unknown): string {
  try {
    const text = typeof input === 'string' ? input : (JSON.stringify(input) ?? String(input));
    return text.length > 300 ? `${text.slice(0, 300)}...` : text;
  } catch {
    return '(not serialisable)';
  }
}

function describeError(error: unknown): string {
  try {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  } catch {
    return '(an unprintable value)';
  }
}

/**
 * Validates one input and throws (failing the property) when the validator threw, answered with something
 * other than an OperationOutcome, took too long or polluted Object.prototype.
 */
function check(
  generator: string,
  label: string,
  input: unknown,
  profiles: string[] = [],
  limitMs = CALL_LIMIT_MS,
): fhir4.OperationOutcome {
  const before = PROTOTYPE_BEFORE;
  const started = performance.now();
  let outcome: fhir4.OperationOutcome | undefined;
  let thrown: { error: unknown } | undefined;
  try {
    // Deliberately any JavaScript value, not only `string | object`: callers in plain JS can pass anything.
    outcome = validator.validate(input as string | object, { profiles });
  } catch (error) {
    thrown = { error };
  }
  const elapsed = performance.now() - started;

  stats.inputs++;
  stats.totalMs += elapsed;
  const entry = stats.byGenerator.get(generator) ?? { inputs: 0, ms: 0 };
  entry.inputs++;
  entry.ms += elapsed;
  stats.byGenerator.set(generator, entry);
  if (elapsed > stats.slowestMs) {
    stats.slowestMs = elapsed;
    stats.slowestLabel = `${generator}: ${label}`;
  }

  const pollution = pollutionSince(before);
  if (thrown) throw new Error(`${label}: validate threw ${describeError(thrown.error)}`);
  if (pollution.length > 0) throw new Error(`${label}: prototype pollution: ${pollution.join(', ')}`);
  const problems = outcomeProblems(outcome);
  if (problems.length > 0) throw new Error(`${label}: not an OperationOutcome: ${problems.join('; ')}`);
  if (elapsed > limitMs) throw new Error(`${label}: took ${Math.round(elapsed)} ms (limit ${limitMs} ms)`);
  const result = outcome as fhir4.OperationOutcome;
  const faultAt = messageIds(result).indexOf('STRUCT_VALIDATOR_FAULT');
  if (faultAt !== -1 && stats.faults.length < 50)
    stats.faults.push({
      label: `${generator}: ${label}`,
      text: result.issue[faultAt]?.details?.text ?? '',
      input: preview(input),
    });
  return result;
}

function assertProperty<T>(arbitrary: fc.Arbitrary<T>, numRuns: number, predicate: (value: T) => void): void {
  fc.assert(
    fc.property(arbitrary, (value) => {
      predicate(value);
    }),
    // The time limit bounds shrinking too, which re-runs slow inputs many times.
    {
      numRuns,
      interruptAfterTimeLimit: PROPERTY_TIMEOUT_MS / 2,
      markInterruptAsFailure: true,
      ...(seed === undefined ? {} : { seed }),
    },
  );
}

function hasErrorOrFatal(outcome: fhir4.OperationOutcome): boolean {
  return outcome.issue.some((item) => item.severity === 'error' || item.severity === 'fatal');
}

// ---------------------------------------------------------------------------------------------------
// Seeds: the IG's example instances and the HL7 validator test inputs

const seeds: Seed[] = [];
const smallSeeds: Seed[] = [];
const largeSeeds: Seed[] = [];
let resourceTypes: string[] = [];
let igProfiles: string[] = [];
let igExtensions: string[] = [];
/** Every property name found in the seeds, so random resources use realistic element names. */
let knownKeys: string[] = [];

function loadSeeds(): void {
  const resourcesDir = igPaths().generatedResources;
  if (existsSync(resourcesDir)) {
    const inventory = readInventory(resourcesDir);
    for (const resource of inventory.instances) {
      seeds.push({
        name: `ig:${resource.resourceType}/${resource.id}`,
        resource: resource as unknown as Record<string, unknown>,
      });
    }
    igProfiles = inventory.profiles.map((profile) => profile.url);
    igExtensions = inventory.extensions.map((extension) => extension.url);
  }
  if (existsSync(HL7_TEST_INPUTS)) {
    for (const name of readdirSync(HL7_TEST_INPUTS).sort()) {
      if (!name.endsWith('.json')) continue;
      try {
        const value: unknown = JSON.parse(
          readFileSync(join(HL7_TEST_INPUTS, name), 'utf8').replace(/^\uFEFF/, ''),
        );
        if (isPlainObject(value)) seeds.push({ name: `hl7:${name}`, resource: value });
      } catch {
        // A test input that is deliberately not JSON is no seed for object mutations.
      }
    }
  }
  const index = JSON.parse(readFileSync(join(CORE_PACKAGE, '.index.json'), 'utf8')) as {
    files: { resourceType: string; kind?: string; type?: string; url?: string }[];
  };
  resourceTypes = index.files
    .filter(
      (file) =>
        file.resourceType === 'StructureDefinition' &&
        file.kind === 'resource' &&
        file.url === `http://hl7.org/fhir/StructureDefinition/${file.type}`,
    )
    .map((file) => file.type as string)
    .sort();
  const keys = new Set<string>();
  for (const { resource } of seeds) for (const { path } of nodes(resource)) collectKey(keys, path);
  knownKeys = [...keys].sort();
}

function collectKey(keys: Set<string>, path: Path): void {
  const last = path.at(-1);
  if (typeof last === 'string' && last.length < 40) keys.add(last);
}

// ---------------------------------------------------------------------------------------------------
// Paths into a JSON value

type Path = (string | number)[];

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every node of a value with its path, depth first, without recursion; at most `limit` nodes. */
function nodes(root: unknown, limit = 50_000): { path: Path; value: unknown }[] {
  const found: { path: Path; value: unknown }[] = [];
  const stack: { path: Path; value: unknown }[] = [{ path: [], value: root }];
  while (stack.length > 0 && found.length < limit) {
    const node = stack.pop() as { path: Path; value: unknown };
    found.push(node);
    if (Array.isArray(node.value)) {
      node.value.forEach((child, index) => stack.push({ path: [...node.path, index], value: child }));
    } else if (isPlainObject(node.value)) {
      for (const key of Object.keys(node.value)) {
        stack.push({ path: [...node.path, key], value: node.value[key] });
      }
    }
  }
  return found;
}

function valueAt(root: unknown, path: Path): unknown {
  let current = root;
  for (const step of path) current = (current as Record<string | number, unknown>)[step];
  return current;
}

/** Sets an own property, even one named `__proto__`, the way JSON.parse does. */
function defineKey(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** The root after putting `value` at `path`. */
function setAt(root: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const parent = valueAt(root, path.slice(0, -1));
  const key = path[path.length - 1] as string | number;
  if (Array.isArray(parent)) parent[key as number] = value;
  else defineKey(parent as Record<string, unknown>, String(key), value);
  return root;
}

function deleteAt(root: unknown, path: Path): unknown {
  if (path.length === 0) return root;
  const parent = valueAt(root, path.slice(0, -1));
  const key = path[path.length - 1] as string | number;
  if (Array.isArray(parent)) parent.splice(key as number, 1);
  else delete (parent as Record<string, unknown>)[key as string];
  return root;
}

function pick<T>(items: T[], index: number): T | undefined {
  return items.length === 0 ? undefined : items[index % items.length];
}

// ---------------------------------------------------------------------------------------------------
// Nasty values. Big or built values are recipes, so a counterexample prints as a name, not 10 MB.

class Special {
  constructor(readonly name: string) {}
  [fc.toStringMethod](): string {
    return `Special(${this.name})`;
  }
}

/** Extensions in extensions, `depth` JSON levels deep (each level is an object and an array). */
function nestedObject(depth: number): unknown {
  let value: unknown = { url: 'leaf' };
  for (let level = 2; level < depth; level += 2) value = { url: `level${level}`, extension: [value] };
  return value;
}

function nestedArray(depth: number): unknown {
  let value: unknown = [];
  for (let level = 1; level < depth; level++) value = [value];
  return value;
}

const SPECIAL_JSON: Record<string, () => unknown> = {
  'string 1 MB': () => 'x'.repeat(1_000_000),
  'digits 100 k': () => '1'.repeat(100_000),
  'spaced 100 k': () => 'a '.repeat(50_000) + '  ',
  'base64-ish 200 k': () => 'QUJD'.repeat(50_000) + '=',
  'date-ish 50 k': () => '2020-01-01T'.repeat(5_000),
  'array of 5000 nulls': () => Array.from({ length: 5_000 }, () => null),
  'array of 2000 objects': () => Array.from({ length: 2_000 }, (_, index) => ({ id: `i${index}` })),
  // Around the validator's depth limit of 1000; deeper values would overflow this test's own
  // structuredClone and JSON.stringify (the 100,000-level cases below are built without them).
  'object nested 20': () => nestedObject(20),
  'object nested 990': () => nestedObject(990),
  'object nested 1010': () => nestedObject(1_010),
  'object nested 2000': () => nestedObject(2_000),
  'array nested 1010': () => nestedArray(1_010),
  'object with 2000 keys': () => Object.fromEntries(Array.from({ length: 2_000 }, (_, i) => [`k${i}`, i])),
};

const specialJsonArb = fc.constantFrom(...Object.keys(SPECIAL_JSON)).map((name) => new Special(name));

const odditiesArb = fc.constantFrom<unknown>(
  null,
  [],
  {},
  [null],
  [[]],
  [{}],
  1e308,
  -1e308,
  -0,
  5e-324,
  2 ** 53 + 1,
  0.1 + 0.2,
  '',
  ' ',
  '\u0000',
  '\uD800',
  '\uFEFF',
  '<div xmlns="http://www.w3.org/1999/xhtml"><script>x</script></div>',
  'urn:uuid:00000000-0000-0000-0000-000000000000',
  '2020-02-30',
  '#',
  'Patient/',
  true,
  false,
);

/** Any JSON value, from ordinary to hostile. */
const nastyJsonArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 3, arbitrary: odditiesArb },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: specialJsonArb },
);

/** Resolves recipes into values, building every value fresh, so no two places share one object. */
function materialize(value: unknown): unknown {
  if (value instanceof Special) return SPECIAL_JSON[value.name]?.();
  if (Array.isArray(value)) return value.map(materialize);
  if (isPlainObject(value)) {
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(value)) defineKey(copy, key, materialize(value[key]));
    return copy;
  }
  return value;
}

// ---------------------------------------------------------------------------------------------------
// Mutations of real resources

type Mutation =
  | { kind: 'delete'; at: number }
  | { kind: 'replace'; at: number; value: unknown }
  | { kind: 'rename'; at: number; name: string }
  | { kind: 'duplicate-item'; at: number; item: number }
  | { kind: 'wrap-in-array'; at: number }
  | { kind: 'unwrap-array'; at: number }
  | { kind: 'resource-type'; at: number; value: unknown }
  | { kind: 'inject'; at: number; name: string; value: unknown }
  | { kind: 'meta-profile'; profiles: unknown[]; asValue: boolean }
  | { kind: 'extension'; at: number; url: unknown; valueKey: string; value: unknown; modifier: boolean }
  | { kind: 'contained'; seed: number; asValue: boolean }
  | { kind: 'bundle-entry'; bundleType: unknown; fullUrl: unknown; request: unknown };

function mutationArb(): fc.Arbitrary<Mutation> {
  const at = fc.nat();
  const keyName = fc.oneof(
    fc.constantFrom(...DANGEROUS_KEYS),
    fc.constantFrom(...knownKeys),
    fc.string({ maxLength: 12 }),
  );
  const typeValue = fc.oneof(
    fc.constantFrom<unknown>(...resourceTypes),
    fc.constantFrom<unknown>(
      'Resource',
      'DomainResource',
      'Element',
      'HumanName',
      'Extension',
      'patient',
      '',
    ),
    nastyJsonArb,
  );
  const url = fc.oneof(
    fc.constantFrom<unknown>(...igProfiles, ...igExtensions),
    fc.webUrl(),
    fc.string({ maxLength: 20 }),
    nastyJsonArb,
  );
  const valueKey = fc.constantFrom(
    'valueString',
    'valueBoolean',
    'valueCode',
    'valueCodeableConcept',
    'valueReference',
    'valueDecimal',
    'valueInteger',
    'valueDate',
    'valueQuantity',
    'valueFoo',
    'value',
    'value[x]',
    '_valueString',
    'extension',
  );
  return fc.oneof(
    fc.record({ kind: fc.constant('delete' as const), at }),
    fc.record({ kind: fc.constant('replace' as const), at, value: nastyJsonArb }),
    fc.record({ kind: fc.constant('rename' as const), at, name: keyName }),
    fc.record({ kind: fc.constant('duplicate-item' as const), at, item: fc.nat() }),
    fc.record({ kind: fc.constant('wrap-in-array' as const), at }),
    fc.record({ kind: fc.constant('unwrap-array' as const), at }),
    fc.record({ kind: fc.constant('resource-type' as const), at, value: typeValue }),
    fc.record({ kind: fc.constant('inject' as const), at, name: keyName, value: nastyJsonArb }),
    fc.record({
      kind: fc.constant('meta-profile' as const),
      profiles: fc.array(url, { maxLength: 3 }),
      asValue: fc.boolean(),
    }),
    fc.record({
      kind: fc.constant('extension' as const),
      at,
      url,
      valueKey,
      value: nastyJsonArb,
      modifier: fc.boolean(),
    }),
    fc.record({ kind: fc.constant('contained' as const), seed: fc.nat(), asValue: fc.boolean() }),
    fc.record({
      kind: fc.constant('bundle-entry' as const),
      bundleType: fc.oneof(
        fc.constantFrom<unknown>('collection', 'transaction', 'batch', 'searchset', 'document', 'message'),
        nastyJsonArb,
      ),
      fullUrl: fc.oneof(
        fc.constant(undefined),
        fc.uuid().map((uuid) => `urn:uuid:${uuid}`),
        url,
      ),
      request: fc.oneof(
        fc.constant(undefined),
        fc.record({ method: fc.constantFrom<unknown>('POST', 'PUT', 'GET', 'DELETE', 'BOGUS', 1), url }),
      ),
    }),
  );
}

/** The root after one mutation; the root is always a fresh copy the mutation may change in place. */
function mutate(root: unknown, mutation: Mutation): unknown {
  const all = nodes(root);
  const inner = all.filter((node) => node.path.length > 0);
  const objects = all.filter((node) => isPlainObject(node.value));
  switch (mutation.kind) {
    case 'delete': {
      const node = pick(inner, mutation.at);
      return node ? deleteAt(root, node.path) : root;
    }
    case 'replace': {
      const node = pick(inner, mutation.at);
      return node ? setAt(root, node.path, materialize(mutation.value)) : root;
    }
    case 'rename': {
      const node = pick(
        inner.filter((candidate) => typeof candidate.path.at(-1) === 'string'),
        mutation.at,
      );
      if (!node) return root;
      const parentPath = node.path.slice(0, -1);
      const parent = valueAt(root, parentPath) as Record<string, unknown>;
      const renamed: Record<string, unknown> = {};
      for (const key of Object.keys(parent)) {
        defineKey(renamed, key === node.path.at(-1) ? mutation.name : key, parent[key]);
      }
      return setAt(root, parentPath, renamed);
    }
    case 'duplicate-item': {
      const node = pick(
        all.filter((candidate) => Array.isArray(candidate.value) && candidate.value.length > 0),
        mutation.at,
      );
      if (!node) return root;
      const array = node.value as unknown[];
      const index = mutation.item % array.length;
      // The same value twice (not a copy: structuredClone overflows on the deeply nested specials).
      array.splice(index, 0, array[index]);
      return root;
    }
    case 'wrap-in-array': {
      const node = pick(inner, mutation.at);
      return node ? setAt(root, node.path, [node.value]) : root;
    }
    case 'unwrap-array': {
      const node = pick(
        all.filter((candidate) => Array.isArray(candidate.value)),
        mutation.at,
      );
      if (!node) return root;
      const array = node.value as unknown[];
      return array.length > 0 ? setAt(root, node.path, array[0]) : deleteAt(root, node.path);
    }
    case 'resource-type': {
      const withType = objects.filter(
        (candidate) => candidate.path.length === 0 || 'resourceType' in (candidate.value as object),
      );
      const node = pick(withType, mutation.at);
      if (node) defineKey(node.value as Record<string, unknown>, 'resourceType', materialize(mutation.value));
      return root;
    }
    case 'inject': {
      const node = pick(objects, mutation.at);
      if (node) defineKey(node.value as Record<string, unknown>, mutation.name, materialize(mutation.value));
      return root;
    }
    case 'meta-profile': {
      if (!isPlainObject(root)) return root;
      const profiles = materialize(mutation.profiles);
      const meta = isPlainObject(root.meta) ? root.meta : {};
      defineKey(meta, 'profile', mutation.asValue ? (profiles as unknown[])[0] : profiles);
      defineKey(root, 'meta', meta);
      return root;
    }
    case 'extension': {
      const node = pick(objects, mutation.at);
      if (!node) return root;
      const target = node.value as Record<string, unknown>;
      const name = mutation.modifier ? 'modifierExtension' : 'extension';
      const extension: Record<string, unknown> = {};
      defineKey(extension, 'url', materialize(mutation.url));
      defineKey(extension, mutation.valueKey, materialize(mutation.value));
      const existing = target[name];
      defineKey(target, name, Array.isArray(existing) ? [...existing, extension] : [extension]);
      return root;
    }
    case 'contained': {
      if (!isPlainObject(root)) return root;
      const other = pick(smallSeeds, mutation.seed);
      if (!other) return root;
      const copy = structuredClone(other.resource);
      const existing = root.contained;
      defineKey(
        root,
        'contained',
        mutation.asValue ? copy : Array.isArray(existing) ? [...existing, copy] : [copy],
      );
      return root;
    }
    case 'bundle-entry': {
      const entry: Record<string, unknown> = { resource: root };
      if (mutation.fullUrl !== undefined) entry.fullUrl = materialize(mutation.fullUrl);
      if (mutation.request !== undefined) entry.request = materialize(mutation.request);
      return { resourceType: 'Bundle', type: materialize(mutation.bundleType), entry: [entry] };
    }
  }
}

function mutatedSeed(pool: Seed[], index: number, mutations: Mutation[]): { name: string; value: unknown } {
  const chosen = pool[index % pool.length] as Seed;
  let value: unknown = structuredClone(chosen.resource);
  for (const mutation of mutations) value = mutate(value, mutation);
  return { name: chosen.name, value };
}

// ---------------------------------------------------------------------------------------------------
// Text mutations

type TextMutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'delete-range'; at: number; length: number }
  | { kind: 'bom'; at: number; where: 'start' | 'twice' | 'inside' }
  | { kind: 'duplicate-key'; at: number; value: string }
  | { kind: 'number-literal'; at: number; literal: string };

/** Any UTF-16 code unit, lone surrogates included. */
const codeUnitString = fc.string({
  unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
  maxLength: 8,
});

const textMutationArb: fc.Arbitrary<TextMutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(
      codeUnitString,
      fc.string({ unit: 'binary', maxLength: 8 }),
      fc.constantFrom('"', '{', '}', '[', ']', ',', ':', '\\', '\\u', '\\ud800', '/*', '//', '\u0000', 'NaN'),
    ),
  }),
  fc.record({
    kind: fc.constant('delete-range' as const),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 20 }),
  }),
  fc.record({
    kind: fc.constant('bom' as const),
    at: fc.nat(),
    where: fc.constantFrom('start' as const, 'twice' as const, 'inside' as const),
  }),
  fc.record({
    kind: fc.constant('duplicate-key' as const),
    at: fc.nat(),
    value: fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.stringify(value) ?? 'null'),
  }),
  fc.record({
    kind: fc.constant('number-literal' as const),
    at: fc.nat(),
    literal: fc.constantFrom(
      '1e999',
      '-1e-999',
      '-0',
      '1E+308',
      '1' + '0'.repeat(400),
      '0.' + '0'.repeat(400) + '1',
      '00',
      '01',
      '1.',
      '.5',
      '+1',
      'NaN',
      'Infinity',
      '0x10',
      '1e',
      '9007199254740993',
    ),
  }),
);

function mutateText(text: string, mutation: TextMutation): string {
  const at = mutation.at % (text.length + 1);
  switch (mutation.kind) {
    case 'truncate':
      return text.slice(0, at);
    case 'insert':
      return text.slice(0, at) + mutation.text + text.slice(at);
    case 'delete-range':
      return text.slice(0, at) + text.slice(at + mutation.length);
    case 'bom':
      if (mutation.where === 'start') return '\uFEFF' + text;
      if (mutation.where === 'twice') return '\uFEFF\uFEFF' + text;
      return text.slice(0, at) + '\uFEFF' + text.slice(at);
    case 'duplicate-key': {
      // Insert `"key": value,` in front of an existing key, so the object holds that key twice.
      const keys = [...text.matchAll(/"((?:[^"\\]|\\.)*)"\s*:/g)];
      const key = pick(keys, mutation.at);
      if (!key || key.index === undefined) return text;
      return `${text.slice(0, key.index)}"${key[1]}": ${mutation.value}, ${text.slice(key.index)}`;
    }
    case 'number-literal': {
      const numbers = [...text.matchAll(/(?<=[:[,]\s*)-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g)];
      const number = pick(numbers, mutation.at);
      if (!number || number.index === undefined) return text.slice(0, at) + mutation.literal + text.slice(at);
      return text.slice(0, number.index) + mutation.literal + text.slice(number.index + number[0].length);
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Random resources: a real resourceType, element names seen in real resources, any values

function randomResourceArb(): fc.Arbitrary<Record<string, unknown>> {
  const key = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...knownKeys) },
    { weight: 2, arbitrary: fc.constantFrom(...DANGEROUS_KEYS) },
    { weight: 1, arbitrary: fc.string({ maxLength: 10 }) },
  );
  const scalar = fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constantFrom('2020-01-01', '2020-01-01T10:00:00Z', 'urn:uuid:0b0c8c54-4a36-4f0b-9c3e-3b4a2b1b9a4e'),
    fc.constantFrom(...resourceTypes.map((type) => `${type}/1`)),
    fc.constantFrom(...igProfiles, ...igExtensions, 'http://example.org'),
  );
  const { value } = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      scalar,
      fc.array(tie('value'), { maxLength: 3 }),
      fc.dictionary(key, tie('value'), { maxKeys: 4 }),
    ),
  }));
  return fc
    .tuple(fc.constantFrom(...resourceTypes), fc.dictionary(key, value, { maxKeys: 8 }))
    .map(([resourceType, body]) => {
      const resource: Record<string, unknown> = { resourceType };
      for (const name of Object.keys(body)) defineKey(resource, name, body[name]);
      return resource;
    });
}

// ---------------------------------------------------------------------------------------------------
// Hostile JavaScript values: not JSON at all, for callers that hand over whatever they have

const HOSTILE: Record<string, () => unknown> = {
  NaN: () => NaN,
  Infinity: () => Infinity,
  undefined: () => undefined,
  bigint: () => 10n,
  symbol: () => Symbol('x'),
  function: () => () => 1,
  date: () => new Date(NaN),
  map: () => new Map([['resourceType', 'Patient']]),
  'null prototype': () => Object.assign(Object.create(null) as object, { resourceType: 'Patient' }),
  cycle: () => {
    const cyclic: Record<string, unknown> = { resourceType: 'Patient' };
    cyclic.contained = [cyclic];
    return cyclic;
  },
  'getter that throws an Error': () =>
    Object.defineProperty({ resourceType: 'Patient' }, 'id', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    }),
  'getter that throws an unprintable value': () =>
    Object.defineProperty({ resourceType: 'Patient' }, 'id', {
      enumerable: true,
      get() {
        throw Object.create(null);
      },
    }),
  'proxy that throws on every trap': () =>
    new Proxy(
      {},
      {
        get() {
          throw new Error('trap');
        },
        ownKeys() {
          throw new Error('trap');
        },
        has() {
          throw new Error('trap');
        },
        getOwnPropertyDescriptor() {
          throw new Error('trap');
        },
        getPrototypeOf() {
          throw new Error('trap');
        },
      },
    ),
  'frozen resource': () => Object.freeze({ resourceType: 'Patient', name: Object.freeze([{ family: 'x' }]) }),
  'boxed string': () => new String('{"resourceType":"Patient"}'),
  'array with holes': () => ({ resourceType: 'Patient', name: [, { family: 'x' }] }), // eslint-disable-line no-sparse-arrays
  'sparse huge array': () => ({ resourceType: 'Patient', name: Object.assign([], { length: 1e6 }) }),
};

// ---------------------------------------------------------------------------------------------------

let fileStarted = 0;

beforeAll(() => {
  fileStarted = performance.now();
  validator = createValidator({
    igs: existsSync(igPaths().generatedResources) ? [igPaths().generatedResources] : [],
  });
  loadSeeds();
  // Warm up: compile every snapshot the seeds need, and sort the seeds by cost.
  for (const item of seeds) {
    validator.validate(item.resource);
    const started = performance.now();
    validator.validate(item.resource);
    const large =
      performance.now() - started > LARGE_SEED_MS || JSON.stringify(item.resource).length > LARGE_SEED_CHARS;
    (large ? largeSeeds : smallSeeds).push(item);
  }
}, PROPERTY_TIMEOUT_MS);

afterAll(() => {
  const lines = [...stats.byGenerator].map(
    ([name, entry]) => `  ${name}: ${entry.inputs} inputs, ${Math.round(entry.ms)} ms`,
  );
  console.log(
    [
      `robustness: ${stats.inputs} inputs in ${Math.round((performance.now() - fileStarted) / 1000)} s` +
        ` (${Math.round(stats.totalMs)} ms inside validate)` +
        ` (seeds: ${smallSeeds.length} small, ${largeSeeds.length} large; fast-check seed ${seed ?? 'random'})`,
      ...lines,
      `  slowest call: ${Math.round(stats.slowestMs)} ms (${stats.slowestLabel.slice(0, 200)})`,
      `  internal faults caught by the validator: ${stats.faults.length}`,
      ...stats.faults
        .slice(0, 10)
        .map(
          (fault) =>
            `    ${fault.label.slice(0, 200)} -> ${fault.text.slice(0, 200)}\n      input: ${fault.input}`,
        ),
    ].join('\n'),
  );
});

describe('validator robustness: random values', () => {
  it(
    'answers fc.anything() given as the input object',
    () => {
      const anything = fc.anything({
        withBigInt: true,
        withBoxedValues: true,
        withDate: true,
        withMap: true,
        withSet: true,
        withNullPrototype: true,
        withObjectString: true,
        withSparseArray: true,
        withTypedArray: true,
      });
      assertProperty(
        anything,
        RUNS.anythingObject,
        (value) => void check('anything as object', 'fc.anything', value),
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'answers fc.jsonValue() given as the input object and as its text',
    () => {
      assertProperty(fc.jsonValue(), RUNS.jsonValueObject, (value) => {
        check('jsonValue as object', 'fc.jsonValue', value);
      });
      assertProperty(fc.jsonValue(), RUNS.jsonValueText, (value) => {
        check('jsonValue as text', 'JSON.stringify(fc.jsonValue)', JSON.stringify(value) ?? 'null');
      });
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'answers fc.string() and full-Unicode strings given as the input text',
    () => {
      // fast-check 4 dropped fullUnicodeString; `unit: 'binary'` is its replacement (any code point).
      assertProperty(fc.string(), RUNS.stringText, (text) => void check('string as text', 'fc.string', text));
      assertProperty(
        fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), codeUnitString),
        RUNS.fullUnicodeText,
        (text) => void check('full Unicode string as text', 'fc.string(binary)', text),
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'answers random resources built from real element names, as objects and as text',
    () => {
      const profiles = fc.array(fc.oneof(fc.constantFrom(...igProfiles), fc.string({ maxLength: 10 })), {
        maxLength: 2,
      });
      assertProperty(
        fc.tuple(randomResourceArb(), profiles),
        RUNS.randomResourceObject,
        ([resource, urls]) => {
          check('random resource as object', `profiles ${JSON.stringify(urls)}`, resource, urls);
        },
      );
      assertProperty(randomResourceArb(), RUNS.randomResourceText, (resource) => {
        check('random resource as text', 'JSON.stringify(random resource)', JSON.stringify(resource));
      });
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'answers hostile JavaScript values that are no JSON at all',
    () => {
      const hostile = fc.tuple(fc.constantFrom(...Object.keys(HOSTILE)), fc.boolean(), fc.nat());
      assertProperty(hostile, RUNS.hostileObject, ([name, nested, at]) => {
        const value = (HOSTILE[name] as () => unknown)();
        if (!nested) return void check('hostile object', name, value);
        // The same value placed somewhere inside a real resource.
        const placed = mutatedSeed(smallSeeds, at, []);
        const inner = nodes(placed.value).filter((node) => node.path.length > 0);
        const target = pick(inner, at);
        const root = target ? setAt(placed.value, target.path, value) : placed.value;
        check('hostile object', `${name} inside ${placed.name} at ${target?.path.join('.')}`, root);
      });
    },
    PROPERTY_TIMEOUT_MS,
  );
});

describe('validator robustness: mutated real resources', () => {
  const mutations = () => fc.array(mutationArb(), { minLength: 1, maxLength: 4 });
  const profiles = () => fc.array(fc.constantFrom(...igProfiles), { maxLength: 1 });

  it(
    'answers mutated IG examples and HL7 test inputs given as objects',
    () => {
      expect(smallSeeds.length).toBeGreaterThan(0);
      const arbitrary = fc.record({ seed: fc.nat(), mutations: mutations(), profiles: profiles() });
      assertProperty(arbitrary, RUNS.mutatedObject, (run) => {
        const { name, value } = mutatedSeed(smallSeeds, run.seed, run.mutations);
        check('mutated resource as object', name, value, run.profiles);
      });
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'answers mutated IG examples and HL7 test inputs given as mutated JSON text',
    () => {
      const arbitrary = fc.record({
        seed: fc.nat(),
        mutations: fc.array(mutationArb(), { maxLength: 2 }),
        indent: fc.constantFrom(0, 2, '\t'),
        textMutations: fc.array(textMutationArb, { minLength: 1, maxLength: 3 }),
      });
      assertProperty(arbitrary, RUNS.mutatedText, (run) => {
        const { name, value } = mutatedSeed(smallSeeds, run.seed, run.mutations);
        let text = JSON.stringify(value, null, run.indent);
        for (const mutation of run.textMutations) text = mutateText(text, mutation);
        check('mutated resource as text', name, text);
      });
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'answers mutations of the large seeds (big bundles), as objects and as text',
    () => {
      if (largeSeeds.length === 0) return;
      const arbitrary = fc.record({ seed: fc.nat(), mutations: mutations(), textMutation: textMutationArb });
      assertProperty(arbitrary, RUNS.mutatedLargeObject, (run) => {
        const { name, value } = mutatedSeed(largeSeeds, run.seed, run.mutations);
        check('mutated large resource as object', name, value);
      });
      assertProperty(arbitrary, RUNS.mutatedLargeText, (run) => {
        const { name, value } = mutatedSeed(largeSeeds, run.seed, run.mutations);
        check('mutated large resource as text', name, mutateText(JSON.stringify(value), run.textMutation));
      });
    },
    PROPERTY_TIMEOUT_MS,
  );
});

// ---------------------------------------------------------------------------------------------------

const DEEP = 100_000;

/** `{resourceType: 'Patient', extension: [{url: 'x', extension: [...]}]}`, DEEP levels, built bottom up. */
function deepExtensionObject(): unknown {
  let value: unknown = { url: 'x' };
  for (let level = 1; level < DEEP; level++) value = { url: 'x', extension: [value] };
  return { resourceType: 'Patient', extension: [value] };
}

function deepExtensionText(): string {
  const open = '{"url":"x","extension":[';
  return `{"resourceType":"Patient","extension":[${open.repeat(DEEP - 1)}{"url":"x"}${']}'.repeat(DEEP - 1)}]}`;
}

describe('validator robustness: 100,000 levels of nesting', () => {
  const cases: [string, () => unknown][] = [
    ['nested extensions as an object', deepExtensionObject],
    ['nested extensions as text', deepExtensionText],
    ['a nested array as an object', () => nestedArray(DEEP)],
    ['a nested array as text', () => '['.repeat(DEEP) + ']'.repeat(DEEP)],
    [
      'a nested array inside a Patient, as an object',
      () => ({ resourceType: 'Patient', name: nestedArray(DEEP) }),
    ],
    [
      'a nested array inside a Patient, as text',
      () => `{"resourceType":"Patient","name":${'['.repeat(DEEP)}${']'.repeat(DEEP)}}`,
    ],
    [
      'unclosed nesting as text',
      () => '{"resourceType":"Patient","extension":' + '[{"extension":'.repeat(DEEP),
    ],
  ];

  it.each(cases)('rejects %s with an error, without a stack overflow', (name, build) => {
    const outcome = check('100,000 levels', name, build());
    expect(hasErrorOrFatal(outcome)).toBe(true);
  });
});

describe('validator robustness: huge inputs', () => {
  const TEN_MB = 10 * 1024 * 1024;
  const bigString = 'x'.repeat(TEN_MB);
  const identifiers = () =>
    Array.from({ length: 100_000 }, (_, index) => ({
      system: 'http://example.org/ids',
      value: `id-${index}`,
    }));
  const patientProfile = () => igProfiles.filter((url) => /patient/i.test(url)).slice(0, 1);

  const cases: [string, () => unknown, () => string[]][] = [
    ['a 10 MB family name', () => ({ resourceType: 'Patient', name: [{ family: bigString }] }), () => []],
    ['a 10 MB id', () => ({ resourceType: 'Patient', id: bigString }), () => []],
    ['a 10 MB code', () => ({ resourceType: 'Patient', gender: bigString }), () => []],
    ['a 10 MB uri', () => ({ resourceType: 'Patient', implicitRules: bigString }), () => []],
    ['a 10 MB date', () => ({ resourceType: 'Patient', birthDate: bigString }), () => []],
    [
      'a 10 MB base64Binary',
      () => ({ resourceType: 'Patient', photo: [{ data: 'QUJD'.repeat(TEN_MB / 4) }] }),
      () => [],
    ],
    [
      'a 10 MB narrative div',
      () => ({
        resourceType: 'Patient',
        text: {
          status: 'generated',
          div: `<div xmlns="http://www.w3.org/1999/xhtml">${'<p>x</p>'.repeat(TEN_MB / 8)}</div>`,
        },
      }),
      () => [],
    ],
    [
      'a 10 MB string, IG Patient profile',
      () => ({ resourceType: 'Patient', name: [{ family: bigString }] }),
      patientProfile,
    ],
    [
      '1,000,000 nulls in an array',
      () => ({ resourceType: 'Patient', name: Array.from({ length: 1_000_000 }, () => null) }),
      () => [],
    ],
    ['100,000 identifiers', () => ({ resourceType: 'Patient', identifier: identifiers() }), () => []],
    [
      '100,000 identifiers, IG Patient profile',
      () => ({ resourceType: 'Patient', identifier: identifiers() }),
      patientProfile,
    ],
  ];

  it.each(cases)('answers %s, as an object, within a few seconds', (name, build, profiles) => {
    check('huge input as object', name, build(), profiles(), HUGE_CALL_LIMIT_MS);
  });

  it.each(cases)('answers %s, as text, within a few seconds', (name, build, profiles) => {
    check('huge input as text', name, JSON.stringify(build()), profiles(), HUGE_CALL_LIMIT_MS);
  });
});

describe('validator robustness: the last-resort catch', () => {
  // Listed last: it reads what the properties above collected. A caught fault still answers, but means a
  // resource went unvalidated because of a bug, which the properties above cannot see.
  it('is never needed for JSON input (faults are listed in the summary)', () => {
    const jsonFaults = stats.faults.filter(
      (fault) => !fault.label.startsWith('hostile') && !fault.label.startsWith('anything'),
    );
    expect(jsonFaults).toEqual([]);
  });
});
