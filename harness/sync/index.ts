/**
 * `openimis-fhir sync`'s engine: the master facility list's changes brought into openIMIS, as the
 * OpenHIE facility registry workflow has a mediator do it. Fetch what changed (fetch.ts); then for each
 * record, parents first (in waves: push.ts), map its codes and keep of a Location what openIMIS keeps
 * (mapping.ts), rewrite its references to the target's ids, validate it against R4 and the openIMIS
 * profile of its type, and write it where it differs (push.ts): 200 per batch Bundle where the target
 * takes them, one by one otherwise. Endpoints, which refer to nothing, are written while the registry's
 * later pages are still coming. A record that fails at any stage is logged with its OperationOutcome and
 * not written; the run goes on. The registry or the target failing as a whole stops the run: it did not
 * complete, and the caller keeps the previous lastSync, so the next run fetches the same changes again
 * (writes are idempotent: what was written is found unchanged).
 */
import { isJsonObject, objectsOf, type JsonObject } from '../json.js';
import { HttpClient } from '../runner/index.js';
import { igPaths } from '../paths.js';
import { createValidator, type Validator } from '../validator/index.js';
import { fetchChanges } from './fetch.js';
import { applyCodeMap, asOpenimisShape } from './mapping.js';
import { outcome, Pusher, waves, type Pushed } from './push.js';
import type { SyncCounts, SyncFailure, SyncOptions, SyncReport } from './types.js';

export type { SyncCounts, SyncFailure, SyncMode, SyncOptions, SyncReport } from './types.js';
export { parseCodeMap, type CodeMap } from './mapping.js';
export { readState, writeState } from './state.js';
export { writeSyncReport } from './report.js';

const IG = 'https://openimis.github.io/openimis_fhir_r4_ig/StructureDefinition';

/** The openIMIS profile a record is validated against (besides R4 and its own meta.profile). */
function profileOf(resource: Record<string, unknown>): string[] {
  if (resource.resourceType === 'Location') return [`${IG}/openimis-location`];
  const types = JSON.stringify(resource.type ?? '');
  if (resource.resourceType === 'Organization' && types.includes('"prov"'))
    return [`${IG}/openimis-health-facility-organization`];
  return [];
}

const validators = new Map<string, Validator>();

/** One validator per set of IGs, kept for the process: `--every` runs again without loading them again. */
function validatorFor(igs: string[]): Validator {
  const key = igs.join('\u0000');
  let validator = validators.get(key);
  if (!validator) validators.set(key, (validator = createValidator({ igs })));
  return validator;
}

/** Records written per batch (and validated before it). */
const CHUNK = 200;
/** Chunks of a wave prepared and written at once. */
const CHUNKS_IN_FLIGHT = 8;

interface ChunkOutcome {
  failed: SyncFailure[];
  pushed: Pushed[];
  stopped?: string;
}

