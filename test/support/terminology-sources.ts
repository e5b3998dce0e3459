/**
 * TerminologySource over folders of JSON resources (the core package, the IG's generated resources),
 * for tests: the lead's DefinitionRegistry plays this part in the validator. Files are read on first use.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureCorePackage } from '../../harness/fhir/core-package.js';
import { fhirCachePaths, igPaths } from '../../harness/paths.js';
import { splitCanonical, type TerminologySource } from '../../harness/terminology/index.js';

interface Located {
  file: string;
  version?: string;
}

export class FolderSource implements TerminologySource {
  private readonly files = new Map<string, Located[]>();
  private readonly loaded = new Map<string, unknown>();

  /** A folder with a package .index.json, or any folder of `CodeSystem-*.json` / `ValueSet-*.json` files. */
  addFolder(dir: string): this {
    const indexFile = join(dir, '.index.json');
    if (existsSync(indexFile)) {
      const index = JSON.parse(readFileSync(indexFile, 'utf8')) as {
        files: { filename: string; resourceType: string; url?: string; version?: string }[];
      };
      for (const f of index.files) {
        if ((f.resourceType === 'CodeSystem' || f.resourceType === 'ValueSet') && f.url) {
          this.add(`${f.resourceType}:${f.url}`, { file: join(dir, f.filename), version: f.version });
        }
      }
      return this;
    }
    for (const name of readdirSync(dir)) {
      if (!/^(CodeSystem|ValueSet)-.*\.json$/.test(name)) continue;
      const resource = JSON.parse(readFileSync(join(dir, name), 'utf8')) as {
        resourceType: string;
        url?: string;
        version?: string;
      };
      if (!resource.url) continue;
      this.add(`${resource.resourceType}:${resource.url}`, {
        file: join(dir, name),
        version: resource.version,
      });
    }
    return this;
  }

  private add(key: string, located: Located): void {
    // Later folders win, as later packages do in the registry.
    this.files.set(key, [located, ...(this.files.get(key) ?? [])]);
  }

  private find<T>(type: string, canonical: string): T | undefined {
    const { url, version } = splitCanonical(canonical);
    const candidates = this.files.get(`${type}:${url}`) ?? [];
    const hit = version === undefined ? candidates[0] : candidates.find((c) => c.version === version);
    if (!hit) return undefined;
    if (!this.loaded.has(hit.file)) this.loaded.set(hit.file, JSON.parse(readFileSync(hit.file, 'utf8')));
    return this.loaded.get(hit.file) as T;
  }

  /** The canonical URLs held for a resource type, optionally only those starting with a prefix. */
  urls(type: 'CodeSystem' | 'ValueSet', prefix = ''): string[] {
    const start = `${type}:${prefix}`;
    return [...this.files.keys()].filter((k) => k.startsWith(start)).map((k) => k.slice(type.length + 1));
  }

  codeSystem(canonical: string): fhir4.CodeSystem | undefined {
    return this.find('CodeSystem', canonical);
  }

  valueSet(canonical: string): fhir4.ValueSet | undefined {
    return this.find('ValueSet', canonical);
  }
}

/** The R4 core package, then the openIMIS IG's generated resources (when built). */
export function coreAndIgSource(): FolderSource {
  const core = ensureCorePackage(fhirCachePaths().packages);
  const source = new FolderSource().addFolder(join(core.dir, 'package'));
  const generated = igPaths().generatedResources;
  if (existsSync(generated)) source.addFolder(generated);
  return source;
}

/** An in-memory source for hand-written definitions. */
export class MemorySource implements TerminologySource {
  private readonly codeSystems = new Map<string, fhir4.CodeSystem>();
  private readonly valueSets = new Map<string, fhir4.ValueSet>();

  constructor(resources: (fhir4.CodeSystem | fhir4.ValueSet)[]) {
    for (const r of resources) {
      const map: Map<string, fhir4.CodeSystem | fhir4.ValueSet> =
        r.resourceType === 'CodeSystem' ? this.codeSystems : this.valueSets;
      map.set(r.url ?? '', r);
      if (r.version) map.set(`${r.url}|${r.version}`, r);
    }
  }

  codeSystem(canonical: string): fhir4.CodeSystem | undefined {
    return this.codeSystems.get(canonical);
  }

  valueSet(canonical: string): fhir4.ValueSet | undefined {
    return this.valueSets.get(canonical);
  }
}
