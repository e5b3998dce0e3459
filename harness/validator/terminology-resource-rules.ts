/**
 * CodeSystem and ValueSet resources themselves, checked with what we hold locally (no terminology
 * server), as the HL7 validator's CodeSystemValidator and ValueSetValidator check them:
 * - a CodeSystem's content, count and supplement rules, its property declarations, its concepts (no
 *   duplicate code; every property they carry declared, with a value of the declared type);
 * - a ValueSet's compose: absolute systems without a version in them, imported value sets we know,
 *   concepts that exist in the systems we hold, filters on properties the system has, with operators
 *   and values the property allows.
 * And for every canonical resource: its url is absolute (or, at the top level, a fragment).
 * Systems we never hold (SNOMED CT, LOINC...) are left alone: a terminology server would check them.
 */
import { isJsonObject, objectsOf, stringOf, type JsonObject } from '../json.js';
import { externalSystem } from '../terminology/index.js';
import { childCursor, itemCursor, type Cursor, type WalkContext } from './walk-context.js';

/** Resource types whose `url` is their canonical URL (R4 CanonicalResource and its kin). */
const CANONICAL_TYPES = new Set([
  'ActivityDefinition',
  'CapabilityStatement',
  'ChargeItemDefinition',
  'CodeSystem',
  'CompartmentDefinition',
  'ConceptMap',
  'EffectEvidenceSynthesis',
  'EventDefinition',
  'Evidence',
  'EvidenceVariable',
  'ExampleScenario',
  'GraphDefinition',
  'ImplementationGuide',
  'Library',
  'Measure',
  'MessageDefinition',
  'OperationDefinition',
  'PlanDefinition',
  'Questionnaire',
  'ResearchDefinition',
  'ResearchElementDefinition',
  'RiskEvidenceSynthesis',
  'SearchParameter',
  'StructureDefinition',
  'StructureMap',
  'TerminologyCapabilities',
  'TestScript',
  'ValueSet',
]);

const isAbsoluteUri = (value: string) => /^[a-z][a-z0-9+.-]*:/i.test(value);

/** A canonical resource's url: absolute, or a fragment at the top level (a contained one must be absolute). */
export function checkCanonicalUrl(
  walk: WalkContext,
  resource: JsonObject,
  cursor: Cursor,
  contained: boolean,
): void {
  const type = stringOf(resource.resourceType);
  const url = stringOf(resource.url);
  if (!type || !CANONICAL_TYPES.has(type) || url === undefined) return;
  if (isAbsoluteUri(url) || (!contained && url.startsWith('#'))) return;
  walk.report('TYPE_CANONICAL_NOT_ABSOLUTE', childCursor(cursor, 'url', `${cursor.expression}.url`), {
    url,
    detail: contained ? 'in a contained resource it must be absolute if present' : 'or a fragment reference',
  });
}

// ------------------------------------------------------------------ CodeSystem

/** The properties every code system has (CodeSystemChecker.listPropertyNames). */
const STANDARD_PROPERTIES = [
  'concept',
  'code',
  'status',
  'inactive',
  'effectiveDate',
  'deprecationDate',
  'retirementDate',
  'notSelectable',
  'synonym',
  'comment',
  'itemWeight',
];

/** What a concept property value must be, by the property's declared type. */
const VALUE_KEY: Record<string, string> = {
  code: 'valueCode',
  Coding: 'valueCoding',
  string: 'valueString',
  integer: 'valueInteger',
  boolean: 'valueBoolean',
  dateTime: 'valueDateTime',
  decimal: 'valueDecimal',
};

const isHl7Url = (url: string | undefined) => url !== undefined && /hl7\.org|fhir\.org/.test(url);

