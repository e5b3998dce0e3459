/**
 * Validation spread over worker threads, results kept in input order. The main thread reads the inputs
 * and deals them to a pool (each worker builds its own validator once): NDJSON as chunks of bytes
 * handed over without a copy (a worker splits and decodes the lines), documents as batches of texts.
 * A cap of batches in flight per worker bounds memory whatever the input size: reading waits while
 * every worker is busy. The main thread holds no resource text, only verdicts on their way out (and,
 * with a pool, no definitions), and each worker's young generation is kept small: a run of any length
 * stays within a fixed footprint.
 * With one worker, everything runs on the main thread (no thread to start, nothing to copy).
 */
import { Worker } from 'node:worker_threads';
import type { JsonObject } from '../json.js';
import { compiledWorker } from '../paths.js';
import type { Validator } from '../validator/index.js';
import {
  documentSize,
  documentText,
  isChunk,
  isFailure,
  type InputDocument,
  type InputFailure,
  type InputItem,
} from './inputs.js';
import type { ChunkBuffers, NdjsonChunk } from './ndjson-chunks.js';
import type { ResourceResult } from './results.js';
import type { Shard } from './shard.js';
import type { PartOfBundle } from './bundle-split.js';
import {
  validateChunk,
  validateText,
  type LineVerdict,
  type UnitVerdict,
  type WriteCheckSetup,
} from './validate-unit.js';

export interface WorkerSetup {
  igs: string[];
  profiles: string[];
  shard: Shard;
  /** Check each resource as a write would (a bulk load), and hand the accepted ones back parsed. */
  write?: WriteCheckSetup;
}

/** Documents go as text, or as UTF-8 bytes (a Bundle's part) the worker decodes. */
export type WorkBatch =
  { seq: number; documents: (string | Uint8Array)[] } | { seq: number; chunk: NdjsonChunk };

export interface WorkDone {
  seq: number;
  /**
   * The verdicts (one per document, or one per line of the chunk in the shard) as JSON: they may wait
   * for an earlier batch, and one string waits cheaply where thousands of objects, kept alive across
   * the main thread's collections, would be promoted to its old generation as garbage to come.
   */
  verdicts: string;
  /** The chunk's buffer, handed back for the next read. */
  buffer?: ArrayBuffer;
}

/** A validated unit, with the bytes it covered (for progress). */
export interface ValidatedUnit extends ResourceResult {
  bytes: number;
  /** Write checks: the status a write of it is refused with; absent when accepted. */
  refused?: 400 | 422;
  /** Write checks: the accepted resource, parsed. */
  resource?: JsonObject;
  /** The part of a large Bundle this result is of (bundle-units.ts turns it into its entries). */
  bundle?: PartOfBundle;
}

export interface PoolOptions {
  workers: number;
  setup: WorkerSetup;
  /**
   * The main thread's validator, made when first needed: for every item with one worker; with a pool,
   * only for an item too large for a worker (until then the main thread loads no definitions).
   */
  validator: () => Promise<Validator>;
  /** Where a chunk's buffer goes back once its lines are validated (the reader's, for reuse). */
  buffers?: ChunkBuffers;
  /** The workers' young generation, when not WORKER_YOUNG_GENERATION_MB (a run with Bundle parts). */
  youngGenerationMb?: number;
}

/** Documents are sent in batches of this many characters, or `DOCUMENTS_PER_BATCH`, whichever first. */
const BATCH_CHARS = 1 << 20;
const DOCUMENTS_PER_BATCH = 64;
const IN_FLIGHT_PER_WORKER = 2;
/**
 * Heap limits per worker. A worker's old generation holds its definitions and compiled profiles (about
 * 40 MB for the openIMIS resources, 70 MB with 44 resource types compiled): its cap only guards the
 * process, and is far enough above that the collector never thrashes. The young generation is the
 * lever on the footprint: V8's default (48 MB per worker) costs 40 MB more at the same speed, measured.
 */
const WORKER_OLD_GENERATION_MB = 256;
const WORKER_YOUNG_GENERATION_MB = 16;
/** An item larger than this is validated on the main thread, whose heap is not capped. */
const LARGE_ITEM_BYTES = 8 << 20;

/** A write check's parts of a verdict (refused, resource), when there are any. */
function writeParts(verdict: UnitVerdict): Pick<ValidatedUnit, 'refused' | 'resource'> {
  const { refused, resource } = verdict;
  return {
    ...(refused !== undefined ? { refused } : {}),
    ...(resource !== undefined ? { resource } : {}),
  };
}

