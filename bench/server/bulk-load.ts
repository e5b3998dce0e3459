/**
 * Loading our server the way a vendor seeds a sandbox: `serve --load FILE.ndjson` (loadResources, the
 * engine behind it), each resource checked as a write in the validation worker pool and written through
 * the server's write path. The NDJSON file is written before the clock starts, and kept in the system's
 * temporary folder for the next run.
 *
 * - ours: the bench's Patients under lenient validation (the compared load);
 * - strict: insurees conformant to openimis-patient under strict validation;
 * - journal-write / journal-replay: Patients loaded into a journal (`--db`), then a new server started
 *   on it: its start is the replay.
 */
import { createWriteStream, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { loadResources, type LoadReport } from '../../harness/load/index.js';
import { igPaths } from '../../harness/paths.js';
import { startServer, type ServerOptions } from '../../harness/server/server.js';
import { envNumber } from '../common.js';
import { insuree, patient } from './patients.js';
import { figuresSince, settledRss, type RunningTarget } from './targets.js';

type Generator = (i: number) => unknown;

/** The NDJSON file of `count` resources from `generate`, written once and reused. */
async function ndjsonFile(name: string, count: number, generate: Generator): Promise<string> {
  const path = join(os.tmpdir(), `openimis-bench-${name}-${count}.ndjson`);
  if (existsSync(path) && statSync(path).size > 0) return path;
  const partial = `${path}.partial`;
  const out = createWriteStream(partial);
  for (let i = 0; i < count; i++) {
    if (!out.write(`${JSON.stringify(generate(i))}\n`))
      await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
  renameSync(partial, path);
  return path;
}

function journalPath(count: number): string {
  return join(os.tmpdir(), `openimis-bench-journal-${count}.jsonl`);
}

/** The journal and what the server keeps beside it (the subscriptions' deliveries). */
function removeJournal(db: string): void {
  for (const path of [db, `${db}.deliveries`]) rmSync(path, { force: true });
}

/** Starts our server, loads `count` resources through --load's engine, and reports the figures. */
async function loadTarget(
  file: string,
  count: number,
  options: ServerOptions,
): Promise<RunningTarget & { report: LoadReport }> {
  const started = performance.now();
  const running = await startServer(options);
  const startMs = performance.now() - started;
  const rssEmpty = settledRss();
  const report = await loadResources(running.fhir, {
    inputs: [file],
    igs: [igPaths().generatedResources],
    workers: Math.floor(envNumber('BENCH_LOAD_WORKERS', 2)),
  });
  if (report instanceof Error) throw report;
  if (report.loaded !== count)
    throw new Error(
      `loaded ${report.loaded} of ${count}: ${report.problems
        .slice(0, 3)
        .map((p) => `${p.file}:${p.line ?? ''} ${p.status} ${p.text}`)
        .join('; ')}`,
    );
  return {
    url: running.url,
    figures: figuresSince(startMs, report.milliseconds, rssEmpty),
    report,
    close: () => running.close(),
  };
}

export async function startLoadedOurs(count: number): Promise<RunningTarget> {
  const file = await ndjsonFile('patients', count, patient);
  return loadTarget(file, count, { validation: 'lenient' });
}

export async function startStrictLoad(count: number): Promise<RunningTarget> {
  const file = await ndjsonFile('insurees', count, insuree);
  return loadTarget(file, count, { validation: 'strict' });
}

export async function startJournalWrite(count: number): Promise<RunningTarget> {
  const db = journalPath(count);
  removeJournal(db);
  const file = await ndjsonFile('patients', count, patient);
  return loadTarget(file, count, { validation: 'off', db });
}

/** A server started on the journal the journal-write target left: its start-up is the replay. */
export async function startJournalReplay(count: number): Promise<RunningTarget> {
  const db = journalPath(count);
  if (!existsSync(db)) throw new Error(`no journal at ${db}: run the journal-write target first`);
  const rssEmpty = settledRss();
  const started = performance.now();
  const running = await startServer({ db });
  const startMs = performance.now() - started;
  return {
    url: running.url,
    figures: figuresSince(startMs, 0, rssEmpty),
    close: async () => {
      await running.close();
      removeJournal(db);
    },
  };
}