export function checkCodeSystem(walk: WalkContext, cs: JsonObject, cursor: Cursor): void {
  const url = stringOf(cs.url);
  const content = stringOf(cs.content);
  const supplements = stringOf(cs.supplements);
  const concepts = objectsOf(cs.concept);
  const at = (name: string) => childCursor(cursor, name, `${cursor.expression}.${name}`);
  const count = countConcepts(concepts);

  if (supplements === undefined && content === 'supplement') walk.report('TX_CS_SUPPLEMENT_MISSING', cursor);
  if (supplements !== undefined) {
    if (content !== 'supplement') walk.report('TX_CS_SUPPLEMENT_CONTENT', at('content'));
    if (cs.caseSensitive !== undefined)
      walk.report('TX_CS_SUPPLEMENT_ELEMENT', at('caseSensitive'), { name: 'caseSensitive' });
    checkSupplementConcepts(walk, supplements, concepts, cursor);
  } else {
    // Not a supplement: content 'supplement' is wrong here too, and the code system's own metadata is due.
    if (content === 'supplement') walk.report('TX_CS_SUPPLEMENT_WITHOUT_BASE', at('content'));
    const missing = (name: string) =>
      walk.report(
        'TX_CS_ELEMENT_MISSING',
        cursor,
        { name },
        isHl7Url(url) ? {} : { severity: 'information' },
      );
    if (cs.caseSensitive === undefined) missing('caseSensitive');
    if (cs.hierarchyMeaning === undefined && concepts.some((c) => objectsOf(c.concept).length > 0))
      missing('hierarchyMeaning');
  }
  if (content === 'complete' && count === 0) walk.report('TX_CS_COMPLETE_EMPTY', cursor);
  if (typeof cs.count === 'number' && cs.count >= 0) {
    if (content === 'complete' && cs.count !== count)
      walk.report('TX_CS_COUNT', at('count'), { count, stated: cs.count });
    if ((content === 'fragment' || content === 'example') && count >= cs.count)
      walk.report('TX_CS_COUNT', at('count'), { count, stated: cs.count }, { severity: 'warning' });
  }
  if (content === 'not-present' && concepts.length > 0)
    walk.report('TX_CS_CONCEPTS_NOT_PRESENT', itemCursor(cursor, 'concept', 0));

  const properties = checkPropertyDeclarations(walk, cs, cursor);
  const codes = new Set<string>();
  // HL7 code systems are warned once each for the first concept without a display or definition.
  const warned = { display: false, definition: false };
  const visit = (list: JsonObject[], holder: Cursor) =>
    list.forEach((concept, i) => {
      const conceptCursor = itemCursor(holder, 'concept', i);
      const code = stringOf(concept.code);
      if (code !== undefined) {
        if (codes.has(code)) walk.report('TX_CS_DUPLICATE_CODE', conceptCursor, { code });
        codes.add(code);
      }
      if (isHl7Url(url)) {
        if (concept.display === undefined && !warned.display) {
          walk.report('TX_CS_CONCEPT_NO_DISPLAY', conceptCursor, { code: code ?? '' });
          warned.display = true;
        }
        if (concept.definition === undefined && !warned.definition) {
          walk.report('TX_CS_CONCEPT_NO_DEFINITION', conceptCursor);
          warned.definition = true;
        }
      }
      checkConceptProperties(walk, concept, conceptCursor, properties, supplements !== undefined);
      visit(objectsOf(concept.concept), conceptCursor);
    });
  visit(concepts, cursor);
}

function countConcepts(concepts: JsonObject[]): number {
  return concepts.reduce((sum, concept) => sum + 1 + countConcepts(objectsOf(concept.concept)), 0);
}

/** Property declarations (CodeSystem.property): an absolute uri, no uri or code declared twice. Returns type by code. */
function checkPropertyDeclarations(
  walk: WalkContext,
  cs: JsonObject,
  cursor: Cursor,
): Map<string, string | undefined> {
  const byCode = new Map<string, string | undefined>();
  const uris = new Set<string>();
  objectsOf(cs.property).forEach((property, i) => {
    const at = itemCursor(cursor, 'property', i);
    const uri = stringOf(property.uri);
    const code = stringOf(property.code);
    if (uri !== undefined) {
      if (!isAbsoluteUri(uri)) walk.report('TX_CS_PROPERTY_URI', at, { uri });
      else if (uris.has(uri)) walk.report('TX_CS_PROPERTY_DUPLICATE', at, { what: 'uri', value: uri });
      uris.add(uri);
    }
    if (code !== undefined) {
      if (byCode.has(code)) walk.report('TX_CS_PROPERTY_DUPLICATE', at, { what: 'code', value: code });
      byCode.set(code, stringOf(property.type));
    }
  });
  return byCode;
}

