/**
 * A CodeSystem prepared for lookups: every concept by code (O(1)), its displays, properties and
 * hierarchy. Built once per CodeSystem, on first use, so a large system costs nothing until asked for.
 *
 * The hierarchy is the union of nested `concept` elements and of the `parent` / `child` properties
 * (v3 code systems use `child` for concepts with several parents).
 */

export interface ConceptEntry {
  code: string;
  display?: string;
  /** The display, then every designation value, without duplicates. */
  displays: string[];
  properties: fhir4.CodeSystemConceptProperty[];
  parents: string[];
  children: string[];
}

const PARENT_URIS = new Set([
  'http://hl7.org/fhir/concept-properties#parent',
  'http://hl7.org/fhir/concept-properties#subsumedBy',
]);
const CHILD_URIS = new Set(['http://hl7.org/fhir/concept-properties#child']);

function pushUnique(list: string[], value: string): void {
  if (!list.includes(value)) list.push(value);
}

export class CodeSystemIndex {
  readonly url: string;
  readonly version: string | undefined;
  readonly content: string;
  readonly caseSensitive: boolean;
  /** Property codes declared by the CodeSystem, with their types. */
  readonly declaredProperties: Map<string, string | undefined>;
  private readonly byCode = new Map<string, ConceptEntry>();
  /** Lower-cased codes, only for case-insensitive systems. */
  private readonly byFoldedCode = new Map<string, ConceptEntry>();
  private readonly descendantCache = new Map<string, ReadonlySet<string>>();

  constructor(codeSystem: fhir4.CodeSystem) {
    this.url = codeSystem.url ?? '';
    this.version = codeSystem.version;
    this.content = codeSystem.content ?? 'complete';
    // R4 leaves the default open; like the HL7 validator, an unstated caseSensitive means case-sensitive.
    this.caseSensitive = codeSystem.caseSensitive !== false;
    this.declaredProperties = new Map((codeSystem.property ?? []).map((p) => [p.code, p.type]));
    const parentProps = new Set(['parent', 'subsumedBy']);
    const childProps = new Set(['child']);
    for (const p of codeSystem.property ?? []) {
      if (p.uri && PARENT_URIS.has(p.uri)) parentProps.add(p.code);
      if (p.uri && CHILD_URIS.has(p.uri)) childProps.add(p.code);
    }
    const links: [parent: string, child: string][] = [];
    const walk = (concepts: fhir4.CodeSystemConcept[] | undefined, parent: string | undefined): void => {
      for (const concept of concepts ?? []) {
        if (typeof concept?.code !== 'string') continue;
        const entry = this.addConcept(concept);
        if (parent !== undefined) links.push([parent, entry.code]);
        for (const property of concept.property ?? []) {
          if (typeof property.valueCode !== 'string') continue;
          if (parentProps.has(property.code)) links.push([property.valueCode, entry.code]);
          if (childProps.has(property.code)) links.push([entry.code, property.valueCode]);
        }
        walk(concept.concept, entry.code);
      }
    };
    walk(codeSystem.concept, undefined);
    for (const [parent, child] of links) {
      const parentEntry = this.byCode.get(parent);
      const childEntry = this.byCode.get(child);
      if (!parentEntry || !childEntry || parent === child) continue;
      pushUnique(parentEntry.children, child);
      pushUnique(childEntry.parents, parent);
    }
  }

  private addConcept(concept: fhir4.CodeSystemConcept): ConceptEntry {
    // A code repeated in the hierarchy (some systems list it under each parent) is one concept.
    const existing = this.byCode.get(concept.code);
    const entry: ConceptEntry = existing ?? {
      code: concept.code,
      display: concept.display,
      displays: [],
      properties: [],
      parents: [],
      children: [],
    };
    if (entry.display === undefined) entry.display = concept.display;
    if (concept.display !== undefined) pushUnique(entry.displays, concept.display);
    for (const designation of concept.designation ?? []) {
      if (typeof designation.value === 'string') pushUnique(entry.displays, designation.value);
    }
    entry.properties.push(...(concept.property ?? []));
    if (!existing) {
      this.byCode.set(entry.code, entry);
      if (!this.caseSensitive) {
        const folded = entry.code.toLowerCase();
        if (!this.byFoldedCode.has(folded)) this.byFoldedCode.set(folded, entry);
      }
    }
    return entry;
  }

  get size(): number {
    return this.byCode.size;
  }

  /** Only a complete CodeSystem can prove a code absent. */
  get isComplete(): boolean {
    return this.content === 'complete';
  }

  /** The concept for a code, ignoring case when the system is case-insensitive. */
  get(code: string): ConceptEntry | undefined {
    return (
      this.byCode.get(code) ?? (this.caseSensitive ? undefined : this.byFoldedCode.get(code.toLowerCase()))
    );
  }

  concepts(): IterableIterator<ConceptEntry> {
    return this.byCode.values();
  }

  /** The code's descendants (not the code itself), computed once per code. Cycle-safe. */
  descendants(code: string): ReadonlySet<string> {
    const start = this.get(code);
    if (!start) return new Set();
    const cached = this.descendantCache.get(start.code);
    if (cached) return cached;
    const found = new Set<string>();
    const queue = [...start.children];
    while (queue.length > 0) {
      const next = queue.pop() as string;
      if (found.has(next) || next === start.code) continue;
      found.add(next);
      queue.push(...(this.byCode.get(next)?.children ?? []));
    }
    this.descendantCache.set(start.code, found);
    return found;
  }

  /** The code's ancestors (not the code itself). Cycle-safe. */
  ancestors(code: string): Set<string> {
    const start = this.get(code);
    const found = new Set<string>();
    const queue = [...(start?.parents ?? [])];
    while (queue.length > 0) {
      const next = queue.pop() as string;
      if (found.has(next) || next === start?.code) continue;
      found.add(next);
      queue.push(...(this.byCode.get(next)?.parents ?? []));
    }
    return found;
  }
}
