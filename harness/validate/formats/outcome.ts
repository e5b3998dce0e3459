/**
 * FHIR OperationOutcomes, as the HL7 validator writes them: one for a single resource; for several, a
 * Bundle (type collection) of them, each entry's fullUrl naming its input (`file:` URL, with `#L12` for
 * an NDJSON line). Baselined issues are left out: the outcome holds what counts.
 */
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
// The issues module, not the validator's index: writing reports does not load the validator.
import { toOperationOutcome } from '../../validator/issues.js';
import { STDIN_NAME } from '../inputs.js';
import type { Sink } from '../output.js';
import type { ResourceResult } from '../results.js';
import type { FormatOptions, Formatter } from './types.js';

export function fullUrlOf(result: ResourceResult, cwd: string): string {
  const base =
    result.file === STDIN_NAME
      ? 'urn:openimis-fhir:stdin'
      : pathToFileURL(isAbsolute(result.file) ? result.file : resolve(cwd, result.file)).href;
  return result.index === undefined ? base : `${base}#L${result.index}`;
}

export function createOutcomeFormatter(sink: Sink, options: FormatOptions): Formatter {
  const cwd = options.cwd ?? process.cwd();
  // The first result waits: alone it is written as a bare OperationOutcome, with others as a Bundle.
  let held: ResourceResult | undefined;
  let bundleOpen = false;
  const entry = (result: ResourceResult) =>
    JSON.stringify({ fullUrl: fullUrlOf(result, cwd), resource: toOperationOutcome(result.issues) });
  return {
    add(result) {
      if (!bundleOpen && held === undefined) {
        held = result;
        return;
      }
      if (!bundleOpen) {
        sink.write(
          `{"resourceType":"Bundle","type":"collection","entry":[\n${entry(held as ResourceResult)}`,
        );
        bundleOpen = true;
        held = undefined;
      }
      sink.write(`,\n${entry(result)}`);
    },
    end() {
      if (bundleOpen) sink.write('\n]}\n');
      else if (held) sink.write(`${JSON.stringify(toOperationOutcome(held.issues), null, 2)}\n`);
      else sink.write('{"resourceType":"Bundle","type":"collection"}\n');
    },
  };
}
