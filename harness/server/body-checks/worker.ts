/**
 * A body-check worker: parses a large request body within the server's limits and reaches the server's
 * write verdicts on the objects a write would check, off the main thread (body-checks/index.ts).
 */
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { isJsonObject, type JsonObject } from '../../json.js';
import { createValidator } from '../../validator/index.js';
import { parseJsonSource } from '../../validator/json-source.js';
import { jsonFailure, jsonParseLimits, xmlSizeProblem } from '../limits.js';
import { checkForWrite } from '../../validator/write-check.js';
import { fromXml } from '../formats.js';
import type { BodyDone, BodyJob, BodyWorkerSetup, VerdictPlace } from './protocol.js';
import type { WriteVerdict } from '../../validator/write-check.js';

// Checking a large body is background work: this thread yields the CPU to the thread answering other
// clients (on Linux, a thread's nice value is its own). Where that cannot be set, nothing changes.
try {
  setPriority(10);
} catch {
  // not permitted here: the thread keeps the process's priority
}

const setup = workerData as BodyWorkerSetup;
const validator = createValidator({ igs: setup.igs });
const igProfiles = new Map(Object.entries(setup.igProfiles));
const decoder = new TextDecoder();

function check(job: BodyJob): BodyDone {
  const text = decoder.decode(job.bytes);
  let value: unknown;
  let json: string | undefined;
  if (job.format === 'xml') {
    const tooLarge = xmlSizeProblem(text, setup.limits);
    if (tooLarge) return { id: job.id, ok: false, ...tooLarge };
    const parsed = fromXml(text);
    if (!parsed.ok)
      return {
        id: job.id,
        ok: false,
        status: 400,
        message: `The XML body cannot be read: ${parsed.message}`,
      };
    value = parsed.resource;
    json = JSON.stringify(value);
  } else {
    const parsed = parseJsonSource(text, jsonParseLimits(setup.limits));
    if (!parsed.ok) return { id: job.id, ok: false, ...jsonFailure(parsed.error) };
    value = parsed.json.value;
  }
  const verdicts: [VerdictPlace, WriteVerdict][] = [];
  const judge = (place: VerdictPlace, resource: JsonObject) =>
    verdicts.push([place, checkForWrite(validator, setup.mode, igProfiles, resource)]);
  if (setup.mode !== 'off' && isJsonObject(value)) {
    if (job.writes === 'resource') judge(-1, value);
    else if (job.writes === 'entries' && Array.isArray(value.entry))
      value.entry.forEach((entry, index) => {
        const request = isJsonObject(entry) ? entry.request : undefined;
        const method = isJsonObject(request) ? request.method : undefined;
        if (isJsonObject(entry) && isJsonObject(entry.resource) && (method === 'POST' || method === 'PUT'))
          judge(index, entry.resource);
      });
  }
  return { id: job.id, ok: true, ...(json !== undefined ? { json } : {}), verdicts };
}

parentPort?.on('message', (job: BodyJob) => {
  let done: BodyDone;
  try {
    done = check(job);
  } catch (error) {
    done = {
      id: job.id,
      ok: false,
      status: 503,
      message: `The server could not check the body: ${(error as Error).message}`,
    };
  }
  parentPort?.postMessage(done);
});
