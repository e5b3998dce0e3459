/** Shared set-up for the search tests: one registry (core + the IG), a fresh store and engine per test. */
import { DefinitionRegistry } from '../../harness/fhir/index.js';
import { igPaths } from '../../harness/paths.js';
import { SearchEngine, isSearchError, type SearchResult } from '../../harness/server/search/index.js';
import { MemoryStorage } from '../../harness/server/storage/index.js';
import type { JsonObject } from '../../harness/json.js';

let registry: DefinitionRegistry | undefined;

export function sharedRegistry(): DefinitionRegistry {
  if (!registry) {
    registry = DefinitionRegistry.withCore();
    registry.addPackage(igPaths().generatedResources);
  }
  return registry;
}

export interface SearchFixture {
  storage: MemoryStorage;
  engine: SearchEngine;
  /** Creates or updates resources (each needs resourceType and id). */
  put(...resources: JsonObject[]): void;
  remove(type: string, id: string): void;
  /** `type?query` -> the ids found, in order ("Type/id" for a system-wide search). */
  ids(type: string | undefined, query: string): string[];
  run(type: string | undefined, query: string): ReturnType<SearchEngine['search']>;
}

export function searchFixture(clockStart = Date.UTC(2024, 0, 1)): SearchFixture {
  let clock = clockStart;
  const storage = new MemoryStorage({ now: () => (clock += 1000) });
  const engine = new SearchEngine(sharedRegistry(), storage);
  const run = (type: string | undefined, query: string) =>
    engine.search(type, [...new URLSearchParams(query)]);
  return {
    storage,
    engine,
    put: (...resources) =>
      void storage.commit(
        resources.map((resource) => ({
          kind: 'write',
          type: resource.resourceType as string,
          id: resource.id as string,
          resource,
          method: 'PUT',
        })),
      ),
    remove: (type, id) => void storage.commit([{ kind: 'delete', type, id }]),
    run,
    ids: (type, query) => {
      const result = run(type, query);
      if (isSearchError(result)) throw new Error(`search error: ${result.error}`);
      return (result as SearchResult).matches.map((m) => (type === undefined ? `${m.type}/${m.id}` : m.id));
    },
  };
}
