/**
 * Runs one test case through our validator: a fresh registry with the core package and the case's
 * definitions, then one validation of the input text. Tests bind other validators through
 * {@link ValidatorBinding}.
 */
import { DefinitionRegistry } from '../fhir/index.js';
import { isJsonObject } from '../json.js';
import { Validator } from '../validator/index.js';
import {
  readCases,
  readCaseText,
  readExpectedOutcome,
  readJsonFile,
  unscorableReason,
  type OracleCase,
  type Tier,
} from './cases.js';
import { scoreCase, type CaseRun, type CaseScore, type Severity } from './compare.js';

/** The part of harness/fhir's DefinitionRegistry the oracle uses. */
export interface DefinitionRegistryLike {
  addResource(resource: object): void;
  resolve(canonical: string): object | undefined;
}

/** The part of harness/validator's Validator the oracle uses. */
export interface ValidatorLike {
  validate(input: string | object, options?: { profiles?: string[] }): fhir4.OperationOutcome;
}

/** How the oracle makes a registry and a validator; tests supply their own. */
export interface ValidatorBinding {
  createRegistry(): DefinitionRegistryLike;
  createValidator(registry: DefinitionRegistryLike): ValidatorLike;
}

/**
 * Our validator, set as the HL7 validator is by default: an extension whose definition cannot be found
 * is an error there (outside the domains it is told to allow), where ours says warning by default.
 */
export const hl7DefaultsBinding: ValidatorBinding = {
  createRegistry: () => DefinitionRegistry.withCore(),
  createValidator: (registry) =>
    new Validator(registry as DefinitionRegistry, {
      unknownExtension: 'error',
      displayMismatch: 'error',
    }),
};

export interface RunOptions {
  /** Score cases whose options we cannot honour anyway (their results are then only indicative). */
  ignoreOptions?: boolean;
}

/** Runs one case; never throws: a fault of the validator or of the test files is a harness error. */
export function runCase(testCase: OracleCase, binding: ValidatorBinding, options: RunOptions = {}): CaseRun {
  const reason = unscorableReason(testCase, options);
  if (reason) return { status: 'notScored', reason };

  const expected = readExpectedOutcome(testCase);
  if (expected instanceof Error)
    return { status: 'harnessError', expected: undefined, message: expected.message };
  const input = readCaseText(testCase.file);
  if (input instanceof Error) return { status: 'harnessError', expected, message: input.message };

  const definitions: object[] = [];
  for (const file of testCase.definitionFiles) {
    const resource = readJsonFile(file);
    if (resource instanceof Error || !isJsonObject(resource))
      return { status: 'harnessError', expected, message: describeBadFile(file, resource) };
    definitions.push(resource);
  }
  const profiles: string[] = [];
  if (testCase.validateAgainst) {
    const profile = readJsonFile(testCase.validateAgainst);
    if (profile instanceof Error || !isJsonObject(profile))
      return {
        status: 'harnessError',
        expected,
        message: describeBadFile(testCase.validateAgainst, profile),
      };
    if (typeof profile.url !== 'string')
      return {
        status: 'harnessError',
        expected,
        message: `${testCase.validateAgainst}: the profile has no url`,
      };
    definitions.push(profile);
    profiles.push(profile.url);
  }

  try {
    const registry = binding.createRegistry();
    for (const resource of definitions) registry.addResource(resource);
    const validator = binding.createValidator(registry);
    const actual = validator.validate(input, profiles.length > 0 ? { profiles } : {});
    if (!isJsonObject(actual) || actual.resourceType !== 'OperationOutcome')
      return { status: 'harnessError', expected, message: 'the validator returned no OperationOutcome' };
    return { status: 'ran', expected, actual };
  } catch (error) {
    return { status: 'harnessError', expected, message: `validator threw: ${messageOf(error)}` };
  }
}

function describeBadFile(file: string, content: unknown): string {
  return content instanceof Error ? content.message : `${file}: not a JSON object`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export interface OracleRunOptions extends RunOptions {
  /** Only these tiers (all when absent). */
  tiers?: readonly Tier[];
  /** Only the case of this name. */
  caseName?: string;
  /** The severities whose (severity, expression) pairs are compared; errors and fatals by default. */
  severities?: readonly Severity[];
}

export interface CaseResult {
  testCase: OracleCase;
  run: CaseRun;
  score: CaseScore;
  /** Wall time of the run, in milliseconds. */
  millis: number;
}

export interface OracleResult {
  dir: string;
  source?: string;
  commit?: string;
  results: CaseResult[];
}

/** Runs the selected cases of a test-case folder; an Error only when the folder cannot be read. */
export function runOracle(
  dir: string,
  binding: ValidatorBinding,
  options: OracleRunOptions = {},
): OracleResult | Error {
  const caseFile = readCases(dir);
  if (caseFile instanceof Error) return caseFile;
  const selected = caseFile.cases.filter(
    (testCase) =>
      (!options.tiers || options.tiers.includes(testCase.tier)) &&
      (options.caseName === undefined || testCase.name === options.caseName),
  );
  const results = selected.map((testCase) => {
    const started = performance.now();
    const run = runCase(testCase, binding, options);
    const millis = performance.now() - started;
    return { testCase, run, score: scoreCase(testCase.name, testCase.tier, run, options.severities), millis };
  });
  return {
    dir,
    ...(caseFile.source !== undefined ? { source: caseFile.source } : {}),
    ...(caseFile.commit !== undefined ? { commit: caseFile.commit } : {}),
    results,
  };
}
