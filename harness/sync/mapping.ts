/**
 * Codes and identifiers mapped from the registry's to openIMIS's, from a ConceptMap or a CSV file.
 *
 * A mapping takes a (system, code) pair to another. It applies to every Coding of the resource (types,
 * physical types) and to every identifier (its system and value). An identifier mapped into the openIMIS
 * identifiers CodeSystem becomes an openIMIS Code identifier (type Code, no system), which is how the IG
 * names a facility's code.
 *
 * CSV: a header line naming `source_system,source_code,target_system,target_code` (in any order); one
 * mapping per line; fields may be quoted. ConceptMap: each group's source and target systems, and each
 * element's code with its first target's code (equivalence unmatched or disjoint is skipped).
 */
import { isJsonObject, objectsOf, stringOf, type JsonObject } from '../json.js';
import { IDENTIFIER_SYSTEM } from '../openimis/payloads.js';

export interface CodeMap {
  /** `system|code` to the pair it maps to. */
  entries: Map<string, { system: string; code: string }>;
}

const keyOf = (system: string, code: string) => `${system}|${code}`;

/** A map read from a file's text: a ConceptMap (JSON) or CSV; an Error saying what is wrong. */
export function parseCodeMap(text: string, name: string): CodeMap | Error {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      return new Error(`${name} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!isJsonObject(json) || json.resourceType !== 'ConceptMap')
      return new Error(`${name} is JSON but not a ConceptMap`);
    return fromConceptMap(json);
  }
  return fromCsv(text, name);
}

function fromConceptMap(conceptMap: JsonObject): CodeMap {
  const entries = new Map<string, { system: string; code: string }>();
  for (const group of objectsOf(conceptMap.group)) {
    const source = stringOf(group.source);
    const target = stringOf(group.target);
    if (!source || !target) continue;
    for (const element of objectsOf(group.element)) {
      const code = stringOf(element.code);
      const mapped = objectsOf(element.target).find(
        (t) => t.equivalence !== 'unmatched' && t.equivalence !== 'disjoint' && stringOf(t.code),
      );
      if (code && mapped)
        entries.set(keyOf(source, code), { system: target, code: stringOf(mapped.code) as string });
    }
  }
  return { entries };
}

const COLUMNS = ['source_system', 'source_code', 'target_system', 'target_code'] as const;

function fromCsv(text: string, name: string): CodeMap | Error {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const header = splitCsv(lines[0] ?? '').map((cell) => cell.trim().toLowerCase());
  const at = COLUMNS.map((column) => header.indexOf(column));
  if (at.some((index) => index < 0))
    return new Error(`${name}: the first line must name the columns ${COLUMNS.join(', ')}`);
  const entries = new Map<string, { system: string; code: string }>();
  for (let i = 1; i < lines.length; i++) {
    const cells = splitCsv(lines[i] as string).map((cell) => cell.trim());
    const [sourceSystem, sourceCode, targetSystem, targetCode] = at.map((index) => cells[index] ?? '');
    if (!sourceSystem || !sourceCode || !targetSystem || !targetCode)
      return new Error(`${name} line ${i + 1}: every column needs a value`);
    entries.set(keyOf(sourceSystem, sourceCode), { system: targetSystem, code: targetCode });
  }
  return { entries };
}

/** One CSV line's cells, quotes honoured (`"a,b"`, `""` for a quote). */
function splitCsv(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i] as string;
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      cells.push(cell);
      cell = '';
    } else cell += char;
  }
  cells.push(cell);
  return cells;
}

/**
 * What openIMIS keeps of a Location: a level of its administrative hierarchy (openimis-location), its
 * identifiers, status, mode, name, level (physicalType) and parent. What a facility registry adds
 * (managing organization, endpoints, address, position, contacts, hours) is left in the registry; the
 * facility's Organization, fetched with it, carries what openIMIS keeps of a facility.
 */
const LOCATION_KEPT = new Set([
  'resourceType',
  'id',
  'meta',
  'extension',
  'identifier',
  'status',
  'mode',
  'name',
  'physicalType',
  'partOf',
]);

export function asOpenimisShape(resource: JsonObject): JsonObject {
  if (resource.resourceType !== 'Location') return resource;
  return Object.fromEntries(Object.entries(resource).filter(([key]) => LOCATION_KEPT.has(key)));
}

/** The resource with its codings and identifiers mapped (a copy; the input is not changed). */
export function applyCodeMap(resource: JsonObject, map: CodeMap | undefined): JsonObject {
  if (!map || map.entries.size === 0) return resource;
  return mapNode(resource, map) as JsonObject;
}

function mapNode(node: unknown, map: CodeMap): unknown {
  if (Array.isArray(node)) return node.map((item) => mapNode(item, map));
  if (!isJsonObject(node)) return node;
  const copy: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'identifier' && Array.isArray(value)) copy[key] = value.map((id) => mapIdentifier(id, map));
    else if (key === 'coding' && Array.isArray(value)) copy[key] = value.map((c) => mapCoding(c, map));
    else copy[key] = mapNode(value, map);
  }
  return copy;
}

function mapCoding(coding: unknown, map: CodeMap): unknown {
  if (!isJsonObject(coding)) return coding;
  const system = stringOf(coding.system);
  const code = stringOf(coding.code);
  const mapped = system && code ? map.entries.get(keyOf(system, code)) : undefined;
  if (!mapped) return coding;
  // The display named the code before it was mapped; it is left out rather than left wrong.
  const { display: _display, ...rest } = coding;
  return { ...rest, system: mapped.system, code: mapped.code };
}

function mapIdentifier(identifier: unknown, map: CodeMap): unknown {
  if (!isJsonObject(identifier)) return identifier;
  const system = stringOf(identifier.system);
  const value = stringOf(identifier.value);
  const mapped = system && value ? map.entries.get(keyOf(system, value)) : undefined;
  if (!mapped) return identifier;
  if (mapped.system === IDENTIFIER_SYSTEM) {
    const { system: _system, ...rest } = identifier;
    return { ...rest, type: { coding: [{ system: IDENTIFIER_SYSTEM, code: 'Code' }] }, value: mapped.code };
  }
  return { ...identifier, system: mapped.system, value: mapped.code };
}
