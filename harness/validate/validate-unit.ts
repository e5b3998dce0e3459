/**
 * Validating what the inputs are read into, the same way on the main thread and in a worker: a
 * document, or the lines of an NDJSON chunk, with positions moved from "line 1 of this line" to the
 * line of the file.
 */
import { isJsonObject, type JsonObject } from '../json.js';
import type { ValidationIssue, Validator } from '../validator/index.js';
import { checkForWrite, type WriteValidationMode } from '../validator/write-check.js';
import { linesOfChunk, type NdjsonChunk } from './ndjson-chunks.js';
import type { Shard } from './shard.js';

export interface UnitVerdict {
  resourceType?: string;
  /** Who the resource is (`Patient/p1`), for baselines keyed by resource rather than by file. */
  identity?: string;
  issues: ValidationIssue[];
  /** Write checks (a bulk load): the status a write of it would be refused with; absent when accepted. */
  refused?: 400 | 422;
  /** Write checks: the resource, parsed, when it is accepted. */
  resource?: JsonObject;
}

/** A bulk load's check: each resource as a write would check it, the accepted ones handed on parsed. */
export interface WriteCheckSetup {
  mode: WriteValidationMode;
  /** The IG's profiles by resource type (the candidates for a resource that claims none). */
  igProfiles: Record<string, string[]>;
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
/** FHIR XML: the root element, after the prolog and any comments. */
const XML_ROOT = /^\uFEFF?\s*(?:(?:<\?[\s\S]*?\?>|<!--[\s\S]*?-->)\s*)*<([A-Z][A-Za-z]{0,63})[\s/>]/;

export function resourceTypeOf(text: string): string | undefined {
  return (
    RESOURCE_TYPE.exec(text.slice(0, 4096))?.[1] ??
    XML_ROOT.exec(text.slice(0, 4096))?.[1] ??
    RESOURCE_TYPE.exec(text)?.[1]
  );
}

/** The setup's IG profiles as the write check takes them, made once per setup (not per line). */
const profileMaps = new WeakMap<WriteCheckSetup, ReadonlyMap<string, string[]>>();

function profilesOf(setup: WriteCheckSetup): ReadonlyMap<string, string[]> {
  let profiles = profileMaps.get(setup);
  if (!profiles) profileMaps.set(setup, (profiles = new Map(Object.entries(setup.igProfiles))));
  return profiles;
}

/** A transaction or batch Bundle: processed as the requests it holds, not stored as a resource. */
export function isProcessedBundle(resource: JsonObject): boolean {
  return resource.resourceType === 'Bundle' && (resource.type === 'transaction' || resource.type === 'batch');
}

/** What to check a text for: conformance to profiles (validate), or a write (a bulk load). */
export type UnitCheck = { profiles: string[]; write?: WriteCheckSetup };

/** Validates a text; `line` (an NDJSON line number) places its issues in the file. */
export function validateText(
  validator: Validator,
  text: string,
  check: UnitCheck,
  line?: number,
): UnitVerdict {
  const resourceType = resourceTypeOf(text);
  const placed = (issues: ValidationIssue[]) =>
    line === undefined
      ? issues
      : issues.map((item) =>
          item.location
            ? { ...item, location: { line: line + item.location.line - 1, column: item.location.column } }
            : item,
        );
  const typed = (verdict: UnitVerdict): UnitVerdict =>
    resourceType === undefined ? verdict : { resourceType, ...verdict };
  if (!check.write) {
    const { issues, identity } = validator.validateDetailed(text, check);
    return typed({ issues: placed(issues), ...(identity !== undefined ? { identity } : {}) });
  }

  let resource: unknown;
  try {
    resource = JSON.parse(text);
  } catch {
    // The validator says where the syntax breaks, in its own words.
    return typed({ issues: placed(validator.validateDetailed(text).issues), refused: 400 });
  }
  if (!isJsonObject(resource))
    return typed({ issues: placed(validator.validateDetailed(text).issues), refused: 400 });
  // A transaction or batch is not stored but processed: the server checks each of its entries as the
  // write it stands for, as it does for one POSTed.
  if (isProcessedBundle(resource)) return typed({ issues: [], resource });
  const profiles = profilesOf(check.write);
  const verdict = checkForWrite(validator, check.write.mode, profiles, resource, text);
  return verdict.accepted
    ? typed({ issues: placed(verdict.warnings), resource })
    : typed({ issues: placed(verdict.errors), refused: verdict.status });
}

/** Validates the chunk's lines that are in the shard, in order. */
export function validateChunk(
  validator: Validator,
  chunk: NdjsonChunk,
  shard: Shard,
  check: UnitCheck,
): LineVerdict[] {
  const verdicts: LineVerdict[] = [];
  for (const line of linesOfChunk(chunk, shard))
    verdicts.push({
      index: line.index,
      bytes: line.bytes,
      ...validateText(validator, line.text, check, line.index),
    });
  return verdicts;
}
