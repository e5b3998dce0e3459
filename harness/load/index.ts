/**
 * Bulk load (`serve --load`): NDJSON files, JSON documents and folders of them, into the reference
 * server. Each resource is checked the way a write of it would be (validator/write-check.ts, at the
 * server's validation level) in the validate command's worker pool, which reads NDJSON in chunks and
 * hands the accepted resources back parsed; the main thread then writes them as a client would, through
 * the server's REST interactions, a thousand to a transaction, without checking them a second time.
 * A transaction or batch Bundle given as a document is processed as if it had been POSTed. A refused
 * resource is reported with its file, line and reason; the rest still load.
 */
import os from 'node:os';
import { isJsonObject, type JsonObject } from '../json.js';
import type { CheckedWrites, FhirRequest } from '../server/exchange.js';
import type { FhirServer } from '../server/fhir-server.js';
import { WHOLE } from '../validate/shard.js';
import { isFailure, readInputs, resolveInputs, totalBytes } from '../validate/inputs.js';
import { ChunkBuffers } from '../validate/ndjson-chunks.js';
import { isProcessedBundle } from '../validate/validate-unit.js';
import { validateItems } from '../validate/workers.js';
import type { ValidationIssue } from '../validator/index.js';
import type { WriteVerdict } from '../validator/write-check.js';

export interface LoadOptions {
  /** Files and folders (.ndjson, .json), as the validate command takes them. */
  inputs: string[];
  /** The IG packages the server was started with: each worker loads them. */
  igs: string[];
  /** Where relative inputs are found (the working folder by default). */
  cwd?: string;
  /** Worker threads for validation (default: one per core); 1 validates on the main thread. */
  workers?: number;
  /** Called after every commit. */
  onProgress?: (progress: LoadProgress) => void;
}

export interface LoadProgress {
  /** Resources read so far, loaded, refused. */
  read: number;
  loaded: number;
  refused: number;
  /** Bytes of the inputs read so far, and in all (undefined when unknown). */
  bytes: number;
  totalBytes: number | undefined;
}

/** A resource that was not loaded, or an input that could not be read. */
export interface LoadProblem {
  file: string;
  /** The NDJSON line, for a line. */
  line?: number;
  /** The HTTP status its write was refused with (0: the input could not be read). */
  status: number;
  text: string;
}

export interface LoadReport extends LoadProgress {
  /** Resources loaded with warnings (lenient validation). */
  warned: number;
  /** The first problems (up to PROBLEMS_KEPT), in input order; `refused` counts them all. */
  problems: LoadProblem[];
  milliseconds: number;
}

/** Resources to a commit: each commit is atomic and, with a journal, one synced line. */
const COMMIT_SIZE = 1_000;
const PROBLEMS_KEPT = 1_000;

/** Loads the inputs into the server; an Error when an input cannot be found before anything is read. */
export async function loadResources(fhir: FhirServer, options: LoadOptions): Promise<LoadReport | Error> {
  const started = performance.now();
  const sources = await resolveInputs(options.inputs, options.cwd ?? process.cwd());
  if (sources instanceof Error) return sources;
  if (sources.some((source) => source.kind === 'stdin')) return new Error('--load reads files, not stdin');
  const mode = fhir.parts.writeValidation.mode;
  // Without validation a worker would only parse: the main thread does that as fast as it can hand over.
  const workers = mode === 'off' ? 1 : Math.max(1, options.workers ?? os.availableParallelism());
  const buffers = new ChunkBuffers();
  const report: LoadReport = {
    read: 0,
    loaded: 0,
    refused: 0,
    warned: 0,
    bytes: 0,
    totalBytes: totalBytes(sources),
    problems: [],
    milliseconds: 0,
  };
  const problem = (found: LoadProblem) => {
    report.refused++;
    if (report.problems.length < PROBLEMS_KEPT) report.problems.push(found);
  };
  const writer = new BatchWriter(fhir, problem);
  const flush = () => {
    report.loaded += writer.commit();
    options.onProgress?.({ ...report });
  };
  const units = validateItems(readInputs(sources, WHOLE, undefined, buffers), {
    workers,
    setup: {
      igs: options.igs,
      profiles: [],
      shard: WHOLE,
      write: { mode, igProfiles: Object.fromEntries(fhir.parts.igProfiles) },
    },
    validator: () => Promise.resolve(fhir.parts.validator),
    buffers,
  });
  for await (const unit of units) {
    if (isFailure(unit)) {
      problem({ file: unit.file, status: 0, text: `cannot be read: ${unit.error}` });
      continue;
    }
    report.read++;
    report.bytes += unit.bytes;
    const where = { file: unit.file, ...(unit.index !== undefined ? { line: unit.index } : {}) };
    if (unit.refused !== undefined || !unit.resource) {
      problem({ ...where, status: unit.refused ?? 400, text: describeIssues(unit.issues) });
      continue;
    }
    if (unit.issues.length > 0) report.warned++;
    if (isProcessedBundle(unit.resource)) {
      flush();
      // Checked as a Bundle, not entry by entry as writes: the server checks its entries as it would any.
      const answer = fhir.handle(request('POST', [], unit.resource));
      if (answer.status >= 400) problem({ ...where, status: answer.status, text: outcomeText(answer.body) });
      else report.loaded++;
      continue;
    }
    writer.add(unit.resource, where);
    if (writer.size >= COMMIT_SIZE) flush();
  }
  flush();
  report.milliseconds = Math.round(performance.now() - started);
  return report;
}

