/**
 * ConceptMap resources, checked with what we hold locally as the HL7 validator's ConceptMapValidator
 * checks them (R4 names: source[x]/target[x] are the scopes, group.source/target the code systems,
 * element.target.equivalence the relationship):
 * - a scope must be a ValueSet when it names a resource we hold;
 * - each group names its source and target code systems; one we hold must have all its content (an
 *   example, fragment or not-present system cannot judge codes), SNOMED CT and LOINC are left to a
 *   terminology server, and one we do not hold is said once unless a scope can stand in for it;
 * - each source and target code exists in its code system (an error when the system is complete), its
 *   display is one the system gives, and it is in the scope's value set;
 * - a source code mapped twice to the same target (or with no target, twice) is warned.
 */
import { objectsOf, stringOf, type JsonObject } from '../json.js';
import { externalSystem } from '../terminology/index.js';
import { childCursor, itemCursor, type Cursor, type WalkContext } from './walk-context.js';

type Side = 'source' | 'target';

/** A scope (source[x] or target[x]): its canonical, and the ValueSet when we hold one. */
interface Scope {
  canonical: string;
  valueSet?: fhir4.ValueSet;
}

/** A group's code system on one side, when we hold it with content that can judge codes. */
interface GroupSystem {
  url: string;
  version?: string;
  codeSystem?: fhir4.CodeSystem;
}

/** The systems only a terminology server holds in full: their codes are not checked locally. */
const SERVER_SIDE_SYSTEMS = new Set(['http://snomed.info/sct', 'http://loinc.org']);

const CAPITAL: Record<Side, string> = { source: 'Source', target: 'Target' };

const versioned = (url: string | undefined, version: string | undefined) =>
  version === undefined ? (url ?? '') : `${url ?? ''}|${version}`;

export function checkConceptMap(walk: WalkContext, map: JsonObject, cursor: Cursor): void {
  const scopes = {
    source: readScope(walk, map, 'source', cursor),
    target: readScope(walk, map, 'target', cursor),
  };
  objectsOf(map.group).forEach((group, g) => {
    const groupCursor = itemCursor(cursor, 'group', g);
    const systems = {
      source: readGroupSystem(walk, group, 'source', scopes.source, groupCursor),
      target: readGroupSystem(walk, group, 'target', scopes.target, groupCursor),
    };
    const seen = new Map<string, string>();
    objectsOf(group.element).forEach((element, e) => {
      const elementCursor = itemCursor(groupCursor, 'element', e);
      const source = stringOf(element.code);
      if (source !== undefined)
        checkCode(walk, 'source', element, systems.source, scopes.source, elementCursor);
      objectsOf(element.target).forEach((target, t) => {
        const targetCursor = itemCursor(elementCursor, 'target', t);
        if (stringOf(target.code) !== undefined)
          checkCode(walk, 'target', target, systems.target, scopes.target, targetCursor);
        checkDuplicate(walk, seen, source, target, targetCursor);
      });
    });
  });
}

/** source[x] or target[x]: a canonical (or uri) naming the value set the codes come from. */
function readScope(walk: WalkContext, map: JsonObject, side: Side, cursor: Cursor): Scope | undefined {
  const key = side === 'source' ? ['sourceCanonical', 'sourceUri'] : ['targetCanonical', 'targetUri'];
  const name = key.find((k) => typeof map[k] === 'string');
  if (name === undefined) return undefined;
  const canonical = map[name] as string;
  const held = walk.services.definitions.resolve<{ resourceType?: string }>(canonical);
  if (held !== undefined && held.resourceType !== 'ValueSet') {
    walk.report('TX_CM_SCOPE_NOT_A_VALUE_SET', childCursor(cursor, name, `${cursor.expression}.${side}`), {
      type: String(held.resourceType),
    });
    return undefined;
  }
  return { canonical, valueSet: walk.services.definitions.valueSet(canonical) };
}

