/**
 * The storage contract: what the server keeps (versions of resources), the changes a commit makes, and
 * the `Storage` interface every store implements (MemoryStorage, JournalStorage). Nothing here knows of
 * HTTP or of search; the search index and notifications listen through `onCommit`.
 */
import type { JsonObject } from '../../json.js';

/** A resource as stored: always with resourceType, id and meta.versionId/lastUpdated. */
export interface StoredResource extends JsonObject {
  resourceType: string;
  id: string;
  meta: JsonObject & { versionId: string; lastUpdated: string };
}

/** One version of one resource; a delete is a version without a resource. */
export interface ResourceVersion {
  type: string;
  id: string;
  versionId: string;
  /** An instant with milliseconds and a zone, as the server's clock gave it. */
  lastUpdated: string;
  /** Absent for a delete. */
  resource?: StoredResource;
  /** The resource as JSON text, when the store keeps it so: sent on as it is by reads. */
  json?: string;
  /** The interaction that made this version. */
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
}

/** A change a commit makes; `ifVersion` is the version the client saw (If-Match), checked at commit. */
export type Change =
  | {
      kind: 'write';
      type: string;
      id: string;
      resource: JsonObject;
      method: 'POST' | 'PUT' | 'PATCH';
      ifVersion?: string;
    }
  | { kind: 'delete'; type: string; id: string; ifVersion?: string };

export interface HistoryQuery {
  type?: string;
  id?: string;
  /** Only versions made after this instant (exclusive), ISO string. */
  since?: string;
  /** Only the version current at this instant, per resource. */
  at?: string;
}

/**
 * Where resources live. Every write goes through `commit`, which is atomic (all changes or none) and,
 * for a durable store, on disk before it returns. Versions are numbered 1, 2, 3... per resource.
 * See http.html#create, #update, #delete, #history.
 */
export interface Storage {
  /** The current version of a resource (a delete included), or undefined if it never existed. */
  read(type: string, id: string): ResourceVersion | undefined;
  /** A given version (http.html#vread). */
  vread(type: string, id: string, versionId: string): ResourceVersion | undefined;
  /** Versions newest first (http.html#history). */
  history(query: HistoryQuery): ResourceVersion[];
  /** The ids of the resources of a type that exist now (not deleted). */
  ids(type: string): Iterable<string>;
  /** Every resource type that has at least one stored version. */
  types(): Iterable<string>;
  /**
   * Applies the changes atomically. Throws a `VersionConflictError` (nothing applied) when a change's
   * `ifVersion` is not the current version. Returns the versions made, in order.
   */
  commit(changes: Change[]): ResourceVersion[];
  /** Called after each successful commit, with the versions it made (the search index listens). */
  onCommit(listener: (versions: ResourceVersion[]) => void): void;
  /** Whether a commit can be kept now, and why not. */
  health(): StorageHealth;
  close(): void;
}

export type StorageHealth = { writable: true } | { writable: false; reason: string };

/**
 * A commit the store cannot keep: its journal is gone ('lost': every write from now on), or the disk is
 * full ('full': this write). Nothing of the commit was applied.
 */
export class StorageUnavailableError extends Error {
  constructor(
    message: string,
    readonly kind: 'lost' | 'full',
  ) {
    super(message);
  }
}

export class VersionConflictError extends Error {
  constructor(
    readonly type: string,
    readonly id: string,
    readonly expected: string,
    readonly actual: string | undefined,
  ) {
    super(`${type}/${id} is at version ${actual ?? '(none)'}, not ${expected}`);
  }
}
