/**
 * Bundle rules beyond the invariants of the Bundle definition (bdl-1 to bdl-9, evaluated like any
 * other): every fullUrl is absolute, a RESTful fullUrl ends with the type and id of its resource, and
 * the references of documents and messages resolve (bundle-documents.ts).
 */
import { isJsonObject, type JsonObject } from '../json.js';
import { checkDocumentOrMessage } from './bundle-documents.js';
import {
  childCursor,
  itemCursor,
  type Cursor,
  type ResourceScope,
  type WalkContext,
} from './walk-context.js';

const RESTFUL_TAIL = /\/([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(\/_history\/[A-Za-z0-9\-.]{1,64})?$/;

/** Link relations a Bundle may hold once at most (paging and self). */
const SINGLE_LINKS = new Set(['self', 'first', 'previous', 'prev', 'next', 'last']);

export function checkBundle(
  walk: WalkContext,
  bundle: JsonObject,
  cursor: Cursor,
  scope: ResourceScope,
): void {
  const seenRelations = new Set<string>();
  const links = Array.isArray(bundle.link) ? bundle.link : [];
  links.forEach((link, index) => {
    const relation = isJsonObject(link) ? link.relation : undefined;
    if (typeof relation !== 'string' || !SINGLE_LINKS.has(relation)) return;
    if (seenRelations.has(relation)) {
      walk.report('BUNDLE_LINK_DUPLICATE', itemCursor(cursor, 'link', index), { relation });
    }
    seenRelations.add(relation);
  });
  const entries = Array.isArray(bundle.entry) ? bundle.entry : [];
  const entriesCursor = childCursor(cursor, 'entry', `${cursor.expression}.entry`);
  entries.forEach((entry, index) => {
    if (!isJsonObject(entry)) return;
    const entryCursor = childCursor(entriesCursor, index, `${cursor.expression}.entry[${index}]`);
    const fullUrl = entry.fullUrl;
    if (typeof fullUrl !== 'string') return;
    const fullUrlCursor = childCursor(entryCursor, 'fullUrl', entryCursor.expression);
    if (!/^[a-z][a-z0-9+.-]*:/i.test(fullUrl)) {
      walk.report('BUNDLE_FULLURL_RELATIVE', fullUrlCursor, { fullUrl });
      return;
    }
    const resource = isJsonObject(entry.resource) ? entry.resource : undefined;
    const tail = RESTFUL_TAIL.exec(fullUrl);
    if (
      resource &&
      tail &&
      typeof resource.id === 'string' &&
      (tail[1] !== resource.resourceType || tail[2] !== resource.id)
    ) {
      walk.report('BUNDLE_FULLURL_ID_MISMATCH', fullUrlCursor, {
        fullUrl,
        id: `${typeof resource.resourceType === 'string' ? resource.resourceType : ''}/${resource.id}`,
      });
    }
  });
  void scope;
  checkDocumentOrMessage(walk, bundle, cursor);
}
