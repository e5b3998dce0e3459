/**
 * The state a scheduled sync keeps between runs: the lastSync its next run starts from, written only
 * after a run that completed, and atomically (a temporary file renamed over the old one), so a run
 * killed midway leaves the previous state whole.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { isJsonObject } from '../json.js';

export interface SyncState {
  lastSync: string;
}

/** The state in a file: undefined when there is none yet; an Error when it cannot be read. */
export function readState(path: string): SyncState | undefined | Error {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return new Error(`cannot read the state ${path}: ${(error as Error).message}`);
  }
  try {
    const state: unknown = JSON.parse(text);
    if (
      isJsonObject(state) &&
      typeof state.lastSync === 'string' &&
      !Number.isNaN(Date.parse(state.lastSync))
    )
      return { lastSync: state.lastSync };
  } catch {
    // said below
  }
  return new Error(`the state ${path} is not {"lastSync": "<instant>"}`);
}

export function writeState(path: string, state: SyncState): void {
  writeAtomically(path, `${JSON.stringify(state, null, 2)}\n`);
}

/** The text written to a temporary file beside the path, then renamed over it. */
export function writeAtomically(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
