/**
 * The sync engine's contract: what a run is told (where from, where to, since when, how to map codes)
 * and what it reports (counts, every failed entry with its OperationOutcome, the next lastSync).
 */
import type { TargetOptions } from '../runner/index.js';
import type { CodeMap } from './mapping.js';

/** Which changes are fetched: by `_lastUpdated` (mCSD's ITI-90 query) or from the history. */
export type SyncMode = 'lastUpdated' | 'history';

export interface SyncOptions {
  /** The master facility list (the registry). */
  from: TargetOptions;
  /** The server that receives the facilities (openIMIS). */
  to: TargetOptions;
  mode?: SyncMode;
  /** Changes since this instant (inclusive); absent: everything. */
  since?: string;
  /** Codes and identifiers rewritten on the way (ConceptMap or CSV). */
  map?: CodeMap;
  /** IG packages to validate against (default: this project's IG). */
  igs?: string[];
  /** Called now and then on a long run, and once at the end. */
  onProgress?: (counts: SyncCounts) => void;
  /** Resources per page asked of the registry (default 1,000; a registry may give fewer). */
  pageSize?: number;
}

export interface SyncCounts {
  fetched: number;
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
}

export type SyncStage = 'validate' | 'map' | 'resolve' | 'push';

export interface SyncFailure {
  /** `Type/id` in the registry. */
  reference: string;
  stage: SyncStage;
  /** Why, as an OperationOutcome (the target's own answer when it refused the write). */
  outcome: fhir4.OperationOutcome;
}

export interface SyncReport {
  from: string;
  to: string;
  mode: SyncMode;
  since?: string;
  startedAt: string;
  finishedAt: string;
  /** Whether every change was fetched and every entry dealt with (pushed, unchanged or logged). */
  completed: boolean;
  /** Why the run stopped, when it did not complete (the registry or the target failing). */
  stopped?: string;
  /** The lastSync of the next run: when this run began fetching; only meaningful when completed. */
  nextSince: string;
  counts: SyncCounts;
  failures: SyncFailure[];
}
