/**
 * The catalogue of search parameters: every SearchParameter the registry holds (R4 core and the IG's),
 * grouped by the resource types they apply to. An IG parameter with the same code as a core one on the
 * same type replaces it (the IG was added to the registry later).
 */
import type { DefinitionRegistry } from '../../fhir/index.js';
import type { SearchParameterInfo, SearchParameterType } from './types.js';

const ABSTRACT_BASES = new Set(['Resource', 'DomainResource']);

/** The parameters a system-wide search understands (search.html#all). */
export const SYSTEM_PARAMETERS = new Set(['_id', '_lastUpdated', '_tag', '_profile', '_security', '_source']);

export class ParameterCatalog {
  private readonly byType = new Map<string, Map<string, SearchParameterInfo>>();
  /** Parameters on Resource or DomainResource: they apply to every type. */
  private readonly common = new Map<string, SearchParameterInfo>();
  private readonly perTypeCache = new Map<string, Map<string, SearchParameterInfo>>();

  constructor(registry: DefinitionRegistry) {
    for (const url of registry.urlsOfType('SearchParameter')) {
      const resource = registry.resolveOfType<fhir4.SearchParameter>(url, 'SearchParameter');
      if (!resource || !resource.code || !resource.type) continue;
      const info: SearchParameterInfo = {
        code: resource.code,
        type: resource.type as SearchParameterType,
        url: resource.url ?? url,
        base: [...(resource.base ?? [])],
        ...(resource.expression ? { expression: resource.expression } : {}),
        ...(resource.target?.length ? { targets: [...resource.target] } : {}),
        ...(resource.description ? { documentation: resource.description } : {}),
      };
      for (const base of info.base) {
        if (ABSTRACT_BASES.has(base)) this.common.set(info.code, info);
        else {
          let forType = this.byType.get(base);
          if (!forType) this.byType.set(base, (forType = new Map()));
          const existing = forType.get(info.code);
          // Core first, the IG after: a non-core parameter wins a clash.
          if (!existing || isCore(existing.url) || !isCore(info.url)) forType.set(info.code, info);
        }
      }
    }
  }

  /** Every parameter that applies to a type, by code. */
  forType(type: string): Map<string, SearchParameterInfo> {
    let map = this.perTypeCache.get(type);
    if (!map) {
      map = new Map([...this.common, ...(this.byType.get(type) ?? [])]);
      this.perTypeCache.set(type, map);
    }
    return map;
  }

  /** The system-wide parameters (_id, _lastUpdated...), for a search without a type. */
  system(): Map<string, SearchParameterInfo> {
    return new Map([...this.common].filter(([code]) => SYSTEM_PARAMETERS.has(code)));
  }
}

function isCore(url: string): boolean {
  return url.startsWith('http://hl7.org/fhir/SearchParameter/');
}

/**
 * The part of a (possibly multi-type) expression that applies to one type: the `|` alternatives whose
 * root is that type, Resource or DomainResource, or no type at all. Undefined when nothing applies.
 */
export function expressionForType(expression: string, type: string): string | undefined {
  const kept = splitUnion(expression).filter((part) => {
    const root = /^\(*\s*([A-Za-z]+)/.exec(part)?.[1];
    if (root === undefined || root === type || ABSTRACT_BASES.has(root)) return true;
    // A capitalised root names a type: keep only ours. A lower-case one is a path from the resource.
    return !/^[A-Z]/.test(root);
  });
  return kept.length > 0 ? kept.join(' | ').replace(/\b(Resource|DomainResource)\./g, `${type}.`) : undefined;
}

/** Splits at the top-level `|`, outside parentheses and string literals. */
export function splitUnion(expression: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < expression.length; i++) {
    const char = expression[i];
    if (char === "'" && expression[i - 1] !== '\\') quoted = !quoted;
    else if (quoted) continue;
    else if (char === '(') depth++;
    else if (char === ')') depth--;
    else if (char === '|' && depth === 0) {
      parts.push(expression.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(expression.slice(start).trim());
  return parts.filter((p) => p.length > 0);
}
