/**
 * A validation worker: builds its own validator once (definitions and compiled profiles stay warm in
 * this thread), then answers batches of units with their verdicts, in the order received.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createValidator } from '../validator/index.js';
import { validateUnit } from './validate-unit.js';
import type { WorkBatch, WorkerSetup, WorkDone } from './workers.js';

const setup = workerData as WorkerSetup;
const validator = createValidator({ igs: setup.igs });

parentPort?.on('message', (batch: WorkBatch) => {
  const done: WorkDone = {
    seq: batch.seq,
    verdicts: batch.units.map((unit) => validateUnit(validator, unit, setup.profiles)),
  };
  parentPort?.postMessage(done);
});