function readGroupSystem(
  walk: WalkContext,
  group: JsonObject,
  side: Side,
  scope: Scope | undefined,
  cursor: Cursor,
): GroupSystem | undefined {
  const written = stringOf(group[side]);
  if (written === undefined) {
    walk.report('TX_CM_GROUP_SYSTEM_MISSING', cursor, { side: CAPITAL[side], lower: side });
    return undefined;
  }
  const at = childCursor(cursor, side, `${cursor.expression}.${side}`);
  const bar = written.indexOf('|');
  const url = bar === -1 ? written : written.slice(0, bar);
  const version =
    stringOf(group[`${side}Version`]) ??
    (bar === -1 ? versionInScope(scope?.valueSet, url) : written.slice(bar + 1));
  if (SERVER_SIDE_SYSTEMS.has(url)) {
    walk.report('TX_CM_GROUP_SYSTEM_SERVER_SIDE', at, { side: CAPITAL[side], system: url, lower: side });
    return { url, version };
  }
  const codeSystem = externalSystem(url)
    ? undefined
    : (walk.services.definitions.codeSystem(versioned(url, version)) ??
      walk.services.definitions.codeSystem(url));
  if (codeSystem === undefined) {
    if (scope === undefined)
      walk.report('TX_CM_GROUP_SYSTEM_UNKNOWN', at, { side: CAPITAL[side], system: url, lower: side });
    return { url, version };
  }
  const content = codeSystem.content;
  if (content === 'not-present' || content === 'example' || content === 'fragment') {
    walk.report('TX_CM_GROUP_SYSTEM_INCOMPLETE', at, {
      side: CAPITAL[side],
      system: url,
      content,
      lower: side,
    });
    return { url, version };
  }
  return { url, version, codeSystem };
}

/** The version a scope's value set pins for a system, when the group does not say. */
function versionInScope(valueSet: fhir4.ValueSet | undefined, system: string): string | undefined {
  return valueSet?.compose?.include.findLast((include) => include.system === system && include.version)
    ?.version;
}

function checkCode(
  walk: WalkContext,
  side: Side,
  holder: JsonObject,
  system: GroupSystem | undefined,
  scope: Scope | undefined,
  cursor: Cursor,
): void {
  const code = holder.code as string;
  const at = childCursor(cursor, 'code', `${cursor.expression}.code`);
  if (system?.codeSystem !== undefined) {
    const content = system.codeSystem.content;
    const complete = content === 'complete' || content === undefined;
    const found = walk.services.terminology.lookup(system.url, code);
    if (!found.found) {
      if (found.reason === 'unknown-code')
        walk.report(
          'TX_CM_CODE_INVALID',
          at,
          { side, code, system: versioned(system.url, system.codeSystem.version) },
          complete ? {} : { severity: 'warning' },
        );
      return;
    }
    const display = stringOf(holder.display);
    if (
      display !== undefined &&
      found.displays.length > 0 &&
      !found.displays.some((d) => d.toLowerCase() === display.toLowerCase())
    )
      walk.report('TX_CM_DISPLAY_INVALID', at, {
        side,
        display,
        code,
        displays: found.displays.map((d) => `'${d}'`).join(', '),
      });
  } else if (system === undefined) {
    return;
  }
  if (scope?.valueSet === undefined) return;
  // A value set we hold answers for the codes it enumerates or filters even when their system is one
  // we do not hold; an answer of "cannot tell" is left to a terminology server.
  const check = walk.services.terminology.checkCode(scope.canonical, system.url, code);
  if (check.result === 'invalid')
    walk.report('TX_CM_CODE_NOT_IN_VALUE_SET', at, {
      side,
      code,
      valueSet: versioned(scope.valueSet.url, scope.valueSet.version),
    });
}

/** The same source code mapped to the same target (or to no target) twice: the second is warned. */
function checkDuplicate(
  walk: WalkContext,
  seen: Map<string, string>,
  source: string | undefined,
  target: JsonObject,
  cursor: Cursor,
): void {
  const equivalence = stringOf(target.equivalence);
  if (source === undefined || equivalence === undefined) return;
  const code = stringOf(target.code);
  const key = `${source}\u0000${code ?? ''}`;
  const before = seen.get(key);
  if (before === undefined) {
    seen.set(key, equivalence);
    return;
  }
  walk.report('TX_CM_MAPPING_DUPLICATE', cursor, {
    source,
    target: code ?? '(no target)',
    detail:
      before === equivalence
        ? `the same ${equivalence} mapping is given twice`
        : `it was ${before}, here ${equivalence}`,
  });
}
