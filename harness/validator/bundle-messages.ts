/**
 * The messages of the Bundle rules (bundle.ts, bundle-searchset.ts, bundle-documents.ts): links,
 * fullUrls, search results, and the entries of documents and messages. messages.ts spreads them into
 * MESSAGES, which checks their shape.
 */
export const BUNDLE_MESSAGES = {
  BUNDLE_REFERENCE_FOUND_MULTIPLE: {
    severity: 'error',
    code: 'invalid',
    template: "Found {count} matches for '{reference}' in the bundle ({name})",
  },
  BUNDLE_ENTRY_ORPHAN: {
    severity: 'error',
    code: 'informational',
    template: "Entry {entry} isn't reachable by traversing links (forward or backward) from the {first}",
  },
  BUNDLE_ENTRY_REVERSE: {
    severity: 'warning',
    code: 'invalid',
    template: "Entry {entry} isn't reachable by traversing forwards from the {first}{detail}",
  },
  BUNDLE_LINK_DUPLICATE: {
    severity: 'error',
    code: 'invalid',
    template: "The link relationship type '{relation}' can only occur once",
  },
  BUNDLE_FULLURL_RELATIVE: {
    severity: 'error',
    code: 'invalid',
    template: "The fullUrl must be an absolute URL (not '{fullUrl}')",
  },
  BUNDLE_FULLURL_ID_MISMATCH: {
    severity: 'error',
    code: 'invalid',
    template:
      "The fullUrl '{fullUrl}' looks like a RESTful server URL, so it must end with the type and id of its resource ({id})",
  },
  BUNDLE_LINK_PAGING_PROHIBITED: {
    severity: 'error',
    code: 'invalid',
    template:
      "The link relationship type '{relation}' is for paging search results; a {type} Bundle must not have it",
  },
  BUNDLE_LINK_STYLESHEET_EXTERNAL: {
    severity: 'warning',
    code: 'business-rule',
    template: 'External stylesheets other than https://hl7.org/fhir/fhir.css SHOULD not be used',
  },
  BUNDLE_LINK_STYLESHEET_INSECURE: {
    severity: 'warning',
    code: 'business-rule',
    template: 'The stylesheet reference is not secure (http, not https)',
  },
  BUNDLE_LINK_STYLESHEET_NOT_FOUND: {
    severity: 'error',
    code: 'not-found',
    template: "The stylesheet reference '{url}' could not be resolved in this Bundle",
  },
  BUNDLE_SEARCH_NO_SELF: {
    severity: 'warning',
    code: 'invalid',
    template: 'SearchSet Bundles should have a self link that specifies what the search was',
  },
  BUNDLE_SEARCH_SELF_NOT_UNDERSTOOD: {
    severity: 'information',
    code: 'invalid',
    template: "No types could be determined from the search string '{url}', so the types can't be checked",
  },
  BUNDLE_SEARCH_NO_MODE: {
    severity: 'warning',
    code: 'invalid',
    template: 'SearchSet Bundles should have search modes on the entries',
  },
  BUNDLE_SEARCH_ENTRY_NO_RESOURCE: {
    severity: 'error',
    code: 'invalid',
    template: 'SearchSet Bundle entries must have resources',
  },
  BUNDLE_SEARCH_ENTRY_NO_ID: {
    severity: 'error',
    code: 'invalid',
    template: 'Search results must have ids',
  },
  BUNDLE_SEARCH_ENTRY_TYPE_UNSURE: {
    severity: 'information',
    code: 'invalid',
    template: 'Unable to determine if this resource is a valid resource type for this search',
  },
  BUNDLE_SEARCH_ENTRY_WRONG_TYPE: {
    severity: 'error',
    code: 'invalid',
    template:
      'This is not a matching resource type for the specified search ({type} expecting {expected}){detail}',
  },
  BUNDLE_SEARCH_ENTRY_NOT_OUTCOME: {
    severity: 'error',
    code: 'invalid',
    template: 'An entry with search mode outcome must be an OperationOutcome, not a {type}',
  },
} as const;
