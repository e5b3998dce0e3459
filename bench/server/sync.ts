/**
 * Facility sync between two bundled servers, each in a process of its own: a registry loaded with
 * `count` facilities (each a site Location, its Organization and its Endpoint, in districts of 100 under
 * regions of 10 districts), and an empty target validating strictly; the sync engine runs in the bench's
 * process, as the `sync` command would. The figure is facilities per second for the first, full sync
 * (issue 15: at least 1,000 on 2 cores), then the time of a second sync that finds nothing changed.
 */
import { facilityRegistry } from '../../harness/scenarios/support/registry.js';
import { startServer } from '../../harness/server/server.js';
import type { Change } from '../../harness/server/storage/types.js';
import { runSync, type SyncReport } from '../../harness/sync/index.js';
import type { RunningTarget } from './targets.js';
import { figuresSince, settledRss } from './targets.js';

export const FACILITIES_PER_DISTRICT = 100;

const shape = (facilities: number) => {
  const districts = Math.max(1, Math.ceil(facilities / FACILITIES_PER_DISTRICT));
  return {
    regions: Math.max(1, Math.ceil(districts / 10)),
    districtsPerRegion: Math.min(10, districts),
    facilitiesPerDistrict: FACILITIES_PER_DISTRICT,
  };
};

/** The registry: a bundled server storing its records as they are, loaded through storage. */
export async function startRegistryTarget(facilities: number): Promise<RunningTarget> {
  const started = performance.now();
  const running = await startServer({ validation: 'off', subscriptions: false });
  const startMs = performance.now() - started;
  const rssEmpty = settledRss();
  const loading = performance.now();
  const resources = facilityRegistry(shape(facilities), 'B');
  for (let first = 0; first < resources.length; first += 1_000) {
    const changes: Change[] = resources.slice(first, first + 1_000).map((resource) => ({
      kind: 'write',
      type: String(resource.resourceType),
      id: String(resource.id),
      method: 'PUT',
      resource,
    }));
    running.storage.commit(changes);
  }
  return {
    url: running.url,
    figures: figuresSince(startMs, performance.now() - loading, rssEmpty),
    close: () => running.close(),
  };
}

/** The target: an empty bundled server, strict, as openIMIS. */
export async function startSyncTarget(): Promise<RunningTarget> {
  const started = performance.now();
  const running = await startServer({ subscriptions: false });
  return {
    url: running.url,
    figures: figuresSince(performance.now() - started, 0, settledRss()),
    close: () => running.close(),
  };
}

export interface SyncBenchResult {
  facilities: number;
  resources: number;
  firstMs: number;
  facilitiesPerSecond: number;
  secondMs: number;
  first: SyncReport['counts'];
  second: SyncReport['counts'];
}

export async function measureSync(
  registry: string,
  target: string,
  facilities: number,
): Promise<SyncBenchResult> {
  const started = performance.now();
  const first = await runSync({ from: { baseUrl: registry }, to: { baseUrl: target } });
  const firstMs = performance.now() - started;
  if (!first.completed || first.counts.failed > 0)
    throw new Error(
      `the sync did not complete cleanly: ${first.stopped ?? JSON.stringify(first.failures.slice(0, 3))}`,
    );
  const again = performance.now();
  const second = await runSync({
    from: { baseUrl: registry },
    to: { baseUrl: target },
    since: first.nextSince,
  });
  return {
    facilities,
    resources: first.counts.fetched,
    firstMs: Math.round(firstMs),
    facilitiesPerSecond: Math.round(facilities / (firstMs / 1000)),
    secondMs: Math.round(performance.now() - again),
    first: first.counts,
    second: second.counts,
  };
}
