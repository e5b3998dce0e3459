/**
 * JSON: every result (file, NDJSON line, resource type, issues, suppressed issues with their reasons),
 * one per line inside a `results` array, then the run's summary. Written as results come.
 */
import type { Sink } from '../output.js';
import { DEFAULT_TOOL, type FormatOptions, type Formatter } from './types.js';

export function createJsonFormatter(sink: Sink, options: FormatOptions): Formatter {
  const tool = options.tool ?? DEFAULT_TOOL;
  sink.write(
    `{\n"tool": ${JSON.stringify(tool)},\n"failOn": ${JSON.stringify(options.failOn)},\n"results": [`,
  );
  let first = true;
  return {
    add(result) {
      sink.write(`${first ? '\n' : ',\n'}${JSON.stringify(result)}`);
      first = false;
    },
    end(summary) {
      sink.write(`${first ? '' : '\n'}]${summary ? `,\n"summary": ${JSON.stringify(summary)}` : ''}\n}\n`);
    },
  };
}
