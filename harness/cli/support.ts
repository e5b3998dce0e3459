/**
 * What every subcommand of `openimis-fhir` shares: option parsing that turns a usage mistake into a
 * one-line message. Exit codes are in exit-codes.ts.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

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
