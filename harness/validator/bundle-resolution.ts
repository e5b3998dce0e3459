/**
 * How a reference resolves inside a Bundle (bundle.html#references), the two ways the HL7 validator
 * applies the rules:
 * - `resolveWalked`: a reference met while walking an entry's resource (BaseValidator.getFromBundle): an
 *   absolute or urn reference is looked up by fullUrl; a relative one is made absolute from the base of
 *   its own entry's fullUrl; a versioned one must also match meta.versionId. Several matches are an
 *   error; none is not (the resource may live on a server), but a urn that no entry has, or entries
 *   that match only by type and id, are said as warnings.
 * - `resolveByRules`: the document and message checks and the interlinking of their entries
 *   (BaseValidator.resolveInBundle): the same rules, where an entry that matches only by type and id is
 *   an error, and a reference found nowhere an error or a hint depending on the check.
 */
import { isJsonObject, objectsOf, stringOf, type JsonObject } from '../json.js';
import type { MessageId, Severity } from './messages.js';

/** What resolving said: an issue to report at the reference. */
export interface Finding {
  id: MessageId;
  args: Record<string, string | number>;
  severity?: Severity;
}

export interface Resolution {
  /** The entry whose resource the reference names. */
  entry?: JsonObject;
  findings: Finding[];
}

interface BundleIndex {
  /** Entries by fullUrl, and by fullUrl/_history/versionId when the resource has a version. */
  byFullUrl: Map<string, JsonObject[]>;
  /** Entries by Type/id of their resource, and Type/id/_history/versionId. */
  byTypeId: Map<string, JsonObject[]>;
}

const indexes = new WeakMap<JsonObject, BundleIndex>();

