/**
 * Bundle rules beyond the invariants of the Bundle definition (bdl-1 to bdl-9, evaluated like any
 * other): links fit the Bundle's type, every fullUrl is absolute, a RESTful fullUrl ends with the type
 * and id of its resource, the references of documents and messages resolve (bundle-documents.ts), and
 * search results are what the search asked for (bundle-searchset.ts).
 */
import { isJsonObject, type JsonObject } from '../json.js';
import { checkDocumentOrMessage } from './bundle-documents.js';
import { checkSearchSet } from './bundle-searchset.js';
import {
  childCursor,
  itemCursor,
  type Cursor,
  type ResourceScope,
  type WalkContext,
} from './walk-context.js';

const RESTFUL_TAIL = /\/([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(\/_history\/[A-Za-z0-9\-.]{1,64})?$/;

/** The paging relations: only search results and histories are paged. */
const PAGING_LINKS = new Set(['first', 'previous', 'next', 'last']);
const PAGED_TYPES = new Set(['searchset', 'history']);
const KNOWN_TYPES = new Set([
  'document',
  'message',
  'transaction',
  'transaction-response',
  'batch',
  'batch-response',
  'history',
  'searchset',
  'collection',
  'subscription-notification',
]);

export function checkBundle(
  walk: WalkContext,
  bundle: JsonObject,
  cursor: Cursor,
  scope: ResourceScope,
): void {
  const type = typeof bundle.type === 'string' ? bundle.type : '';
  checkLinks(walk, bundle, cursor, type);
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
  if (type === 'searchset') checkSearchSet(walk, bundle, cursor);
}

/**
 * Bundle.link by the Bundle's type (BundleValidator.validateLink): a relation of paging or self occurs
 * once; paging belongs to search results and histories only; a document's stylesheet is the FHIR one,
 * or an entry of the document.
 */
function checkLinks(walk: WalkContext, bundle: JsonObject, cursor: Cursor, type: string): void {
  if (!KNOWN_TYPES.has(type)) return;
  const links = Array.isArray(bundle.link) ? bundle.link : [];
  const seen = new Set<string>();
  links.forEach((link, index) => {
    if (!isJsonObject(link) || typeof link.relation !== 'string') return;
    const relation = link.relation;
    const linkCursor = itemCursor(cursor, 'link', index);
    const paged = PAGED_TYPES.has(type);
    const at = paged ? linkCursor : childCursor(linkCursor, 'relation', `${linkCursor.expression}.relation`);
    if (!paged && PAGING_LINKS.has(relation))
      walk.report('BUNDLE_LINK_PAGING_PROHIBITED', at, { relation, type });
    if ((relation === 'self' || (paged && PAGING_LINKS.has(relation))) && seen.has(relation))
      walk.report('BUNDLE_LINK_DUPLICATE', at, { relation });
    seen.add(relation);
    if (type === 'document' && relation === 'stylesheet' && typeof link.url === 'string')
      checkStylesheet(walk, bundle, link.url, childCursor(linkCursor, 'url', `${linkCursor.expression}.url`));
  });
}

function checkStylesheet(walk: WalkContext, bundle: JsonObject, url: string, at: Cursor): void {
  if (/^[a-z][a-z0-9+.-]*:/i.test(url)) {
    if (url === 'https://hl7.org/fhir/fhir.css') return;
    walk.report('BUNDLE_LINK_STYLESHEET_EXTERNAL', at);
    if (url.startsWith('http://')) walk.report('BUNDLE_LINK_STYLESHEET_INSECURE', at);
    return;
  }
  const entries = Array.isArray(bundle.entry) ? bundle.entry : [];
  const found = entries.some(
    (entry) =>
      isJsonObject(entry) &&
      isJsonObject(entry.resource) &&
      `${String(entry.resource.resourceType)}/${String(entry.resource.id)}` === url,
  );
  if (!found) walk.report('BUNDLE_LINK_STYLESHEET_NOT_FOUND', at, { url });
}
