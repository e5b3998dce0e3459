/**
 * What every subcommand of `openimis-fhir` shares: option parsing that turns a usage mistake into a
 * one-line message, and the options of a FHIR server to talk to. Exit codes are in exit-codes.ts.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { TargetAuth } from '../runner/index.js';
import { EXIT, type ExitCode } from './exit-codes.js';

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

/**
 * What a command answers before it starts when its options ask it to stop: a usage mistake said with
 * the help (exit 2), or the help asked for (exit 0). Call it when parsing failed or `--help` was given.
 */
export function usageOrHelp(
  command: string,
  help: string,
  parsed: { ok: true } | { ok: false; error: string },
): ExitCode {
  if (!parsed.ok) {
    console.error(`openimis-fhir ${command}: ${parsed.error}\n\n${help}`);
    return EXIT.usage;
  }
  console.log(help);
  return EXIT.ok;
}

/** `--auth`: bearer:TOKEN, basic:USER:PASS or openimis:USER:PASS (`flag` names the option in errors). */
export function parseAuth(spec: string, flag = '--auth'): TargetAuth | Error {
  const [kind, ...rest] = spec.split(':');
  const value = rest.join(':');
  if (kind === 'bearer' && value) return { kind: 'bearer', token: value };
  const [user = '', ...password] = value.split(':');
  if ((kind === 'basic' || kind === 'openimis') && user && password.length > 0) {
    return { kind, user, password: password.join(':') };
  }
  return new Error(`${flag} must be bearer:TOKEN, basic:USER:PASS or openimis:USER:PASS`);
}

/** `--header 'Name: value'` (repeatable). */
export function parseHeaders(values: string[], flag = '--header'): Record<string, string> | Error {
  const headers: Record<string, string> = {};
  for (const value of values) {
    const colon = value.indexOf(':');
    if (colon < 1) return new Error(`${flag} must be 'Name: value', not '${value}'`);
    headers[value.slice(0, colon).trim()] = value.slice(colon + 1).trim();
  }
  return headers;
}

/** A positive whole number of bytes from a flag's text (undefined when the flag was not given). */
export function parseByteCount(text: string | undefined, flag: string): number | undefined | Error {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value <= 0)
    return new Error(`${flag} must be a positive whole number of bytes, not '${text}'`);
  return value;
}
