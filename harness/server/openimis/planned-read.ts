/**
 * Reading inside a write: the openIMIS rules judge a write against the data as it will be once it
 * commits, which in a transaction includes what the entries before it planned.
 */
import type { JsonObject } from '../../json.js';
import type { Change, Storage } from '../storage/types.js';

/**
 * A resource as it will be once a write commits: what its transaction planned before it (the last
 * change to it wins), else what is stored; undefined when deleted or unknown.
 */
export function readAsCommitted(
  storage: Storage,
  type: string,
  id: string,
  planned: readonly Change[] = [],
): JsonObject | undefined {
  for (let i = planned.length - 1; i >= 0; i--) {
    const change = planned[i] as Change;
    if (change.type === type && change.id === id)
      return change.kind === 'write' ? change.resource : undefined;
  }
  const version = storage.read(type, id);
  return version && version.method !== 'DELETE' ? (version.resource as JsonObject | undefined) : undefined;
}
