/**
 * FHIRPath functions the validator supplies to fhirpath.js, where the library's own do not fit a local,
 * synchronous validator:
 * - `resolve()` finds a referenced resource inside the resource being validated (contained resources,
 *   Bundle entries by fullUrl or by type and id), never over the network;
 * - `matches()` and `replaceMatches()` read regular expressions the way FHIR's Java-flavoured patterns
 *   are written (the library compiles them in Unicode mode, which rejects escapes such as `\'`);
 * - `htmlChecks()` is answered by the walker's own narrative check, so here it always holds.
 */
import fhirpath, { type UserInvocationTable } from 'fhirpath';
import { isJsonObject } from '../json.js';

type Json = Record<string, unknown>;

/**
 * The environment variable that carries the Bundle around the node, for resolve(): not a FHIRPath
 * variable of the spec, so named to stay out of an expression's way.
 */
export const BUNDLE_VARIABLE = '__validatorBundle';

interface EvaluationContext {
  vars?: { resource?: unknown; rootResource?: unknown; [BUNDLE_VARIABLE]?: unknown };
}

const valData = (item: unknown): unknown => fhirpath.util.valData(item);

const regexCache = new Map<string, RegExp | null>();

/** A FHIR regular expression, matched against the whole string, without Unicode-mode strictness. */
function fhirRegex(pattern: string, whole: boolean): RegExp | null {
  const key = `${whole ? 'w' : 'p'}${pattern}`;
  if (!regexCache.has(key)) {
    try {
      regexCache.set(key, new RegExp(whole ? `^(?:${pattern})$` : pattern, whole ? 's' : 'gs'));
    } catch {
      regexCache.set(key, null);
    }
  }
  return regexCache.get(key) ?? null;
}

function findLocal(reference: string, root: unknown, resource: unknown, bundle: unknown): Json | undefined {
  if (reference.startsWith('#')) {
    const id = reference.slice(1);
    for (const holder of [resource, root]) {
      if (!isJsonObject(holder)) continue;
      if (id === '') return holder;
      const contained = Array.isArray(holder.contained) ? holder.contained : [];
      const found = contained.find((c) => isJsonObject(c) && c.id === id);
      if (isJsonObject(found)) return found;
    }
    return undefined;
  }
  const group = isJsonObject(bundle) ? bundle : root;
  if (!isJsonObject(group) || group.resourceType !== 'Bundle' || !Array.isArray(group.entry))
    return undefined;
  const [type, id] = reference
    .replace(/\/_history\/.*$/, '')
    .split('/')
    .slice(-2);
  for (const entry of group.entry) {
    if (!isJsonObject(entry) || !isJsonObject(entry.resource)) continue;
    if (entry.fullUrl === reference) return entry.resource;
    if (entry.resource.resourceType === type && entry.resource.id === id) return entry.resource;
  }
  return undefined;
}

export const VALIDATOR_FUNCTIONS: UserInvocationTable = {
  resolve: {
    fn(this: EvaluationContext, inputs: unknown[]): unknown[] {
      const results: unknown[] = [];
      for (const input of inputs) {
        const value = valData(input);
        const reference =
          typeof value === 'string'
            ? value
            : isJsonObject(value) && typeof value.reference === 'string'
              ? value.reference
              : undefined;
        if (!reference) continue;
        const vars = this.vars;
        const found = findLocal(reference, vars?.rootResource, vars?.resource, vars?.[BUNDLE_VARIABLE]);
        if (found) results.push(found);
      }
      return results;
    },
    arity: { 0: [] },
  },
  matches: {
    fn(inputs: unknown[], pattern: string): boolean[] {
      if (inputs.length !== 1) return [];
      const value = valData(inputs[0]);
      const regex = typeof value === 'string' ? fhirRegex(pattern, true) : null;
      return regex && typeof value === 'string' ? [regex.test(value)] : [];
    },
    arity: { 1: ['String'] },
    nullable: true,
  },
  replaceMatches: {
    fn(inputs: unknown[], pattern: string, substitution: string): string[] {
      if (inputs.length !== 1) return [];
      const value = valData(inputs[0]);
      const regex = typeof value === 'string' ? fhirRegex(pattern, false) : null;
      return regex && typeof value === 'string' ? [value.replace(regex, substitution)] : [];
    },
    arity: { 2: ['String', 'String'] },
    nullable: true,
  },
  htmlChecks: {
    fn(): boolean[] {
      return [true];
    },
    arity: { 0: [] },
  },
};