/** Each property a concept carries is declared, has a value, and a value of the declared type. */
function checkConceptProperties(
  walk: WalkContext,
  concept: JsonObject,
  cursor: Cursor,
  declared: Map<string, string | undefined>,
  isSupplement: boolean,
): void {
  objectsOf(concept.property).forEach((property, i) => {
    const at = itemCursor(cursor, 'property', i);
    const code = stringOf(property.code);
    if (code === undefined) return;
    // A supplement may carry the properties its base code system declares.
    if (!declared.has(code)) {
      if (!isSupplement) walk.report('TX_CS_CONCEPT_PROPERTY_UNDEFINED', at, { code });
      return;
    }
    const valueKeys = Object.keys(property).filter((key) => key.startsWith('value'));
    const type = declared.get(code);
    if (valueKeys.length === 0)
      walk.report('TX_CS_CONCEPT_PROPERTY_VALUE', at, { code, detail: 'it has no value' });
    else if (type && VALUE_KEY[type] && !valueKeys.includes(VALUE_KEY[type] as string))
      walk.report('TX_CS_CONCEPT_PROPERTY_VALUE', at, {
        code,
        detail: `it is declared ${type}, and the value is a ${valueKeys[0]?.slice('value'.length) ?? ''}`,
      });
  });
}

/** A supplement's concepts must exist in the code system it supplements, when we hold that. */
function checkSupplementConcepts(
  walk: WalkContext,
  supplements: string,
  concepts: JsonObject[],
  cursor: Cursor,
): void {
  const base = supplements.split('|')[0] ?? supplements;
  if (externalSystem(base)) return;
  const held = walk.services.definitions.codeSystem(base);
  if (!held) {
    if (concepts.length > 0) walk.report('TX_CS_SUPPLEMENT_UNCHECKED', cursor, { system: base });
    return;
  }
  concepts.forEach((concept, i) => {
    const code = stringOf(concept.code);
    if (code === undefined) return;
    const found = walk.services.terminology.lookup(base, code);
    if (!found.found && found.reason === 'unknown-code')
      walk.report('TX_CS_SUPPLEMENT_CODE', itemCursor(cursor, 'concept', i), { code, system: base });
  });
}

// ------------------------------------------------------------------ ValueSet

const FILTER_OPS_OF_CONCEPT = ['=', 'in', 'is-a', 'descendent-of', 'is-not-a', 'generalizes', 'not-in'];

type FilterRule = {
  kind: 'code' | 'boolean' | 'coding' | 'dateTime' | 'decimal' | 'integer';
  ops?: string[];
};

export function checkValueSet(walk: WalkContext, vs: JsonObject, cursor: Cursor): void {
  if (!isJsonObject(vs.compose)) return;
  const compose = childCursor(cursor, 'compose', `${cursor.expression}.compose`);
  for (const part of ['include', 'exclude'] as const)
    objectsOf(vs.compose[part]).forEach((include, i) =>
      checkInclude(walk, vs, include, itemCursor(compose, part, i)),
    );
}

