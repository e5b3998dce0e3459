/**
 * The HL7 validator's test cases, as described by a test-case folder's `cases.json` (a digest of the
 * upstream `validator/manifest.json`, reduced to the R4 cases we can run offline).
 *
 * How each field of a case is read:
 * - `file`: the instance to validate, relative to the folder. Only JSON is in scope.
 * - `mode`: `base` validates against the core specification (and whatever `meta.profile` asks for);
 *   `profile` is the upstream manifest's "profile" step: the same input, also validated against the
 *   StructureDefinition in `validateAgainst`. Upstream keys such a case as `<name>#profile`.
 * - `profiles`, `supporting`: definitions (StructureDefinitions, ValueSets, CodeSystems, an
 *   ImplementationGuide...) loaded into the registry before validating. Upstream, `profiles` is an alias
 *   of `supporting`; neither is validated against unless the input claims it in `meta.profile`.
 * - `validateAgainst`: a StructureDefinition file; it is loaded too, and its `url` goes in
 *   `options.profiles`.
 * - `options`: validator settings upstream. Those with no effect on the outcome are honoured (ignored);
 *   any other makes the case not scored, with the reason (see {@link OPTION_SUPPORT}).
 * - `needsTx`: the case needs terminology beyond the core package (tier C: local terminology only).
 * - `outcomeFile`: the Java validator's OperationOutcome; null means no issues are expected.
 * - `expectedErrorCount`, `expectedWarningCount`: digests of the outcome file (checked by a test).
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { isJsonObject } from '../json.js';

export const TIERS = ['A', 'B', 'B-snapgen', 'C'] as const;
export type Tier = (typeof TIERS)[number];

export type CaseMode = 'base' | 'profile';

export interface OracleCase {
  name: string;
  tier: Tier;
  mode: CaseMode;
  /** Absolute path of the input instance. */
  file: string;
  /** Absolute paths of definitions to load (`profiles` then `supporting`), without the target profile. */
  definitionFiles: string[];
  /** Absolute path of the StructureDefinition to validate against, when `mode` is `profile`. */
  validateAgainst: string | null;
  /** Absolute path of the expected OperationOutcome; null when no issues are expected. */
  outcomeFile: string | null;
  needsTx: boolean;
  options: Record<string, unknown>;
  description: string | null;
  expectedErrorCount: number;
  expectedWarningCount: number;
}

/**
 * What we do with each upstream option. `honoured` options make no difference to the outcome (or are
 * applied by the oracle); any option not listed here is unknown and, like an unsupported one, keeps
 * the case out of the scores.
 */
export const OPTION_SUPPORT: Record<string, { honoured: boolean; why: string }> = {
  'crumb-trail': { honoured: true, why: 'debugging output only; the outcome is the same' },
  debug: { honoured: true, why: 'debugging output only; the outcome is the same' },
  txLog: { honoured: true, why: 'a log of terminology calls; the outcome is the same' },
  validateReference: {
    honoured: false,
    why: 'reference policy (e.g. CHECK_EXISTS_AND_TYPE) has no setting in our validator',
  },
  fetcher: { honoured: false, why: 'the standalone fetcher resolves references over the network' },
  examples: { honoured: false, why: 'the example-URL policy has no setting in our validator' },
  'allowed-extension-domain': { honoured: false, why: 'allowed extension domains have no setting yet' },
  validateContains: { honoured: false, why: 'contained-resource validation policy has no setting yet' },
  'r5-bundle-relative-reference-policy': {
    honoured: false,
    why: 'the R5 bundle relative-reference policy has no setting in our validator',
  },
  tags: { honoured: false, why: 'terminology server tags need a remote terminology server' },
  sct: { honoured: false, why: 'a SNOMED CT edition needs a remote terminology server' },
};

/**
 * Why a case cannot be scored, or undefined when it can. With `ignoreOptions`, unsupported options are
 * overlooked (the scores are then only indicative for those cases).
 */
export function unscorableReason(
  testCase: OracleCase,
  { ignoreOptions = false }: { ignoreOptions?: boolean } = {},
): string | undefined {
  const inputs = [testCase.file, ...testCase.definitionFiles];
  if (testCase.validateAgainst) inputs.push(testCase.validateAgainst);
  const notJson = inputs.find((file) => !file.toLowerCase().endsWith('.json'));
  if (notJson) return `not JSON (only JSON cases are in scope): ${notJson}`;
  if (testCase.mode === 'profile' && !testCase.validateAgainst)
    return 'profile mode without a profile to validate against';
  if (ignoreOptions) return undefined;
  const reasons: string[] = [];
  for (const option of Object.keys(testCase.options)) {
    const support = OPTION_SUPPORT[option];
    if (!support) reasons.push(`option ${option}: unknown to the oracle`);
    else if (!support.honoured) reasons.push(`option ${option}: ${support.why}`);
  }
  return reasons.length > 0 ? reasons.join('; ') : undefined;
}

