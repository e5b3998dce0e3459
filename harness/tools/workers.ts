/**
 * Validation spread over worker threads, results kept in input order. The main thread reads the inputs
 * and deals batches of units to a pool (each worker builds its own validator once); batching amortises
 * the messaging, and a cap of batches in flight per worker bounds memory whatever the input size:
 * reading waits while every worker is busy. With one worker, units are validated on the main thread
 * (no thread to start, no copying).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { PROJECT_ROOT } from '../paths.js';
import type { Validator } from '../validator/index.js';
import { isFailure, type InputFailure, type InputUnit } from './inputs.js';
import type { ResourceResult } from './results.js';
import { validateUnit, type UnitToValidate, type UnitVerdict } from './validate-unit.js';

export interface WorkerSetup {
  igs: string[];
  profiles: string[];
}

export interface WorkBatch {
  seq: number;
  units: UnitToValidate[];
}

export interface WorkDone {
  seq: number;
  verdicts: UnitVerdict[];
}

/** A validated unit, with the bytes it covered (for progress). */
export interface ValidatedUnit extends ResourceResult {
  bytes: number;
}

export interface PoolOptions {
  workers: number;
  setup: WorkerSetup;
  /** The validator used when `workers` is 1. */
  validator: Validator;
  /** Units per batch at most (default 64). */
  batchSize?: number;
}

const BATCH_CHARS = 1 << 20;
const IN_FLIGHT_PER_WORKER = 2;
const WORKER_OLD_GENERATION_MB = 256;

/**
 * The compiled worker. Run from the TypeScript sources (the tests), there is no .js beside this file:
 * the build's copy is used (`npm test` builds first).
 */
function workerFile(): string {
  const here = fileURLToPath(import.meta.url);
  const beside = join(dirname(here), 'validate-worker.js');
  if (here.endsWith('.js') && existsSync(beside)) return beside;
  return join(PROJECT_ROOT, 'dist', 'harness', 'tools', 'validate-worker.js');
}

function resultOf(meta: Pick<InputUnit, 'file' | 'index' | 'bytes'>, verdict: UnitVerdict): ValidatedUnit {
  return {
    file: meta.file,
    ...(meta.index !== undefined ? { index: meta.index } : {}),
    ...(verdict.resourceType !== undefined ? { resourceType: verdict.resourceType } : {}),
    issues: verdict.issues,
    bytes: meta.bytes,
  };
}

async function* validateHere(
  units: AsyncIterable<InputUnit | InputFailure>,
  options: PoolOptions,
): AsyncGenerator<ValidatedUnit | InputFailure> {
  for await (const unit of units) {
    if (isFailure(unit)) yield unit;
    else yield resultOf(unit, validateUnit(options.validator, unit, options.setup.profiles));
  }
}

type Meta = Pick<InputUnit, 'file' | 'index' | 'bytes'>;

/** One dispatched batch, or an input failure kept in its place in the order. */
type Slot =
  { kind: 'batch'; metas: Meta[]; verdicts?: UnitVerdict[] } | { kind: 'failure'; failure: InputFailure };

async function* validateInPool(
  units: AsyncIterable<InputUnit | InputFailure>,
  options: PoolOptions,
): AsyncGenerator<ValidatedUnit | InputFailure> {
  const batchSize = options.batchSize ?? 64;
  const file = workerFile();
  const workers = Array.from(
    { length: options.workers },
    () =>
      new Worker(file, {
        workerData: options.setup satisfies WorkerSetup,
        // V8 grows a heap lazily up to its limit; a cap keeps each worker's garbage in check (a
        // resource needing more than this fails the run: exit 70).
        resourceLimits: { maxOldGenerationSizeMb: WORKER_OLD_GENERATION_MB },
      }),
  );
  const inFlight = new Map<Worker, number>(workers.map((w) => [w, 0]));
  const slots = new Map<number, Slot>();
  let nextSeq = 0;
  let emitSeq = 0;
  let failed: Error | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };
  for (const worker of workers) {
    worker.on('message', (done: WorkDone) => {
      inFlight.set(worker, (inFlight.get(worker) ?? 1) - 1);
      const slot = slots.get(done.seq);
      if (slot?.kind === 'batch') slot.verdicts = done.verdicts;
      notify();
    });
    worker.on('error', (error) => {
      failed = error;
      notify();
    });
    worker.on('exit', (code) => {
      if (code !== 0 && !failed) failed = new Error(`a validation worker stopped (exit code ${code})`);
      notify();
    });
  }
  const waitForNews = () => new Promise<void>((resolve) => (wake = resolve));
  const freeWorker = () => {
    let best: Worker | undefined;
    for (const [worker, count] of inFlight)
      if (count < IN_FLIGHT_PER_WORKER && (!best || count < (inFlight.get(best) ?? 0))) best = worker;
    return best;
  };
  /** The results ready in order, from the oldest slot on. */
  function* ready(): Generator<ValidatedUnit | InputFailure> {
    for (;;) {
      const slot = slots.get(emitSeq);
      if (!slot) return;
      if (slot.kind === 'failure') yield slot.failure;
      else if (slot.verdicts) {
        const { verdicts } = slot;
        for (let i = 0; i < slot.metas.length; i++)
          yield resultOf(slot.metas[i] as Meta, verdicts[i] as UnitVerdict);
      } else return;
      slots.delete(emitSeq++);
    }
  }
  let pending: UnitToValidate[] = [];
  let pendingMetas: Meta[] = [];
  let pendingChars = 0;
  async function* dispatch(): AsyncGenerator<ValidatedUnit | InputFailure> {
    let worker = freeWorker();
    while (!worker) {
      if (failed) throw failed;
      await waitForNews();
      yield* ready();
      worker = freeWorker();
    }
    const seq = nextSeq++;
    slots.set(seq, { kind: 'batch', metas: pendingMetas });
    inFlight.set(worker, (inFlight.get(worker) ?? 0) + 1);
    worker.postMessage({ seq, units: pending } satisfies WorkBatch);
    pending = [];
    pendingMetas = [];
    pendingChars = 0;
    yield* ready();
  }
  try {
    for await (const unit of units) {
      if (failed) throw failed;
      if (isFailure(unit)) {
        if (pending.length > 0) yield* dispatch();
        slots.set(nextSeq++, { kind: 'failure', failure: unit });
        yield* ready();
        continue;
      }
      pending.push(unit.index === undefined ? { text: unit.text } : { text: unit.text, index: unit.index });
      pendingMetas.push({ file: unit.file, index: unit.index, bytes: unit.bytes });
      pendingChars += unit.text.length;
      if (pending.length >= batchSize || pendingChars >= BATCH_CHARS) yield* dispatch();
    }
    if (pending.length > 0) yield* dispatch();
    while (emitSeq < nextSeq) {
      if (failed) throw failed;
      yield* ready();
      // Checked again after the consumer ran: news that came meanwhile is already in the slots.
      const head = slots.get(emitSeq);
      if (emitSeq < nextSeq && head?.kind === 'batch' && !head.verdicts && !failed) await waitForNews();
    }
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

/** Validates the units, on this thread (`workers` 1) or a pool of threads; results in input order. */
export function validateUnits(
  units: AsyncIterable<InputUnit | InputFailure>,
  options: PoolOptions,
): AsyncGenerator<ValidatedUnit | InputFailure> {
  return options.workers <= 1 ? validateHere(units, options) : validateInPool(units, options);
}
