/**
 * One large Bundle against the same resources as NDJSON: the generated NDJSON file of the ndjson part
 * (BENCH_BUNDLE_RESOURCES of them, 100,000 by default) and a collection Bundle holding them as entries
 * (each with a urn:uuid fullUrl), both validated by `openimis-fhir validate` with the same workers.
 * Measured: seconds per resource of each, their ratio, and the Bundle run's peak RSS against the
 * Bundle file's size, and against the peak RSS of the same command on a one-resource file (what the
 * process needs before any input).
 */
import { once } from 'node:events';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { MB } from '../common.js';
import { ensureNdjson, runValidateCommand, type NdjsonRun } from './ndjson.js';

export interface BundleReport {
  resources: number;
  workers: number;
  ndjsonMb: number;
  bundleMb: number;
  ndjson: NdjsonRun;
  bundle: NdjsonRun;
  /** The same command on one resource: the process's own peak RSS. */
  baseline: NdjsonRun;
  /** Bundle seconds per resource over NDJSON seconds per resource. */
  timeRatio: number;
  /** The Bundle run's peak RSS over the Bundle file's size. */
  rssOverFile: number | undefined;
  /** The Bundle run's peak RSS less the one-resource run's, over the Bundle file's size. */
  rssGrowthOverFile: number | undefined;
}

/** The NDJSON file's lines as the entries of one collection Bundle, written once. */
async function ensureBundle(ndjson: string, file: string): Promise<void> {
  if (existsSync(file)) return;
  const partial = `${file}.partial`;
  const out = createWriteStream(partial);
  out.write('{"resourceType":"Bundle","type":"collection","entry":[\n');
  let index = 0;
  for await (const line of createInterface({ input: createReadStream(ndjson), crlfDelay: Infinity })) {
    if (line.trim() === '') continue;
    const uuid = `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`;
    const entry = `${index > 0 ? ',\n' : ''}{"fullUrl":"urn:uuid:${uuid}","resource":${line}}`;
    index++;
    if (!out.write(entry)) await once(out, 'drain');
  }
  out.end('\n]}\n');
  await once(out, 'close');
  renameSync(partial, file);
}

export async function measureBundle(
  folder: string,
  resources: number,
  workers: number,
  scratch: string,
): Promise<BundleReport> {
  const ndjson = join(folder, `resources-${resources}.ndjson`);
  await ensureNdjson(ndjson, resources);
  const bundle = join(folder, `bundle-${resources}.json`);
  await ensureBundle(ndjson, bundle);
  const one = join(scratch, 'one.json');
  writeFileSync(one, '{"resourceType":"Patient","id":"one"}\n');
  const baseline = await runValidateCommand(one, 1, workers, scratch);
  const ndjsonRun = await runValidateCommand(ndjson, resources, workers, scratch);
  const bundleRun = await runValidateCommand(bundle, resources, workers, scratch);
  const bundleBytes = statSync(bundle).size;
  const rss = (run: NdjsonRun) => (run.peakRssMb === undefined ? undefined : run.peakRssMb * MB);
  const bundleRss = rss(bundleRun);
  const baselineRss = rss(baseline);
  return {
    resources,
    workers,
    ndjsonMb: Math.round(statSync(ndjson).size / MB),
    bundleMb: Math.round(bundleBytes / MB),
    ndjson: ndjsonRun,
    bundle: bundleRun,
    baseline,
    timeRatio: Math.round((bundleRun.seconds / ndjsonRun.seconds) * 100) / 100,
    rssOverFile: bundleRss === undefined ? undefined : Math.round((bundleRss / bundleBytes) * 100) / 100,
    rssGrowthOverFile:
      bundleRss === undefined || baselineRss === undefined
        ? undefined
        : Math.round(((bundleRss - baselineRss) / bundleBytes) * 100) / 100,
  };
}
