/**
 * The output formats of validate and qa. Each takes results one at a time (see types.ts); formatResults
 * is the convenience for callers that already hold a list.
 */
import { StringSink, type Sink } from '../output.js';
import type { ResourceResult } from '../results.js';
import type { RunSummary } from '../summary.js';
import { createGithubFormatter } from './github.js';
import { createJsonFormatter } from './json.js';
import { createJunitFormatter } from './junit.js';
import { createOutcomeFormatter } from './outcome.js';
import { createSarifFormatter } from './sarif.js';
import { createTextFormatter } from './text.js';
import type { FormatOptions, Formatter } from './types.js';

export type { FormatOptions, Formatter } from './types.js';

export const OUTPUT_FORMATS = ['text', 'json', 'outcome', 'junit', 'sarif', 'github'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export function isOutputFormat(value: string): value is OutputFormat {
  return (OUTPUT_FORMATS as readonly string[]).includes(value);
}

const FACTORIES: Record<OutputFormat, (sink: Sink, options: FormatOptions) => Formatter> = {
  text: createTextFormatter,
  json: createJsonFormatter,
  outcome: createOutcomeFormatter,
  junit: createJunitFormatter,
  sarif: createSarifFormatter,
  github: createGithubFormatter,
};

export function createFormatter(format: OutputFormat, sink: Sink, options: FormatOptions): Formatter {
  return FACTORIES[format](sink, options);
}

/** The whole output for a list of results, as a string. */
export function formatResults(
  format: OutputFormat,
  results: Iterable<ResourceResult>,
  options: FormatOptions,
  summary?: RunSummary,
): string {
  const sink = new StringSink();
  const formatter = createFormatter(format, sink, options);
  for (const result of results) formatter.add(result);
  formatter.end(summary);
  return sink.toString();
}