const RESOURCE_NAME = /^[A-Z][A-Za-z]+$/;
/** A RESTful URL, absolute or not: [base/]Type/id[/_history/vid]. */
const RESTFUL =
  /^(?:https?:\/\/(?:[A-Za-z0-9\\.:%$]*\/)*)?[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/;

const add = (map: Map<string, JsonObject[]>, key: string, entry: JsonObject) => {
  const list = map.get(key);
  if (list) list.push(entry);
  else map.set(key, [entry]);
};

function indexOf(bundle: JsonObject): BundleIndex {
  let index = indexes.get(bundle);
  if (index) return index;
  index = { byFullUrl: new Map(), byTypeId: new Map() };
  for (const entry of objectsOf(bundle.entry)) {
    const fullUrl = stringOf(entry.fullUrl);
    const resource = isJsonObject(entry.resource) ? entry.resource : undefined;
    const version = resource && isJsonObject(resource.meta) ? stringOf(resource.meta.versionId) : undefined;
    if (fullUrl !== undefined) {
      add(index.byFullUrl, fullUrl, entry);
      if (version) add(index.byFullUrl, `${fullUrl}/_history/${version}`, entry);
    }
    const type = stringOf(resource?.resourceType);
    const id = stringOf(resource?.id);
    if (type && id) {
      add(index.byTypeId, `${type}/${id}`, entry);
      if (version) add(index.byTypeId, `${type}/${id}/_history/${version}`, entry);
    }
  }
  indexes.set(bundle, index);
  return index;
}

const isAbsolute = (reference: string) => /^[a-z][a-z0-9+.-]*:/i.test(reference);

/** Type and id of a relative reference (`Patient/1`, `Patient/1/_history/2`), when it has that form. */
function typeAndId(reference: string): { type: string; id: string } | undefined {
  const [type, id] = reference.split('/');
  return type && id && RESOURCE_NAME.test(type) ? { type, id } : undefined;
}

/** The entry's resource, and where the entry sits, for messages. */
const resourceOf = (entry: JsonObject) => (isJsonObject(entry.resource) ? entry.resource : undefined);

/**
 * A reference met while walking the resource of an entry whose fullUrl is `fullUrl`, in a Bundle of
 * type `bundleType`.
 */
export function resolveWalked(
  bundle: JsonObject,
  reference: string,
  fullUrl: string | undefined,
): Resolution {
  const bundleType = stringOf(bundle.type) ?? '';
  const findings: Finding[] = [];
  let target: string;
  let version = '';
  let referencedType: string | undefined;
  if (isAbsolute(reference)) {
    const history = reference.indexOf('/_history/');
    target = history >= 0 ? reference.slice(0, history) : reference;
    if (history >= 0) version = reference.slice(history + '/_history/'.length);
  } else if (fullUrl === undefined) {
    // A relative reference has nothing to be relative to; in the response to a batch or transaction
    // the server resolved it already.
    if (bundleType !== 'batch-response' && bundleType !== 'transaction-response')
      findings.push({ id: 'REF_BUNDLE_NO_FULLURL', args: { reference } });
    return { findings };
  } else {
    const slashes = reference.split('/').length - 1;
    if (slashes !== 1 && slashes !== 3) return { findings };
    // The base is the entry's fullUrl without its last part (urn:uuid:) or its last two (Type/id).
    const base = fullUrl.startsWith('urn')
      ? fullUrl.slice(0, fullUrl.lastIndexOf(':') + 1)
      : fullUrl
          .split('/')
          .slice(0, -2)
          .map((part) => `${part}/`)
          .join('');
    const named = typeAndId(reference);
    referencedType = named?.type;
    const history = reference.indexOf('/_history/');
    if (history >= 0 && named) {
      version = reference.slice(history + '/_history/'.length);
      target = `${base}${named.type}/${named.id}`;
    } else if (base.startsWith('urn') && named) target = `${base}${named.id}`;
    else target = `${base}${reference}`;
  }

  const matches = (indexOf(bundle).byFullUrl.get(target) ?? []).filter((entry) => {
    if (!version) return true;
    const resource = resourceOf(entry);
    return resource && isJsonObject(resource.meta) && resource.meta.versionId === version;
  });
  if (matches.length > 1) findings.push({ id: 'REF_BUNDLE_MULTIPLE_MATCHES', args: { reference } });
  const match = matches[matches.length - 1];
  if (match) {
    const type = stringOf(resourceOf(match)?.resourceType);
    if (referencedType && type && type !== referencedType)
      findings.push({ id: 'REF_BUNDLE_RESOURCE_TYPE', args: { reference, type } });
    return { entry: match, findings };
  }
  if (reference.startsWith('urn')) findings.push({ id: 'REF_BUNDLE_URN_NOT_LOCAL', args: { reference } });
  if (!isAbsolute(reference)) {
    const named = typeAndId(reference);
    const sameTypeAndId = named ? (indexOf(bundle).byTypeId.get(`${named.type}/${named.id}`) ?? []) : [];
    if (sameTypeAndId.length > 1)
      findings.push({ id: 'REF_BUNDLE_POSSIBLE_MATCHES', args: { reference, target } });
    const entries = objectsOf(bundle.entry);
    for (const entry of sameTypeAndId) {
      const entryUrl = stringOf(entry.fullUrl);
      findings.push({
        id: 'REF_BUNDLE_POSSIBLE_MATCH',
        args: {
          index: entries.indexOf(entry),
          reference,
          target,
          fullUrl: entryUrl === undefined ? '(none)' : entryUrl,
        },
      });
    }
  }
  return { findings };
}

/**
 * A reference from the resource `type/id` of an entry whose fullUrl is `fullUrl`, checked by the
 * Bundle's resolution rules (a document's Composition, a message's MessageHeader, the links between
 * entries). `name` says which reference it is. A reference found nowhere is an error when `required`,
 * else a hint; an entry matching only by type and id, or several matches, are errors either way.
 */
export function resolveByRules(
  bundle: JsonObject,
  reference: string,
  from: { fullUrl: string | undefined; type: string; id: string | undefined },
  name: string,
  required: boolean,
): Resolution {
  const index = indexOf(bundle);
  const notFound = (detail: string): Finding => ({
    id: 'REF_NOT_FOUND_IN_BUNDLE',
    args: { reference, name, detail },
    ...(required ? {} : { severity: 'information' as const }),
  });
  const wanted = reference.includes('#') ? reference.slice(0, reference.indexOf('#')) : reference;
  if (isAbsolute(wanted)) {
    const matches = index.byFullUrl.get(wanted) ?? [];
    if (matches.length === 1) return { entry: matches[0], findings: [] };
    if (matches.length > 1)
      return {
        findings: [
          { id: 'BUNDLE_REFERENCE_FOUND_MULTIPLE', args: { count: matches.length, reference, name } },
        ],
      };
    return { findings: [notFound('')] };
  }
  const { fullUrl, type, id } = from;
  const absolute =
    fullUrl !== undefined && id !== undefined && RESTFUL.test(fullUrl) && fullUrl.endsWith(`${type}/${id}`)
      ? `${fullUrl.slice(0, fullUrl.length - `${type}/${id}`.length)}${wanted}`
      : undefined;
  const matches = absolute === undefined ? [] : (index.byFullUrl.get(absolute) ?? []);
  if (matches.length === 1) return { entry: matches[0], findings: [] };
  if (matches.length > 1)
    return {
      findings: [{ id: 'BUNDLE_REFERENCE_FOUND_MULTIPLE', args: { count: matches.length, reference, name } }],
    };
  const named = typeAndId(wanted);
  const sameTypeAndId = named ? (index.byTypeId.get(`${named.type}/${named.id}`) ?? []) : [];
  if (sameTypeAndId.length === 0) return { findings: [notFound('')] };
  const found = sameTypeAndId.map((entry) => stringOf(entry.fullUrl) ?? '(no fullUrl)').join(', ');
  const detail =
    absolute === undefined
      ? `. Found ${found}, but it does not match: the source fullUrl '${fullUrl ?? '(none)'}' gives no base for a relative reference`
      : `. There ${sameTypeAndId.length === 1 ? 'is a resource' : `are ${sameTypeAndId.length} resources`} with the same type and id, but the fullUrl rules make the reference '${absolute}', and found ${found}`;
  // An entry that matches only by type and id is an error whatever the check.
  return { findings: [{ id: 'REF_NOT_FOUND_IN_BUNDLE', args: { reference, name, detail } }] };
}