function documentResult(document: InputDocument, verdict: UnitVerdict): ValidatedUnit {
  const { file, bytes } = document;
  return {
    file,
    ...(verdict.resourceType !== undefined ? { resourceType: verdict.resourceType } : {}),
    ...(verdict.identity !== undefined ? { identity: verdict.identity } : {}),
    issues: verdict.issues,
    bytes,
    ...writeParts(verdict),
    ...(document.bundle ? { bundle: document.bundle } : {}),
  };
}

function lineResult(file: string, verdict: LineVerdict): ValidatedUnit {
  const { index, bytes, resourceType, identity, issues } = verdict;
  return {
    file,
    index,
    ...(resourceType !== undefined ? { resourceType } : {}),
    ...(identity !== undefined ? { identity } : {}),
    issues,
    bytes,
    ...writeParts(verdict),
  };
}

/** Validates an item on this thread. */
async function validateItemHere(item: InputItem, options: PoolOptions): Promise<ValidatedUnit[]> {
  const { setup } = options;
  const validator = await options.validator();
  if (!isChunk(item)) return [documentResult(item, validateText(validator, documentText(item), setup))];
  const verdicts = validateChunk(validator, item, setup.shard, setup);
  options.buffers?.give(item.data.buffer as ArrayBuffer);
  return verdicts.map((verdict) => lineResult(item.file, verdict));
}

async function* validateHere(
  items: AsyncIterable<InputItem | InputFailure>,
  options: PoolOptions,
): AsyncGenerator<ValidatedUnit | InputFailure> {
  // The next item is read while this one is validated: reading is I/O, validating is this thread.
  const reader = items[Symbol.asyncIterator]();
  let next = reader.next();
  for (;;) {
    const current = await next;
    if (current.done) return;
    next = reader.next();
    const item = current.value;
    if (isFailure(item)) yield item;
    else yield* await validateItemHere(item, options);
  }
}

/**
 * The ArrayBuffer to move with bytes: theirs when they fill it, else a copy (a small Buffer may share
 * Node's pool, and moving that would take it from everything else using it).
 */
function ownBuffer(bytes: Uint8Array): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength)
    return bytes.buffer as ArrayBuffer;
  return new Uint8Array(bytes).buffer; // a copy (Buffer's slice would be a view)
}

/** A worker thread failed (ran out of memory, most likely): the run cannot complete. */
export class PoolFailure extends Error {}

/** One dispatched batch, or results already known (a failure, an item validated here), in input order. */
type Slot =
  | { kind: 'documents'; documents: InputDocument[]; verdicts?: string }
  | { kind: 'chunk'; file: string; firstLine: number; verdicts?: string }
  | { kind: 'known'; results: (ValidatedUnit | InputFailure)[] };

