/**
 * A validation worker: builds its own validator once (definitions and compiled profiles stay warm in
 * this thread), then answers batches (documents, or an NDJSON chunk it splits into lines) with their
 * verdicts, in the order received, and hands a chunk's buffer back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createValidator } from '../validator/index.js';
import { validateChunk, validateText } from './validate-unit.js';
import type { WorkBatch, WorkerSetup, WorkDone } from './workers.js';

const setup = workerData as WorkerSetup;
const validator = createValidator({ igs: setup.igs });

parentPort?.on('message', (batch: WorkBatch) => {
  if ('chunk' in batch) {
    const verdicts = validateChunk(validator, batch.chunk, setup.shard, setup);
    const buffer = batch.chunk.data.buffer as ArrayBuffer;
    const done: WorkDone = { seq: batch.seq, verdicts: JSON.stringify(verdicts), buffer };
    parentPort?.postMessage(done, [buffer]);
  } else {
    const verdicts = batch.documents.map((document) =>
      validateText(
        validator,
        typeof document === 'string'
          ? document
          : Buffer.from(document.buffer, document.byteOffset, document.byteLength).toString('utf8'),
        setup,
      ),
    );
    parentPort?.postMessage({ seq: batch.seq, verdicts: JSON.stringify(verdicts) } satisfies WorkDone);
  }
});
