/**
 * What every subcommand of `openimis-fhir` shares: exit codes and option parsing that turns a usage
 * mistake into a one-line message.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** 0 success, 1 the job found problems, 2 a usage or configuration error. */
/** `incomplete`: the run stopped before the end (a worker thread failed); as the CLI's internal faults. */
export const EXIT = { ok: 0, problems: 1, usage: 2, incomplete: 70 } as const;

export type ParsedArgs<T extends ParseArgsConfig> = ReturnType<typeof parseArgs<T>>;

export function tryParseArgs<const T extends ParseArgsConfig>(
  config: T,
): { ok: true; parsed: ParsedArgs<T> } | { ok: false; error: string } {
  try {
    return { ok: true, parsed: parseArgs(config) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