async function* validateInPool(
  items: AsyncIterable<InputItem | InputFailure>,
  options: PoolOptions,
): AsyncGenerator<ValidatedUnit | InputFailure> {
  const file = compiledWorker(import.meta.url, 'validate-worker.js');
  const workers = Array.from(
    { length: options.workers },
    () =>
      new Worker(file, {
        workerData: options.setup satisfies WorkerSetup,
        // Out of memory past these, a worker stops and the run fails (exit 70).
        resourceLimits: {
          maxOldGenerationSizeMb: WORKER_OLD_GENERATION_MB,
          maxYoungGenerationSizeMb: options.youngGenerationMb ?? WORKER_YOUNG_GENERATION_MB,
        },
      }),
  );
  /** The batches each worker has, oldest first: what it was validating when it failed. */
  const inFlight = new Map<Worker, number[]>(workers.map((w) => [w, []]));
  const slots = new Map<number, Slot>();
  let nextSeq = 0;
  let emitSeq = 0;
  let failed: PoolFailure | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };
  // Rejected when a worker fails, so that a run waiting on its input (a stdin that stays open) stops.
  let reportFailure: (failure: PoolFailure) => void = () => {};
  const failure = new Promise<never>((_, reject) => (reportFailure = reject));
  failure.catch(() => {});
  const fail = (worker: Worker, cause: string) => {
    if (failed) return;
    const slot = slots.get(inFlight.get(worker)?.[0] ?? -1);
    const where =
      slot?.kind === 'chunk'
        ? ` on ${slot.file} from line ${slot.firstLine}`
        : slot?.kind === 'documents'
          ? ` on ${slot.documents.map((d) => d.file).join(', ')}`
          : '';
    failed = new PoolFailure(
      `a validation worker stopped${where}: ${cause}` +
        (/memory/i.test(cause)
          ? "; --workers 1 validates on the main thread, without a worker's memory limit"
          : ''),
    );
    reportFailure(failed);
    notify();
  };
  for (const worker of workers) {
    worker.on('message', (done: WorkDone) => {
      inFlight.get(worker)?.shift();
      const slot = slots.get(done.seq);
      if (slot && slot.kind !== 'known') slot.verdicts = done.verdicts;
      if (done.buffer) options.buffers?.give(done.buffer);
      notify();
    });
    worker.on('error', (error) => fail(worker, error.message));
    worker.on('exit', (code) => {
      if (code !== 0) fail(worker, `exit code ${code}`);
    });
  }
  const waitForNews = () => new Promise<void>((resolve) => (wake = resolve));
  const freeWorker = () => {
    let best: Worker | undefined;
    for (const [worker, seqs] of inFlight)
      if (seqs.length < IN_FLIGHT_PER_WORKER && (!best || seqs.length < (inFlight.get(best)?.length ?? 0)))
        best = worker;
    return best;
  };
  /** The results ready in order, from the oldest slot on. */
  function* ready(): Generator<ValidatedUnit | InputFailure> {
    for (;;) {
      const slot = slots.get(emitSeq);
      if (!slot) return;
      if (slot.kind === 'known') yield* slot.results;
      else if (slot.kind === 'chunk' && slot.verdicts) {
        for (const verdict of JSON.parse(slot.verdicts) as LineVerdict[])
          yield lineResult(slot.file, verdict);
      } else if (slot.kind === 'documents' && slot.verdicts) {
        const { documents } = slot;
        const verdicts = JSON.parse(slot.verdicts) as UnitVerdict[];
        for (let i = 0; i < documents.length; i++)
          yield documentResult(documents[i] as InputDocument, verdicts[i] as UnitVerdict);
      } else return;
      slots.delete(emitSeq++);
    }
  }
  /** Sends a batch to the least busy worker, once one has room; results that came meanwhile go out. */
  async function* dispatch(
    slot: Slot,
    batch: WorkBatch,
    transfer: ArrayBuffer[],
  ): AsyncGenerator<ValidatedUnit | InputFailure> {
    let worker = freeWorker();
    while (!worker) {
      if (failed) throw failed;
      await waitForNews();
      yield* ready();
      worker = freeWorker();
    }
    slots.set(batch.seq, slot);
    inFlight.get(worker)?.push(batch.seq);
    worker.postMessage(batch, transfer);
    yield* ready();
  }
  let pending: InputDocument[] = [];
  let pendingChars = 0;
  async function* sendDocuments(): AsyncGenerator<ValidatedUnit | InputFailure> {
    if (pending.length === 0) return;
    const documents = pending;
    pending = [];
    pendingChars = 0;
    const seq = nextSeq++;
    // The texts go by copy; the slot keeps only what the results need.
    // Bytes are moved, not copied: the worker decodes them.
    const batch = { seq, documents: documents.map((d) => d.encoded ?? d.text) };
    const transfer = documents.flatMap((d) => (d.encoded ? [ownBuffer(d.encoded)] : []));
    const slot: Slot = {
      kind: 'documents',
      documents: documents.map(({ encoded: _bytes, ...d }) => ({ ...d, text: '' })),
    };
    yield* dispatch(slot, batch, transfer);
  }
  const reader = items[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = await Promise.race([reader.next(), failure]);
      if (next.done) break;
      const item = next.value;
      const large =
        !isFailure(item) && (isChunk(item) ? item.data.length : documentSize(item)) > LARGE_ITEM_BYTES;
      if (isFailure(item) || large) {
        yield* sendDocuments();
        const results = isFailure(item) ? [item] : await validateItemHere(item, options);
        slots.set(nextSeq++, { kind: 'known', results });
        yield* ready();
      } else if (isChunk(item)) {
        yield* sendDocuments();
        const seq = nextSeq++;
        const slot: Slot = { kind: 'chunk', file: item.file, firstLine: item.firstLine };
        yield* dispatch(slot, { seq, chunk: item }, [item.data.buffer as ArrayBuffer]);
      } else {
        pending.push(item);
        pendingChars += documentSize(item);
        if (pending.length >= DOCUMENTS_PER_BATCH || pendingChars >= BATCH_CHARS) yield* sendDocuments();
      }
    }
    yield* sendDocuments();
    while (emitSeq < nextSeq) {
      if (failed) throw failed;
      yield* ready();
      // Checked again after the consumer ran: news that came meanwhile is already in the slots.
      const head = slots.get(emitSeq);
      if (emitSeq < nextSeq && head && head.kind !== 'known' && !head.verdicts && !failed)
        await waitForNews();
    }
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

/** Validates the items, on this thread (`workers` 1) or a pool of threads; results in input order. */
export function validateItems(
  items: AsyncIterable<InputItem | InputFailure>,
  options: PoolOptions,
): AsyncGenerator<ValidatedUnit | InputFailure> {
  return options.workers <= 1 ? validateHere(items, options) : validateInPool(items, options);
}
