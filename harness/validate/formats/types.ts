/**
 * The contract of every output format: a formatter takes results one at a time, in order, and writes
 * to a sink as early as its format allows, so a run of a million resources is never held in memory.
 */
import type { FailOn, ResourceResult } from '../results.js';
import type { RunSummary } from '../summary.js';

export interface FormatOptions {
  /** The threshold: JUnit failures, and what the exit code counts. */
  failOn: FailOn;
  /** ANSI colours (text only). */
  colour?: boolean;
  /** The folder relative paths are relative to (SARIF base, OperationOutcome fullUrls). Default: cwd. */
  cwd?: string;
  /** The tool named in SARIF, JUnit and JSON. */
  tool?: { name: string; version: string };
  /** The JUnit root's and SARIF's name for the run (default "openimis-fhir validate"). */
  runName?: string;
}

export interface Formatter {
  add(result: ResourceResult): void;
  /** Writes what remains (closing brackets, headers that needed totals). */
  end(summary?: RunSummary): void;
}

export const DEFAULT_TOOL = { name: 'openimis-fhir', version: '0.0.0' };
