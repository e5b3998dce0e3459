/**
 * The canonical registry: every conformance resource the validator may need (StructureDefinitions,
 * ValueSets, CodeSystems...), from FHIR R4 core and from any number of IG packages, indexed by canonical
 * URL and version.
 *
 * The core package holds 4,479 resources; only its .index.json is read up front, and a resource is read
 * from disk the first time it is asked for, so a cold start stays fast.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ensureCorePackage } from './core-package.js';
import { fhirCachePaths } from '../paths.js';
import { readTarball } from './tarball.js';

export const CORE_BASE = 'http://hl7.org/fhir/StructureDefinition/';

export interface CanonicalResource {
  resourceType: string;
  id?: string;
  url?: string;
  version?: string;
  [key: string]: unknown;
}

interface Entry {
  url: string;
  version?: string;
  resourceType: string;
  /** StructureDefinition.kind and type, when known without loading the resource. */
  kind?: string;
  type?: string;
  /** Where it came from: 'core' or a package path; later sources win over earlier ones. */
  source: string;
  load(): CanonicalResource | undefined;
}

export interface PackageLoadResult {
  name?: string;
  version?: string;
  resources: number;
}

function once<T>(read: () => T): () => T {
  let loaded = false;
  let value: T;
  return () => {
    if (!loaded) {
      value = read();
      loaded = true;
    }
    return value;
  };
}

function isCanonicalResource(value: unknown): value is CanonicalResource {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as CanonicalResource).resourceType === 'string'
  );
}

export class DefinitionRegistry {
  private readonly byUrl = new Map<string, Entry[]>();
  private readonly resourceTypeNames = new Set<string>();

  /** A registry holding FHIR R4 core, assembled offline on first use. */
  static withCore(): DefinitionRegistry {
    const registry = new DefinitionRegistry();
    const core = ensureCorePackage(fhirCachePaths().packages);
    registry.addIndexedFolder(join(core.dir, 'package'), 'core');
    return registry;
  }

  /** Adds one resource; a Bundle adds each of its entries' resources. */
  addResource(resource: unknown, source = 'resource'): void {
    if (!isCanonicalResource(resource)) return;
    if (resource.resourceType === 'Bundle') {
      for (const entry of (resource.entry as { resource?: unknown }[] | undefined) ?? [])
        this.addResource(entry.resource, source);
      return;
    }
    if (typeof resource.url !== 'string') return;
    this.addEntry({
      url: resource.url,
      ...(typeof resource.version === 'string' ? { version: resource.version } : {}),
      resourceType: resource.resourceType,
      ...(typeof resource.kind === 'string' ? { kind: resource.kind } : {}),
      ...(typeof resource.type === 'string' ? { type: resource.type } : {}),
      source,
      load: () => resource,
    });
  }

  /**
   * Adds an IG: a folder of resources (such as fsh-generated/resources), an unpacked package (a folder
   * holding package/), a package .tgz, or a single JSON file (a resource or a Bundle of them).
   */
  addPackage(path: string): PackageLoadResult {
    const stats = statSync(path);
    if (stats.isFile() && /\.(tgz|tar\.gz)$/i.test(path)) return this.addTarball(path);
    if (stats.isFile()) {
      const before = this.count();
      this.addResource(JSON.parse(readFileSync(path, 'utf8')), path);
      return { resources: this.count() - before };
    }
    const contentDir = existsSync(join(path, 'package')) ? join(path, 'package') : path;
    const manifest = readManifest(join(contentDir, 'package.json'));
    const before = this.count();
    if (existsSync(join(contentDir, '.index.json'))) this.addIndexedFolder(contentDir, path);
    else {
      for (const name of readdirSync(contentDir).sort()) {
        if (!name.endsWith('.json') || name === 'package.json' || name.startsWith('.')) continue;
        this.addResource(JSON.parse(readFileSync(join(contentDir, name), 'utf8')), path);
      }
    }
    return { ...manifest, resources: this.count() - before };
  }

  /** The resource with this canonical URL (`url` or `url|version`), the latest added when unversioned. */
  resolve<T = CanonicalResource>(canonical: string): T | undefined {
    const bar = canonical.indexOf('|');
    const url = bar === -1 ? canonical : canonical.slice(0, bar);
    const version = bar === -1 ? undefined : canonical.slice(bar + 1);
    const entries = this.byUrl.get(url);
    if (!entries || entries.length === 0) return undefined;
    const entry =
      (version !== undefined ? entries.findLast((e) => e.version === version) : undefined) ?? entries.at(-1);
    return entry?.load() as T | undefined;
  }