function checkInclude(walk: WalkContext, vs: JsonObject, include: JsonObject, cursor: Cursor): void {
  let system = stringOf(include.system);
  const version = stringOf(include.version);
  if (system?.includes('|')) {
    const pinned = system.slice(system.indexOf('|') + 1);
    walk.report(
      'TX_VS_SYSTEM_VERSIONED',
      cursor,
      {
        system,
        detail: version === undefined ? 'put it in include.version' : `include.version says ${version}`,
      },
      pinned === '' ? { severity: 'warning' } : {},
    );
    system = system.slice(0, system.indexOf('|'));
  }
  (Array.isArray(include.valueSet) ? include.valueSet : []).forEach((valueSet, j) => {
    if (typeof valueSet !== 'string' || valueSet.includes('?fhir_vs')) return;
    if (!walk.services.definitions.valueSet(valueSet))
      walk.report('TX_VS_IMPORT_UNKNOWN', itemCursor(cursor, 'valueSet', j), { valueSet });
  });
  if (system === undefined) return;
  if (!isAbsoluteUri(system)) {
    walk.report('TX_VS_SYSTEM_NOT_ABSOLUTE', cursor, { system });
    if (system.startsWith('#')) checkContainedSystem(walk, vs, system, cursor);
    return;
  }
  if (externalSystem(system)) return;
  const cs = walk.services.definitions.codeSystem(version ? `${system}|${version}` : system);
  if (!cs) return;
  const content = cs.content;
  if (content === 'supplement') {
    walk.report('TX_VS_SYSTEM_CONTENT', cursor, {
      system,
      content,
      detail: 'a supplement cannot be included',
    });
    return;
  }
  if (content === 'example' || content === 'not-present')
    walk.report(
      'TX_VS_SYSTEM_CONTENT',
      cursor,
      { system, content, detail: 'its codes cannot all be checked' },
      { severity: 'warning' },
    );
  if (content === 'fragment')
    walk.report(
      'TX_VS_SYSTEM_CONTENT',
      cursor,
      { system, content, detail: 'its codes cannot all be checked' },
      { severity: 'information' },
    );
  const complete = content === 'complete' || content === undefined;
  objectsOf(include.concept).forEach((concept, k) => {
    const code = stringOf(concept.code);
    if (code === undefined || !complete) return;
    const found = walk.services.terminology.lookup(system as string, code);
    if (!found.found && found.reason === 'unknown-code')
      walk.report('TX_VS_CONCEPT_UNKNOWN', itemCursor(cursor, 'concept', k), {
        system: system as string,
        code,
      });
  });
  objectsOf(include.filter).forEach((filter, k) =>
    checkFilter(walk, cs, system as string, filter, itemCursor(cursor, 'filter', k)),
  );
}

/** A system written as `#id`: the contained resource it names must be one CodeSystem. */
function checkContainedSystem(walk: WalkContext, vs: JsonObject, system: string, cursor: Cursor): void {
  const matches = objectsOf(vs.contained).filter((c) => `#${String(c.id)}` === system);
  const codeSystems = matches.filter((c) => c.resourceType === 'CodeSystem');
  if (matches.length > 0 && codeSystems.length === 0)
    walk.report('TX_VS_CONTAINED_SYSTEM', cursor, {
      system,
      detail: `it is a ${String(matches[0]?.resourceType)}`,
    });
  else if (codeSystems.length === 0)
    walk.report('TX_VS_CONTAINED_SYSTEM', cursor, { system, detail: 'no contained resource has that id' });
  else if (codeSystems.length > 1)
    walk.report('TX_VS_CONTAINED_SYSTEM', cursor, {
      system,
      detail: 'several contained resources have that id',
    });
}