/**
 * Writes resources as a client would, through the server's REST interactions: a thousand at a time as
 * one transaction of PUTs (POSTs for those without an id), so every rule of the server applies
 * (interactions allowed per type, plug-ins, ids) and a clean chunk costs one commit. A transaction some
 * entry of which is refused is sent again entry by entry, so that only the refused ones stay out, each
 * reported with the answer it got.
 */
class BatchWriter {
  private entries: { resource: JsonObject; where: { file: string; line?: number } }[] = [];

  constructor(
    private readonly fhir: FhirServer,
    private readonly problem: (found: LoadProblem) => void,
  ) {}

  get size(): number {
    return this.entries.length;
  }

  add(resource: JsonObject, where: { file: string; line?: number }): void {
    this.entries.push({ resource, where });
  }

  /** Writes what was added; returns how many resources it wrote. */
  commit(): number {
    const entries = this.entries;
    this.entries = [];
    if (entries.length === 0) return 0;
    const transaction = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: entries.map(({ resource }) => ({ resource, request: entryRequest(resource) })),
    };
    // The worker threads checked each resource as the server would, and accepted it: every body these
    // requests carry has that verdict. (No WeakMap of them: it would keep a thousand objects alive
    // through the collections of the commit, and promote them.)
    const checked = EVERY_BODY_ACCEPTED;
    if (this.fhir.handle(request('POST', [], transaction, checked)).status < 400) return entries.length;
    let written = 0;
    for (const { resource, where } of entries) {
      const { method, url } = entryRequest(resource);
      const answer = this.fhir.handle(request(method, url.split('/'), resource, checked));
      if (answer.status < 400) written++;
      else this.problem({ ...where, status: answer.status, text: outcomeText(answer.body) });
    }
    return written;
  }
}

/** An update by the resource's id, or a create when it has none. */
function entryRequest(resource: JsonObject): { method: 'PUT' | 'POST'; url: string } {
  const type = String(resource.resourceType);
  return typeof resource.id === 'string'
    ? { method: 'PUT', url: `${type}/${resource.id}` }
    : { method: 'POST', url: type };
}

/**
 * The verdict on every body a load writes: accepted (refused ones never reach a write), its warnings
 * (lenient validation) counted by the load, not repeated per write.
 */
const ACCEPTED_WITHOUT_REMARK: WriteVerdict = { accepted: true, warnings: [] };
const EVERY_BODY_ACCEPTED: CheckedWrites = { get: () => ACCEPTED_WITHOUT_REMARK };

function request(method: string, segments: string[], body: JsonObject, checked?: CheckedWrites): FhirRequest {
  return {
    method,
    base: '',
    segments,
    query: [],
    headers: { prefer: 'return=minimal' },
    body,
    ...(checked ? { checked } : {}),
  };
}

function describeIssues(issues: ValidationIssue[]): string {
  const errors = issues.filter((issue) => issue.severity === 'error' || issue.severity === 'fatal');
  const shown = (errors.length > 0 ? errors : issues).slice(0, 3);
  const more = errors.length > shown.length ? ` (and ${errors.length - shown.length} more)` : '';
  return (
    shown.map((issue) => (issue.expression ? `${issue.expression}: ${issue.text}` : issue.text)).join('; ') +
    more
  );
}

function outcomeText(outcome: unknown): string {
  const issues = isJsonObject(outcome) && Array.isArray(outcome.issue) ? outcome.issue : [];
  return issues
    .map((issue) => {
      const record = isJsonObject(issue) ? issue : {};
      const details = isJsonObject(record.details) ? record.details.text : undefined;
      return typeof details === 'string' ? details : String(record.code ?? 'error');
    })
    .join('; ');
}
