/**
 * `openimis-fhir site`'s engine: a static, browsable preview of an IG from its fsh-generated/ output,
 * without Java: a page per profile and extension, CodeSystem, ValueSet and example (with its validation
 * result), an index with a search, links between them. Plain files that open from disk.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readInventory } from '../ig/inventory.js';
import { igPaths } from '../paths.js';
import { createValidator } from '../validator/index.js';
import {
  codeSystemPage,
  definitionPage,
  examplePage,
  indexPage,
  page,
  SEARCH_SCRIPT,
  STYLESHEET,
  valueSetPage,
  type IndexEntry,
} from './pages.js';

export interface SiteResult {
  dir: string;
  pages: number;
  /** Examples with an error in their validation. */
  invalidExamples: number;
}

const CORE = 'http://hl7.org/fhir/';

/** A page's file name: the type and id, as SUSHI names its output. */
const fileOf = (resource: { resourceType: string; id?: string }) =>
  `${resource.resourceType}-${resource.id ?? ''}.html`;

/** Builds the site into `outDir` (emptied first) from the IG at `root`. */
export function buildSite(root: string, outDir: string): SiteResult {
  const paths = igPaths(root);
  const inventory = readInventory(paths.generatedResources);
  const validator = createValidator({ igs: [paths.generatedResources] });
  const igTitle = inventory.implementationGuide?.title ?? inventory.implementationGuide?.name ?? 'IG';

  const pages = new Map<string, string>();
  const byCanonical = new Map<string, string>();
  for (const resource of [
    ...inventory.profiles,
    ...inventory.extensions,
    ...inventory.codeSystems,
    ...inventory.valueSets,
  ])
    if (resource.url) byCanonical.set(resource.url, fileOf(resource));
  // The IG's own pages first; R4's types and definitions on the specification's site.
  const to = (canonical: string) => {
    const own = byCanonical.get(canonical);
    if (own) return own;
    if (canonical.startsWith(`${CORE}StructureDefinition/`))
      return `https://hl7.org/fhir/R4/${canonical.slice(`${CORE}StructureDefinition/`.length).toLowerCase()}.html`;
    if (canonical.startsWith(`${CORE}ValueSet/`))
      return `https://hl7.org/fhir/R4/valueset-${canonical.slice(`${CORE}ValueSet/`.length)}.html`;
    return undefined;
  };
  const entries: IndexEntry[] = [];
  const title = (r: { title?: string; name?: string; id?: string }) => r.title ?? r.name ?? r.id ?? '';
  /** A conformance resource's page, and its line in the index. */
  const addPage = (
    kind: IndexEntry['kind'],
    resource: { resourceType: string; id?: string; title?: string; name?: string; description?: string },
    body: string,
  ) => {
    const href = fileOf(resource);
    pages.set(href, page(title(resource), igTitle, body));
    entries.push({
      kind,
      title: title(resource),
      id: resource.id ?? '',
      href,
      description: resource.description ?? '',
    });
  };

  for (const definition of [...inventory.profiles, ...inventory.extensions]) {
    const examples = inventory.examples
      .filter((e) => e.profile === definition.url || e.resource.meta?.profile?.includes(definition.url))
      .map((e) => ({ title: e.reference, href: fileOf(e.resource) }));
    const kind = definition.type === 'Extension' ? 'Extension' : 'Profile';
    addPage(kind, definition, definitionPage(definition, examples, to));
  }
  for (const codeSystem of inventory.codeSystems)
    addPage('CodeSystem', codeSystem, codeSystemPage(codeSystem));
  for (const valueSet of inventory.valueSets) addPage('ValueSet', valueSet, valueSetPage(valueSet, to));
  let invalidExamples = 0;
  for (const example of inventory.examples) {
    const resource = example.resource as { resourceType: string; id?: string; meta?: { profile?: string[] } };
    const profile = example.profile ?? resource.meta?.profile?.[0];
    const { issues } = validator.validateDetailed(resource, {
      profiles: example.profile ? [example.profile] : [],
    });
    if (issues.some((i) => i.severity === 'error' || i.severity === 'fatal')) invalidExamples++;
    const href = fileOf(resource);
    const name = example.reference;
    pages.set(href, page(name, igTitle, examplePage(resource, name, profile, issues, to)));
    entries.push({ kind: 'Example', title: name, id: resource.id ?? '', href, description: '' });
  }
  pages.set('index.html', page('Index', igTitle, indexPage(entries, inventory.implementationGuide)));

  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  for (const [name, html] of pages) writeFileSync(join(outDir, name), html, 'utf8');
  writeFileSync(join(outDir, 'site.css'), STYLESHEET, 'utf8');
  writeFileSync(join(outDir, 'search.js'), SEARCH_SCRIPT, 'utf8');
  return { dir: outDir, pages: pages.size, invalidExamples };
}
