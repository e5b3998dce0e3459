/**
 * Validating what the inputs are read into, the same way on the main thread and in a worker: a
 * document, or the lines of an NDJSON chunk, with positions moved from "line 1 of this line" to the
 * line of the file.
 */
import type { ValidationIssue, Validator } from '../validator/index.js';
import { linesOfChunk, type NdjsonChunk } from './ndjson-chunks.js';
import type { Shard } from './shard.js';

export interface UnitVerdict {
  resourceType?: string;
  issues: ValidationIssue[];
}

/** The verdict on one NDJSON line. */
export interface LineVerdict extends UnitVerdict {
  index: number;
  bytes: number;
}

/**
 * The first `"resourceType": "X"` in the text. A resource's own type comes first in practice (every FHIR
 * serializer writes it first); reading it from the text spares a second parse of every resource.
 */
const RESOURCE_TYPE = /"resourceType"\s*:\s*"([A-Za-z]{1,64})"/;

export function resourceTypeOf(text: string): string | undefined {
  return RESOURCE_TYPE.exec(text.slice(0, 4096))?.[1] ?? RESOURCE_TYPE.exec(text)?.[1];
}

/** Validates a text; `line` (an NDJSON line number) places its issues in the file. */
export function validateText(
  validator: Validator,
  text: string,
  profiles: string[],
  line?: number,
): UnitVerdict {
  const { issues } = validator.validateDetailed(text, { profiles });
  const resourceType = resourceTypeOf(text);
  const placed =
    line === undefined
      ? issues
      : issues.map((item) =>
          item.location
            ? { ...item, location: { line: line + item.location.line - 1, column: item.location.column } }
            : item,
        );
  return resourceType === undefined ? { issues: placed } : { resourceType, issues: placed };
}

/** Validates the chunk's lines that are in the shard, in order. */
export function validateChunk(
  validator: Validator,
  chunk: NdjsonChunk,
  shard: Shard,
  profiles: string[],
): LineVerdict[] {
  const verdicts: LineVerdict[] = [];
  for (const line of linesOfChunk(chunk, shard))
    verdicts.push({
      index: line.index,
      bytes: line.bytes,
      ...validateText(validator, line.text, profiles, line.index),
    });
  return verdicts;
}