  /** Like resolve, but only when the resource is of the given type. */
  resolveOfType<T = CanonicalResource>(canonical: string, resourceType: string): T | undefined {
    const resource = this.resolve(canonical);
    return resource?.resourceType === resourceType ? (resource as T) : undefined;
  }

  structureDefinition(canonical: string): fhir4.StructureDefinition | undefined {
    return this.resolveOfType<fhir4.StructureDefinition>(canonical, 'StructureDefinition');
  }

  /** The core definition of a type: `Patient`, `HumanName`, `string`. */
  typeDefinition(typeName: string): fhir4.StructureDefinition | undefined {
    return this.structureDefinition(typeName.includes('/') ? typeName : CORE_BASE + typeName);
  }

  codeSystem(canonical: string): fhir4.CodeSystem | undefined {
    return this.resolveOfType<fhir4.CodeSystem>(canonical, 'CodeSystem');
  }

  valueSet(canonical: string): fhir4.ValueSet | undefined {
    return this.resolveOfType<fhir4.ValueSet>(canonical, 'ValueSet');
  }

  isResourceType(name: string): boolean {
    return this.resourceTypeNames.has(name);
  }

  /** Every FHIR resource type, sorted. */
  resourceTypes(): string[] {
    return [...this.resourceTypeNames].sort();
  }

  /**
   * The profiles (constraining StructureDefinitions, not base types) added from a given source, by the
   * type they constrain: which profiles an IG package defines for each resource type.
   */
  profilesBySource(source: string): Map<string, string[]> {
    const byType = new Map<string, string[]>();
    for (const [url, entries] of this.byUrl) {
      for (const entry of entries) {
        if (entry.source !== source || entry.resourceType !== 'StructureDefinition' || !entry.type) continue;
        if (entry.kind !== 'resource' || url === CORE_BASE + entry.type) continue;
        const list = byType.get(entry.type) ?? [];
        if (!list.includes(url)) list.push(url);
        byType.set(entry.type, list);
      }
    }
    return byType;
  }

  /** Every canonical URL of a given resource type (for listings and tests). */
  urlsOfType(resourceType: string): string[] {
    const urls: string[] = [];
    for (const [url, entries] of this.byUrl)
      if (entries.some((e) => e.resourceType === resourceType)) urls.push(url);
    return urls.sort();
  }

  private count(): number {
    let total = 0;
    for (const entries of this.byUrl.values()) total += entries.length;
    return total;
  }

  private addEntry(entry: Entry): void {
    const entries = this.byUrl.get(entry.url);
    if (entries) entries.push(entry);
    else this.byUrl.set(entry.url, [entry]);
    if (
      entry.resourceType === 'StructureDefinition' &&
      entry.kind === 'resource' &&
      entry.type &&
      entry.url === CORE_BASE + entry.type
    ) {
      this.resourceTypeNames.add(entry.type);
    }
  }

  private addIndexedFolder(dir: string, source: string): void {
    const index = JSON.parse(readFileSync(join(dir, '.index.json'), 'utf8')) as {
      files: {
        filename: string;
        resourceType: string;
        url?: string;
        version?: string;
        kind?: string;
        type?: string;
      }[];
    };
    for (const file of index.files) {
      if (!file.url) continue;
      const path = join(dir, basename(file.filename));
      this.addEntry({
        url: file.url,
        ...(file.version ? { version: file.version } : {}),
        resourceType: file.resourceType,
        ...(file.kind ? { kind: file.kind } : {}),
        ...(file.type ? { type: file.type } : {}),
        source,
        load: once(() => JSON.parse(readFileSync(path, 'utf8')) as CanonicalResource),
      });
    }
  }

  private addTarball(path: string): PackageLoadResult {
    let manifest: { name?: string; version?: string } = {};
    const before = this.count();
    for (const file of readTarball(readFileSync(path))) {
      const name = file.path.replace(/^package\//, '');
      if (name.includes('/') || !name.endsWith('.json') || name.startsWith('.')) continue;
      const json = JSON.parse(file.content.toString('utf8')) as unknown;
      if (name === 'package.json') manifest = pickManifest(json);
      else this.addResource(json, path);
    }
    return { ...manifest, resources: this.count() - before };
  }
}

function pickManifest(json: unknown): { name?: string; version?: string } {
  const { name, version } = (json ?? {}) as { name?: unknown; version?: unknown };
  return {
    ...(typeof name === 'string' ? { name } : {}),
    ...(typeof version === 'string' ? { version } : {}),
  };
}

function readManifest(path: string): { name?: string; version?: string } {
  return existsSync(path) ? pickManifest(JSON.parse(readFileSync(path, 'utf8'))) : {};
}
