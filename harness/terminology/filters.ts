/**
 * ValueSet.compose.include.filter, evaluated against a CodeSystem we hold. Each filter becomes a
 * predicate on a concept; hierarchy filters precompute their descendant set once (cached by the index).
 */
import type { CodeSystemIndex, ConceptEntry } from './code-system-index.js';

export type ConceptPredicate = (entry: ConceptEntry) => boolean;

export type CompiledFilter = { ok: true; matches: ConceptPredicate } | { ok: false; message: string };

/** Property names that stand for the concept's own code rather than a concept property. */
const CODE_PROPERTIES = new Set(['concept', 'code']);

function propertyValueText(property: fhir4.CodeSystemConceptProperty): string[] {
  if (property.valueCode !== undefined) return [property.valueCode];
  if (property.valueString !== undefined) return [property.valueString];
  if (property.valueBoolean !== undefined) return [String(property.valueBoolean)];
  if (property.valueInteger !== undefined) return [String(property.valueInteger)];
  if (property.valueDecimal !== undefined) return [String(property.valueDecimal)];
  if (property.valueDateTime !== undefined) return [property.valueDateTime];
  const coding = property.valueCoding;
  if (coding?.code !== undefined) {
    // A Coding property is matched by `system#code` (as the filter value is written) or by its code.
    return coding.system ? [`${coding.system}#${coding.code}`, coding.code] : [coding.code];
  }
  return [];
}

/** The values a concept has for a named property (hierarchy and display are pseudo-properties). */
function valuesOf(entry: ConceptEntry, property: string): string[] {
  const values: string[] = [];
  for (const p of entry.properties) {
    if (p.code === property) values.push(...propertyValueText(p));
  }
  if (values.length === 0) {
    if (property === 'parent') return entry.parents;
    if (property === 'child') return entry.children;
    if (property === 'display' && entry.display !== undefined) return [entry.display];
  }
  return values;
}

function fullMatch(pattern: string): RegExp | undefined {
  try {
    return new RegExp(`^(?:${pattern})$`, 'u');
  } catch {
    return undefined;
  }
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
}

export function compileFilter(
  index: CodeSystemIndex,
  filter: fhir4.ValueSetComposeIncludeFilter,
): CompiledFilter {
  const { property, op, value } = filter;
  if (typeof property !== 'string' || typeof op !== 'string' || typeof value !== 'string') {
    return { ok: false, message: `A filter on ${index.url} lacks its property, op or value` };
  }
  const onCode = CODE_PROPERTIES.has(property);
  const sameCode = (a: string, b: string): boolean =>
    index.caseSensitive ? a === b : a.toLowerCase() === b.toLowerCase();

  switch (op) {
    case 'is-a':
    case 'descendent-of':
    case 'is-not-a':
    case 'generalizes': {
      if (!onCode) break;
      const root = index.get(value)?.code ?? value;
      if (op === 'generalizes') {
        const ancestors = index.ancestors(root);
        return { ok: true, matches: (e) => e.code === root || ancestors.has(e.code) };
      }
      const descendants = index.descendants(root);
      if (op === 'descendent-of') return { ok: true, matches: (e) => descendants.has(e.code) };
      if (op === 'is-a') return { ok: true, matches: (e) => e.code === root || descendants.has(e.code) };
      return { ok: true, matches: (e) => e.code !== root && !descendants.has(e.code) };
    }
    case '=': {
      if (onCode) return { ok: true, matches: (e) => sameCode(e.code, value) };
      return { ok: true, matches: (e) => valuesOf(e, property).includes(value) };
    }
    case 'in':
    case 'not-in': {
      const wanted = splitList(value);
      const test: ConceptPredicate = onCode
        ? (e) => wanted.some((w) => sameCode(e.code, w))
        : (e) => valuesOf(e, property).some((v) => wanted.includes(v));
      return { ok: true, matches: op === 'in' ? test : (e) => !test(e) };
    }
    case 'regex': {
      const regex = fullMatch(value);
      if (!regex)
        return { ok: false, message: `The regex filter '${value}' on ${index.url} is not a valid pattern` };
      if (onCode) return { ok: true, matches: (e) => regex.test(e.code) };
      return { ok: true, matches: (e) => valuesOf(e, property).some((v) => regex.test(v)) };
    }
    case 'exists': {
      if (value !== 'true' && value !== 'false') break;
      const wanted = value === 'true';
      return { ok: true, matches: (e) => valuesOf(e, property).length > 0 === wanted };
    }
  }
  return {
    ok: false,
    message: `The filter '${property} ${op} ${value}' is not supported for the code system ${index.url}`,
  };
}
