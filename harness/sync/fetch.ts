/**
 * What changed in the registry: the Locations changed since the last sync with their managing
 * Organizations and Endpoints (IHE mCSD ITI-90: `Location?_lastUpdated=ge{since}&_include=...`), every
 * page followed; or, in history mode, the registry's history since then, kept to Locations,
 * Organizations and Endpoints (the newest version of each; deletions are not carried over).
 */
import { isJsonObject, objectsOf, stringOf, type JsonObject } from '../json.js';
import type { HttpClient } from '../runner/index.js';
import type { SyncMode } from './types.js';

export const SYNCED_TYPES = ['Organization', 'Endpoint', 'Location'] as const;

export type Fetched =
  | {
      ok: true;
      resources: JsonObject[];
      /** The registry's clock when it answered the first page (its Date header), when it said. */
      serverTime?: string;
    }
  | { ok: false; error: string };

/** Pages past this many mean a registry that never stops paging: the run stops, saying so. */
const MAX_PAGES = 100_000;

export async function fetchChanges(
  registry: HttpClient,
  mode: SyncMode,
  since: string | undefined,
  pageSize: number,
  /** Each page's records not seen before, with the count so far: a caller may start on them at once. */
  onPage: (count: number, added: JsonObject[]) => void,
): Promise<Fetched> {
  const first =
    mode === 'history'
      ? `_history?_count=${pageSize}${since ? `&_since=${encodeURIComponent(since)}` : ''}`
      : `Location?_count=${pageSize}&_include=Location:organization&_include=Location:endpoint` +
        (since ? `&_lastUpdated=${encodeURIComponent(`ge${since}`)}` : '');
  const byKey = new Map<string, JsonObject>();
  const seenPages = new Set<string>();
  let next: string | undefined = first;
  let serverTime: string | undefined;
  for (let page = 0; next !== undefined; page++) {
    if (page >= MAX_PAGES || seenPages.has(next))
      return { ok: false, error: `the registry's paging does not end (page ${page + 1}: ${next})` };
    seenPages.add(next);
    const sent = await registry.send('GET', next);
    if (!sent.ok) return { ok: false, error: `the registry is unreachable: ${sent.message}` };
    const { reply } = sent;
    const date = Date.parse(reply.headers.date ?? '');
    if (page === 0 && !Number.isNaN(date)) serverTime = new Date(date).toISOString();
    const bundle = reply.json;
    if (reply.status !== 200 || !isJsonObject(bundle) || bundle.resourceType !== 'Bundle')
      return {
        ok: false,
        error: `GET ${registry.resolve(next)} answered ${reply.status}${isJsonObject(bundle) ? ` with a ${String(bundle.resourceType)}` : ''}, not a Bundle`,
      };
    const added: JsonObject[] = [];
    for (const entry of objectsOf(bundle.entry)) {
      const resource = entry.resource;
      if (!isJsonObject(resource)) continue;
      const type = stringOf(resource.resourceType);
      const id = stringOf(resource.id);
      if (!type || !id || !(SYNCED_TYPES as readonly string[]).includes(type)) continue;
      const key = `${type}/${id}`;
      // History lists newest first: the first version seen of a resource is the one to keep.
      if (mode === 'history' && byKey.has(key)) continue;
      if (!byKey.has(key)) added.push(resource);
      byKey.set(key, resource);
    }
    onPage(byKey.size, added);
    next = objectsOf(bundle.link).find((link) => link.relation === 'next')?.url as string | undefined;
  }
  return { ok: true, resources: [...byKey.values()], ...(serverTime ? { serverTime } : {}) };
}
