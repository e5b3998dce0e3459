/**
 * _summary and _elements (search.html#summary, #elements): a subset of each resource, marked with the
 * SUBSETTED tag so nobody mistakes it for the whole.
 */
import type { DefinitionRegistry } from '../fhir/index.js';
import type { JsonObject } from '../json.js';

const SUBSETTED = {
  system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue',
  code: 'SUBSETTED',
  display: 'subsetted',
};

/** Elements every subset keeps. */
const ALWAYS = new Set(['resourceType', 'id', 'meta']);

/** Whether a JSON key is the element `name`: itself, its `_name` companion, or a choice `nameType`. */
function isElement(key: string, name: string): boolean {
  const bare = key.startsWith('_') ? key.slice(1) : key;
  return bare === name || (bare.startsWith(name) && /^[A-Z]/.test(bare.slice(name.length)));
}

export type SummaryMode = 'true' | 'text' | 'data' | 'count' | 'false';

export class Subsetter {
  private readonly summaryElements = new Map<string, Set<string>>();
  private readonly mandatoryElements = new Map<string, Set<string>>();

  constructor(private readonly definitions: DefinitionRegistry) {}

  /** The top-level elements of a type that are in its summary, and those that are mandatory. */
  private elements(type: string): { summary: Set<string>; mandatory: Set<string> } {
    let summary = this.summaryElements.get(type);
    let mandatory = this.mandatoryElements.get(type);
    if (!summary || !mandatory) {
      summary = new Set();
      mandatory = new Set();
      for (const element of this.definitions.typeDefinition(type)?.snapshot?.element ?? []) {
        const segments = element.path.split('.');
        if (segments.length !== 2) continue;
        const name = (segments[1] ?? '').replace('[x]', '');
        if (element.isSummary) summary.add(name);
        if ((element.min ?? 0) > 0) mandatory.add(name);
      }
      this.summaryElements.set(type, summary);
      this.mandatoryElements.set(type, mandatory);
    }
    return { summary, mandatory };
  }

  /** The resource reduced by _summary or _elements; the resource itself when neither applies. */
  apply(resource: JsonObject, summary: SummaryMode | undefined, elements: string[] | undefined): JsonObject {
    const type = String(resource.resourceType);
    let keep: (key: string) => boolean;
    if (summary === 'true') {
      const { summary: names } = this.elements(type);
      keep = (key) => ALWAYS.has(key) || [...names].some((name) => isElement(key, name));
    } else if (summary === 'text') {
      const { mandatory } = this.elements(type);
      keep = (key) =>
        ALWAYS.has(key) || key === 'text' || [...mandatory].some((name) => isElement(key, name));
    } else if (summary === 'data') keep = (key) => key !== 'text';
    else if (elements && elements.length > 0) {
      const { mandatory } = this.elements(type);
      keep = (key) => ALWAYS.has(key) || [...mandatory, ...elements].some((name) => isElement(key, name));
    } else return resource;
    const subset: JsonObject = {};
    for (const [key, value] of Object.entries(resource)) if (keep(key)) subset[key] = value;
    const meta = (subset.meta ?? {}) as JsonObject;
    const tags = Array.isArray(meta.tag) ? meta.tag : [];
    subset.meta = { ...meta, tag: [...tags, SUBSETTED] };
    return subset;
  }
}