/** `work` on every item, `limit` at a time; the results in the items' order. */
async function inOrder<T, R>(
  items: T[],
  limit: number,
  work: (item: T) => Promise<R>,
  done: () => void,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
      done();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Whether the target declares the batch interaction (then lookups and writes go 200 at a time). */
async function takesBatches(target: HttpClient): Promise<boolean> {
  const sent = await target.send('GET', 'metadata');
  if (!sent.ok || !isJsonObject(sent.reply.json)) return false;
  return objectsOf(sent.reply.json.rest).some((rest) =>
    objectsOf(rest.interaction).some((interaction) => interaction.code === 'batch'),
  );
}

/** How often a long run says how far it is. */
const PROGRESS_EVERY_MS = 1_000;

export async function runSync(options: SyncOptions): Promise<SyncReport> {
  const mode = options.mode ?? 'lastUpdated';
  const startedAt = new Date().toISOString();
  const counts: SyncCounts = { fetched: 0, created: 0, updated: 0, unchanged: 0, failed: 0 };
  const failures: SyncFailure[] = [];
  const report = (completed: boolean, nextSince: string, stopped?: string): SyncReport => ({
    from: options.from.baseUrl,
    to: options.to.baseUrl,
    mode,
    ...(options.since ? { since: options.since } : {}),
    startedAt,
    finishedAt: new Date().toISOString(),
    completed,
    ...(stopped ? { stopped } : {}),
    nextSince,
    counts: { ...counts },
    failures,
  });
  const registry = HttpClient.create(options.from);
  if (registry instanceof Error) return report(false, startedAt, `--from: ${registry.message}`);
  const target = HttpClient.create(options.to);
  if (target instanceof Error) {
    await registry.close();
    return report(false, startedAt, `--to: ${target.message}`);
  }
  try {
    let lastProgress = Date.now();
    const progress = (force = false) => {
      if (!force && Date.now() - lastProgress < PROGRESS_EVERY_MS) return;
      lastProgress = Date.now();
      options.onProgress?.({ ...counts });
    };
    const validator = validatorFor(options.igs ?? [igPaths().generatedResources]);
    const pusher = new Pusher(registry, target, await takesBatches(target));
    /** One chunk of a wave: mapped, rewritten and validated here, then written; nothing counted yet. */
    const chunkOf = async (chunk: JsonObject[]): Promise<ChunkOutcome> => {
      const failed: SyncFailure[] = [];
      const ready: { source: string; resource: JsonObject }[] = [];
      for (const resource of chunk) {
        const source = `${String(resource.resourceType)}/${String(resource.id)}`;
        const rewritten = await pusher.rewrite(asOpenimisShape(applyCodeMap(resource, options.map)));
        if ('stopped' in rewritten) return { failed, pushed: [], stopped: String(rewritten.stopped) };
        if ('unresolved' in rewritten) {
          failed.push({
            reference: source,
            stage: 'resolve',
            outcome: outcome(
              `${source} refers to ${String(rewritten.unresolved)}, which is neither among this sync's records nor in the target`,
              'not-found',
            ),
          });
          continue;
        }
        const checked = validator.validate(rewritten, { profiles: profileOf(rewritten) });
        const errors = (checked.issue ?? []).filter((i) => i.severity === 'error' || i.severity === 'fatal');
        if (errors.length > 0)
          failed.push({ reference: source, stage: 'validate', outcome: { ...checked, issue: errors } });
        else ready.push({ source, resource: rewritten });
      }
      return { failed, pushed: await pusher.pushAll(ready) };
    };
    // The chunks of a wave do not refer to each other: while the target writes one, the next is
    // prepared. Their outcomes are counted in order, so the report reads the same however they ran.
    const run = (wave: JsonObject[]) => {
      const chunks: JsonObject[][] = [];
      for (let first = 0; first < wave.length; first += CHUNK) chunks.push(wave.slice(first, first + CHUNK));
      return inOrder(chunks, CHUNKS_IN_FLIGHT, chunkOf, () => progress());
    };
    // Endpoints refer to nothing: they are written while the registry's later pages are fetched.
    const early: Promise<ChunkOutcome[]>[] = [];
    const fetched = await fetchChanges(
      registry,
      mode,
      options.since,
      options.pageSize ?? 1000,
      (n, added) => {
        counts.fetched = n;
        const endpoints = added.filter((r) => r.resourceType === 'Endpoint');
        if (endpoints.length > 0) early.push(run(endpoints));
        progress();
      },
    );
    const earlyOutcomes = (await Promise.all(early)).flat();
    /** Counts a wave's outcomes in order; the reason the run stops, when it must. */
    const tally = (outcomes: ChunkOutcome[]): string | undefined => {
      for (const { failed, pushed, stopped } of outcomes) {
        for (const failure of failed) failures.push(failure);
        counts.failed += failed.length;
        for (const result of pushed) {
          if (result.result === 'stopped') return result.error;
          if (result.result === 'failed') {
            failures.push(result.failure);
            counts.failed++;
          } else counts[result.result]++;
        }
        if (stopped) return stopped;
      }
      return undefined;
    };
    const earlyStop = tally(earlyOutcomes);
    if (!fetched.ok) return report(false, startedAt, fetched.error);
    const nextSince = fetched.serverTime ?? startedAt;
    counts.fetched = fetched.resources.length;
    if (earlyStop) return report(false, nextSince, earlyStop);
    for (const wave of waves(fetched.resources.filter((r) => r.resourceType !== 'Endpoint'))) {
      const stopped = tally(await run(wave));
      if (stopped) return report(false, nextSince, stopped);
    }
    progress(true);
    return report(true, nextSince);
  } finally {
    await Promise.all([registry.close(), target.close()]);
  }
}
