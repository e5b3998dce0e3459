/**
 * _include and _revinclude (search.html#include, #revinclude): `Source:param[:Target]`, `Source:*` for
 * every reference parameter. Plain ones apply to the matches; `:iterate` ones also to what was
 * included, until nothing new comes. Only resources that exist now are included.
 */
import type { TypeIndex } from './type-index.js';
import type { ResourceKey } from './types.js';
import type { ReferenceValue } from './values.js';

/** Marks an include value as iterating: pass `includeValue(name, value)` for `_include:iterate=...`. */
export const ITERATE = 'iterate:';

export function includeValue(name: string, value: string): string {
  return /:(iterate|recurse)$/.test(name) ? ITERATE + value : value;
}

interface IncludeSpec {
  source: string;
  param: string;
  target?: string;
  iterate: boolean;
  reverse: boolean;
}

function parseSpec(text: string, reverse: boolean): IncludeSpec | undefined {
  const iterate = text.startsWith(ITERATE);
  const [source, param, target] = (iterate ? text.slice(ITERATE.length) : text).split(':');
  if (!source || !param) return undefined;
  return { source, param, ...(target ? { target } : {}), iterate, reverse };
}

export interface IncludeContext {
  typeIndex(type: string): TypeIndex;
  /** The reference parameters of a type, for `Source:*`. */
  referenceParameters(type: string): string[];
}

export function collectIncludes(
  context: IncludeContext,
  matches: ResourceKey[],
  include: string[],
  revinclude: string[],
): ResourceKey[] {
  const specs = [
    ...include.map((t) => parseSpec(t, false)),
    ...revinclude.map((t) => parseSpec(t, true)),
  ].filter((s): s is IncludeSpec => s !== undefined);
  const seen = new Set(matches.map((m) => `${m.type}/${m.id}`));
  const included: ResourceKey[] = [];
  let frontier = matches;
  let active = specs;
  while (frontier.length > 0 && active.length > 0) {
    const found: ResourceKey[] = [];
    const add = (type: string, id: string): void => {
      const key = `${type}/${id}`;
      if (seen.has(key) || !context.typeIndex(type).hasId(id)) return;
      seen.add(key);
      found.push({ type, id });
    };
    for (const spec of active) {
      for (const resource of frontier) {
        if (spec.reverse) revIncludeFrom(context, spec, resource, add);
        else if (resource.type === spec.source) includeFrom(context, spec, resource, add);
      }
    }
    // Not push(...found): a _revinclude can find more than a call takes arguments.
    for (const item of found) included.push(item);
    frontier = found;
    active = specs.filter((s) => s.iterate);
  }
  return included;
}

function parametersOf(context: IncludeContext, spec: IncludeSpec): string[] {
  return spec.param === '*' ? context.referenceParameters(spec.source) : [spec.param];
}

function includeFrom(
  context: IncludeContext,
  spec: IncludeSpec,
  resource: ResourceKey,
  add: (type: string, id: string) => void,
): void {
  const index = context.typeIndex(resource.type);
  const ordinal = index.ordinalOf(resource.id);
  if (ordinal === undefined) return;
  for (const param of parametersOf(context, spec)) {
    const values = (index.parameter(param)?.valuesAt(ordinal) ?? []) as ReferenceValue[];
    for (const value of values)
      if (value.type && value.id && (!spec.target || spec.target === value.type)) add(value.type, value.id);
  }
}

function revIncludeFrom(
  context: IncludeContext,
  spec: IncludeSpec,
  resource: ResourceKey,
  add: (type: string, id: string) => void,
): void {
  if (spec.target && spec.target !== resource.type) return;
  const index = context.typeIndex(spec.source);
  for (const param of parametersOf(context, spec)) {
    const referring = index.parameter(param)?.lookup(`${resource.type}/${resource.id}`);
    for (const ordinal of referring ?? []) add(spec.source, index.id(ordinal));
  }
}