/** The rules of a filter property (CodeSystemBasedChecker.rulesForFilter), or undefined for one without rules. */
function filterRule(cs: fhir4.CodeSystem, property: string): FilterRule | undefined {
  const declared = (cs.filter ?? []).filter((f) => f.code === property).flatMap((f) => f.operator ?? []);
  const withOps = (rule: FilterRule): FilterRule =>
    declared.length ? { ...rule, ops: [...(rule.ops ?? []), ...declared] } : rule;
  const type = cs.property?.find((p) => p.code === property)?.type;
  switch (type) {
    case 'boolean':
      return withOps({ kind: 'boolean' });
    case 'code':
      return withOps({ kind: 'code' });
    case 'Coding':
      return withOps({ kind: 'coding' });
    case 'dateTime':
      return withOps({ kind: 'dateTime' });
    case 'decimal':
      return withOps({ kind: 'decimal' });
    case 'integer':
      return withOps({ kind: 'integer' });
    case 'string':
      return undefined;
  }
  switch (property) {
    case 'concept':
      return withOps({ kind: 'code', ops: FILTER_OPS_OF_CONCEPT });
    case 'code':
      return withOps({ kind: 'code', ops: ['regex', ...FILTER_OPS_OF_CONCEPT] });
    case 'inactive':
    case 'notSelectable':
      return withOps({ kind: 'boolean' });
    case 'effectiveDate':
    case 'deprecationDate':
    case 'retirementDate':
      return withOps({ kind: 'dateTime' });
    case 'parent':
    case 'child':
    case 'partOf':
      return withOps({ kind: 'code' });
    case 'itemWeight':
      return withOps({ kind: 'decimal' });
    default:
      return declared.length ? { kind: 'code', ops: declared } : undefined;
  }
}

function checkFilter(
  walk: WalkContext,
  cs: fhir4.CodeSystem,
  system: string,
  filter: JsonObject,
  cursor: Cursor,
): void {
  const property = stringOf(filter.property);
  const op = stringOf(filter.op);
  const value = stringOf(filter.value);
  if (property === undefined) return;
  const known = new Set([
    ...STANDARD_PROPERTIES,
    ...(cs.hierarchyMeaning ? ['parent', 'child', 'partOf'] : []),
    ...(cs.filter ?? []).map((f) => f.code),
    ...(cs.property ?? []).map((p) => p.code),
  ]);
  if (!known.has(property)) {
    walk.report('TX_VS_FILTER_PROPERTY_UNKNOWN', cursor, { property, system, known: [...known].join(',') });
    return;
  }
  const rule = filterRule(cs, property);
  if (!rule) return;
  if (op !== undefined && rule.ops?.length && !rule.ops.includes(op))
    walk.report('TX_VS_FILTER_OP', cursor, { op, property, allowed: rule.ops.join(','), system });
  if (value === undefined) return;
  const values = op === 'in' || op === 'not-in' ? value.split(',') : [value];
  const bad = (detail: string) => walk.report('TX_VS_FILTER_VALUE', cursor, { property, value, detail });
  if (op === 'exists') {
    if (value !== 'true' && value !== 'false') bad("it must be 'true' or 'false'");
    return;
  }
  if (op === 'regex') return;
  for (const item of values) {
    const bare = item.replace(/^(eq|ne|gt|lt|ge|le|sa|eb|ap)/, '');
    switch (rule.kind) {
      case 'boolean':
        if (item !== 'true' && item !== 'false') bad("it must be either 'true' or 'false'");
        break;
      case 'code':
        if (item.trim() !== item) bad('a code has no leading or trailing white space');
        else if (
          (property === 'concept' ||
            property === 'code' ||
            ['parent', 'child', 'partOf'].includes(property)) &&
          !walk.services.terminology.lookup(system, item).found
        )
          bad(`it is not a code of ${system}`);
        break;
      case 'coding': {
        const hash = item.indexOf('#');
        const codingSystem = hash > 0 ? item.slice(0, hash) : undefined;
        const codingCode = hash > 0 ? item.slice(hash + 1) : undefined;
        if (!codingSystem || !codingCode) bad("a Coding is written 'system#code'");
        else if (!externalSystem(codingSystem) && walk.services.definitions.codeSystem(codingSystem)) {
          const found = walk.services.terminology.lookup(codingSystem, codingCode);
          if (!found.found) bad(`'${codingCode}' is not a code of ${codingSystem}`);
        }
        break;
      }
      case 'dateTime':
        if (!/^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/.test(bare))
          bad('it is not a dateTime');
        break;
      case 'decimal':
        if (!/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(bare)) bad('it is not a decimal');
        break;
      case 'integer':
        if (!/^-?(0|[1-9]\d*)$/.test(bare)) bad('it is not an integer');
        break;
    }
  }
}
