/** The IG as the last build left it in fsh-generated (the test script builds it first). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readInventory, type IgInventory } from '../../harness/ig/inventory.js';
import { igPaths, PROJECT_ROOT } from '../../harness/paths.js';

export const CANONICAL = 'https://openimis.github.io/openimis_fhir_r4_ig';

let cached: IgInventory | undefined;
export function generatedIg(): IgInventory {
  cached ??= readInventory(igPaths().generatedResources);
  return cached;
}

export interface PublishedIg {
  canonical: string;
  profiles: string[];
  extensions: string[];
  valueSets: string[];
  codeSystems: Record<string, Record<string, string | null>>;
  examples: string[];
}

export function publishedIg(): PublishedIg {
  return JSON.parse(
    readFileSync(join(PROJECT_ROOT, 'test', 'fixtures', 'ig', 'published-1.0.0.json'), 'utf8'),
  );
}
