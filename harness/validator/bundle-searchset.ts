/**
 * Search results (Bundle.type searchset), as the HL7 validator's BundleValidator.checkSearchSet judges
 * them. The self link says what was searched; the resource types it names (`Patient?...`, or
 * `?_type=A,B`) are what a match may be. With search modes on every entry: a match has an id and one of
 * those types, an include has an id, an outcome is an OperationOutcome. With none: each resource is
 * held to the types as far as they are known, and the missing modes are said once when the results are
 * of several types or of types the search did not ask for. A few entries with
 * modes and others without: each one without is said.
 */
import { isJsonObject, stringOf, type JsonObject } from '../json.js';
import { entryResourceCursor, itemCursor, type Cursor, type WalkContext } from './walk-context.js';

export function checkSearchSet(walk: WalkContext, bundle: JsonObject, cursor: Cursor): void {
  const links = Array.isArray(bundle.link) ? bundle.link.filter(isJsonObject) : [];
  const self = links.find((link) => link.relation === 'self');
  const selfUrl = self ? stringOf(self.url) : undefined;
  const types = selfUrl !== undefined ? searchedTypes(walk, selfUrl) : [];
  if (!self) walk.report('BUNDLE_SEARCH_NO_SELF', cursor);
  else if (types.length === 0)
    walk.report('BUNDLE_SEARCH_SELF_NOT_UNDERSTOOD', cursor, { url: selfUrl ?? '' });

  const entries = Array.isArray(bundle.entry) ? bundle.entry : [];
  const modeOf = (entry: unknown) =>
    isJsonObject(entry) && isJsonObject(entry.search) ? stringOf(entry.search.mode) : undefined;
  const withMode = entries.filter((entry) => modeOf(entry) !== undefined).length;
  const expected = types.join(', ');

  if (withMode === 0 && entries.length > 0) {
    // No modes anywhere: judge by type as far as the self link tells, and say the modes are missing.
    let typeProblem = false;
    let firstType: string | undefined;
    entries.forEach((entry, index) => {
      const resource = isJsonObject(entry) && isJsonObject(entry.resource) ? entry.resource : undefined;
      if (!resource) {
        walk.report('BUNDLE_SEARCH_ENTRY_NO_RESOURCE', itemCursor(cursor, 'entry', index));
        return;
      }
      const at = entryResourceCursor(cursor, index, resource);
      const type = stringOf(resource.resourceType) ?? '';
      const hasId = typeof resource.id === 'string';
      if (types.length === 0) {
        typeProblem = true;
        if (self) walk.report('BUNDLE_SEARCH_ENTRY_TYPE_UNSURE', at);
        if (!hasId && type !== 'OperationOutcome')
          walk.report('BUNDLE_SEARCH_ENTRY_NO_ID', at, {}, { severity: 'warning' });
      } else if (types.includes(type)) {
        if (type === 'OperationOutcome') return;
        if (!hasId) walk.report('BUNDLE_SEARCH_ENTRY_NO_ID', at, {}, { severity: 'warning' });
        if (firstType !== undefined && type !== firstType) typeProblem = true;
        firstType ??= type;
      } else {
        typeProblem = true;
        walk.report(
          'BUNDLE_SEARCH_ENTRY_WRONG_TYPE',
          itemCursor(cursor, 'entry', index),
          { type, expected, detail: '; is a search mode needed?' },
          { severity: 'warning' },
        );
      }
    });
    // Results of one type need no modes to be understood; a mix does.
    if (typeProblem) walk.report('BUNDLE_SEARCH_NO_MODE', cursor);
    return;
  }

  entries.forEach((entry, index) => {
    const entryCursor = itemCursor(cursor, 'entry', index);
    const mode = modeOf(entry);
    if (mode === undefined) walk.report('BUNDLE_SEARCH_NO_MODE', entryCursor);
    const resource = isJsonObject(entry) && isJsonObject(entry.resource) ? entry.resource : undefined;
    if (!resource) {
      walk.report('BUNDLE_SEARCH_ENTRY_NO_RESOURCE', entryCursor);
      return;
    }
    const at = entryResourceCursor(cursor, index, resource);
    const type = stringOf(resource.resourceType) ?? '';
    const hasId = typeof resource.id === 'string';
    if (mode === 'match') {
      if (!hasId) walk.report('BUNDLE_SEARCH_ENTRY_NO_ID', at);
      if (types.length > 0 && !types.includes(type))
        walk.report('BUNDLE_SEARCH_ENTRY_WRONG_TYPE', at, { type, expected, detail: '' });
    } else if (mode === 'include') {
      if (!hasId) walk.report('BUNDLE_SEARCH_ENTRY_NO_ID', at);
    } else if (mode !== undefined && type !== 'OperationOutcome') {
      walk.report('BUNDLE_SEARCH_ENTRY_NOT_OUTCOME', at, { type });
    }
  });
}

/**
 * The resource types a search URL asks for: the last path segment when it names a resource type
 * (`.../Patient?name=x`), else the `_type` parameter of a system-wide search.
 */
function searchedTypes(walk: WalkContext, url: string): string[] {
  const query = url.indexOf('?');
  const path = query < 0 ? url : url.slice(0, query);
  const last = path.split('/').pop() ?? '';
  if (last !== '' && walk.services.definitions.isResourceType(last)) return [last];
  if (query < 0) return [];
  return url
    .slice(query + 1)
    .split('&')
    .filter((parameter) => parameter.startsWith('_type='))
    .flatMap((parameter) => parameter.slice('_type='.length).split(','));
}