export interface CaseFile {
  source?: string;
  commit?: string;
  cases: OracleCase[];
}

/** Reads `cases.json` from a test-case folder; a malformed file is an Error naming the bad case. */
export function readCases(dir: string): CaseFile | Error {
  const manifestPath = join(dir, 'cases.json');
  if (!existsSync(manifestPath)) return new Error(`no cases.json in ${dir}`);
  const parsed = readJsonFile(manifestPath);
  if (parsed instanceof Error) return parsed;
  if (!isJsonObject(parsed) || !Array.isArray(parsed.cases))
    return new Error(`${manifestPath}: expected an object with a "cases" array`);
  const cases: OracleCase[] = [];
  for (const [index, raw] of parsed.cases.entries()) {
    const testCase = interpretCase(dir, raw);
    if (testCase instanceof Error) return new Error(`${manifestPath}: case ${index}: ${testCase.message}`);
    cases.push(testCase);
  }
  return {
    ...(typeof parsed.source === 'string' ? { source: parsed.source } : {}),
    ...(typeof parsed.commit === 'string' ? { commit: parsed.commit } : {}),
    cases,
  };
}

function interpretCase(dir: string, raw: unknown): OracleCase | Error {
  if (!isJsonObject(raw)) return new Error('not an object');
  const name = raw.name;
  if (typeof name !== 'string' || name === '') return new Error('no name');
  const fail = (what: string) => new Error(`${name}: ${what}`);
  const tier = raw.tier;
  if (typeof tier !== 'string' || !(TIERS as readonly string[]).includes(tier))
    return fail(`unknown tier ${JSON.stringify(tier)}`);
  const mode = raw.mode;
  if (mode !== 'base' && mode !== 'profile') return fail(`unknown mode ${JSON.stringify(mode)}`);
  if (typeof raw.file !== 'string') return fail('no file');
  const profiles = stringList(raw.profiles);
  const supporting = stringList(raw.supporting);
  if (!profiles || !supporting) return fail('profiles and supporting must be lists of file names');
  const optionalString = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);
  const options = raw.options ?? {};
  if (!isJsonObject(options)) return fail('options must be an object or null');
  const count = (value: unknown) => (typeof value === 'number' && Number.isInteger(value) ? value : 0);
  const resolve = (file: string) => (isAbsolute(file) ? file : join(dir, file));
  const validateAgainst = optionalString(raw.validateAgainst);
  const outcomeFile = optionalString(raw.outcomeFile);
  return {
    name,
    tier: tier as Tier,
    mode,
    file: resolve(raw.file),
    definitionFiles: [...profiles, ...supporting].map(resolve),
    validateAgainst: validateAgainst ? resolve(validateAgainst) : null,
    outcomeFile: outcomeFile ? resolve(outcomeFile) : null,
    needsTx: raw.needsTx === true,
    options,
    description: optionalString(raw.description),
    expectedErrorCount: count(raw.expectedErrorCount),
    expectedWarningCount: count(raw.expectedWarningCount),
  };
}

/** The Java validator's outcome for a case; no outcome file means no issues. */
export function readExpectedOutcome(testCase: OracleCase): fhir4.OperationOutcome | Error {
  if (!testCase.outcomeFile) return { resourceType: 'OperationOutcome', issue: [] };
  const parsed = readJsonFile(testCase.outcomeFile);
  if (parsed instanceof Error) return parsed;
  if (!isJsonObject(parsed) || parsed.resourceType !== 'OperationOutcome')
    return new Error(`${testCase.outcomeFile}: not an OperationOutcome`);
  return {
    ...parsed,
    resourceType: 'OperationOutcome',
    issue: Array.isArray(parsed.issue) ? parsed.issue : [],
  };
}

/**
 * A test file's text. A leading byte-order mark is dropped, as the Java validator's file loading does
 * (one upstream input, xml-bad-entities.json, starts with one and expects no complaint about it).
 */
export function readCaseText(path: string): string | Error {
  try {
    return readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  } catch (error) {
    return new Error(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** A test file's JSON, or an Error when it cannot be read or parsed (check for the Error first). */
export function readJsonFile(path: string): unknown {
  const text = readCaseText(path);
  if (text instanceof Error) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    return new Error(`${path}: invalid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function stringList(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) return undefined;
  return value;
}
