/**
 * Large request bodies are parsed and checked off the event loop, so one client's 3 MB write does not
 * hold up everybody else's reads. A small pool of worker threads (started when the first large body
 * comes) each parse a body within the server's limits and reach the server's write verdicts on the
 * objects a write of it would check; the main thread then only builds the body again with JSON.parse
 * (native, several times faster than a parser that records positions) and hands the verdicts to the
 * write by object (FhirRequest.checked), so nothing is validated twice. The verdicts are those the main
 * thread would reach: same validator, same IG, same validation mode.
 *
 * Mid-size bodies (a claim, a family's transaction) are shared with the workers too, when one is running
 * and not backed up (`canShare`): their validation then runs beside the event loop instead of on it.
 *
 * A worker that dies (out of memory on some hostile body within the limits) fails only the jobs it had,
 * with 503, and a new one is started for the next body. Jobs beyond a fixed queue are refused with 503
 * and Retry-After rather than held in memory.
 */
import { Worker } from 'node:worker_threads';
import { isJsonObject, type JsonObject } from '../../json.js';
import { compiledWorker } from '../../paths.js';
import type { WriteVerdict } from '../../validator/write-check.js';
import type { CheckedWrites } from '../exchange.js';
import type { BodyDone, BodyJob, BodyWorkerSetup, WriteShape } from './protocol.js';

export type { BodyWorkerSetup, WriteShape } from './protocol.js';

export type BodyCheck =
  | { ok: true; body: unknown; checked: CheckedWrites }
  | { ok: false; status: 400 | 413 | 503; message: string };

export interface BodyChecksOptions {
  setup: BodyWorkerSetup;
  /** Worker threads (default 1: a sandbox server's large bodies are rare). */
  workers?: number;
  /** Bodies waiting or being checked at most; more are refused with 503. */
  maxQueued?: number;
}

/** A worker's heap: a body at the limits, parsed with positions, fits with room to spare. */
const WORKER_OLD_GENERATION_MB = 768;

interface Pending {
  resolve: (done: BodyDone) => void;
  worker: Worker;
}

/**
 * Jobs waiting per running worker below which a mid-size body is shared with the workers; above it the
 * main thread checks it itself, so both threads stay busy rather than one queue growing.
 */
const SHARE_WHILE_PENDING_PER_WORKER = 8;

export class BodyChecks {
  private readonly pending = new Map<number, Pending>();
  private readonly workers: (Worker | undefined)[];
  /** The workers that have started and can take a job at once. */
  private readonly online = new Set<Worker>();
  /** Bodies checked by the workers since the start. */
  private checked = 0;
  private nextId = 0;
  private closed = false;
  private readonly maxQueued: number;

  constructor(private readonly options: BodyChecksOptions) {
    this.workers = Array.from({ length: Math.max(1, options.workers ?? 1) }, () => undefined);
    this.maxQueued = options.maxQueued ?? 32;
  }

  /** Parses and checks a body (UTF-8 bytes; a copy goes to the worker). */
  async check(bytes: Buffer, format: 'json' | 'xml', writes: WriteShape): Promise<BodyCheck> {
    if (this.closed) return { ok: false, status: 503, message: 'The server is stopping' };
    if (this.pending.size >= this.maxQueued)
      return {
        ok: false,
        status: 503,
        message: 'Too many large bodies are being checked; try again shortly',
      };
    const id = this.nextId++;
    const worker = this.leastBusy();
    const copy = new Uint8Array(bytes);
    const done = await new Promise<BodyDone>((resolve) => {
      this.pending.set(id, { resolve, worker });
      const job: BodyJob = { id, bytes: copy, format, writes };
      worker.postMessage(job, [copy.buffer]);
    });
    this.checked++;
    if (!done.ok) return { ok: false, status: done.status, message: done.message };
    // The worker's parse stood: the text is valid JSON within the limits, and JSON.parse builds the same
    // values (the later of duplicate keys kept, as ours does) several times faster.
    const body: unknown = JSON.parse(done.json ?? bytes.toString('utf8'));
    return { ok: true, body, checked: placeVerdicts(body, done.verdicts) };
  }

  /**
   * Whether a worker can take a mid-size body now (one that the main thread could as well check itself):
   * a worker is running and not backed up. The first ask starts one, in the background, so no answer
   * waits for a worker to start.
   */
  canShare(): boolean {
    if (this.closed) return false;
    if (this.online.size === 0) {
      if (this.workers.every((worker) => worker === undefined)) this.warm();
      return false;
    }
    return this.pending.size < SHARE_WHILE_PENDING_PER_WORKER * this.online.size;
  }

  /** What the health endpoints say of the checking threads. */
  state(): { running: number; checked: number; waiting: number } {
    return { running: this.online.size, checked: this.checked, waiting: this.pending.size };
  }

  /** Starts the workers now rather than at the first large body (whose answer would wait for them). */
  warm(): void {
    this.workers.forEach((worker, slot) => {
      if (!worker) this.workers[slot] = this.start(slot);
    });
  }

  close(): Promise<unknown> {
    this.closed = true;
    this.online.clear();
    return Promise.all(this.workers.map((worker) => worker?.terminate()));
  }

  private leastBusy(): Worker {
    let best = 0;
    let fewest = Infinity;
    this.workers.forEach((worker, index) => {
      const load = worker === undefined ? 0 : this.loadOf(worker);
      if (load < fewest) {
        fewest = load;
        best = index;
      }
    });
    return (this.workers[best] ??= this.start(best));
  }

  private loadOf(worker: Worker): number {
    let load = 0;
    for (const pending of this.pending.values()) if (pending.worker === worker) load++;
    return load;
  }

  private start(slot: number): Worker {
    const worker = new Worker(compiledWorker(import.meta.url, 'worker.js'), {
      workerData: this.options.setup,
      resourceLimits: { maxOldGenerationSizeMb: WORKER_OLD_GENERATION_MB },
    });
    worker.unref();
    worker.once('online', () => this.online.add(worker));
    worker.on('message', (done: BodyDone) => {
      const pending = this.pending.get(done.id);
      this.pending.delete(done.id);
      pending?.resolve(done);
    });
    const fail = () => {
      this.online.delete(worker);
      if (this.workers[slot] === worker) this.workers[slot] = undefined;
      for (const [id, pending] of this.pending)
        if (pending.worker === worker) {
          this.pending.delete(id);
          pending.resolve({
            id,
            ok: false,
            status: 503,
            message: 'The server could not check the body (its checker stopped); try again',
          });
        }
    };
    worker.on('error', fail);
    worker.on('exit', fail);
    return worker;
  }
}

/** The verdicts on the objects they judge: the body (-1) or the resource of Bundle.entry[i]. */
function placeVerdicts(body: unknown, verdicts: [number, WriteVerdict][]): CheckedWrites {
  const checked = new WeakMap<object, WriteVerdict>();
  if (!isJsonObject(body)) return checked;
  const entries = Array.isArray(body.entry) ? body.entry : [];
  for (const [place, verdict] of verdicts) {
    const entry = place === -1 ? undefined : entries[place];
    const target = place === -1 ? body : isJsonObject(entry) ? entry.resource : undefined;
    if (isJsonObject(target)) checked.set(target as JsonObject, verdict);
  }
  return checked;
}
