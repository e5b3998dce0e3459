/**
 * What a Subscription's `criteria` selects, in the two flavours the server speaks.
 *
 * - R4 (subscription.html): `Type?query`, a FHIR search; a written resource matches when the server's own
 *   search with the same parameters and its `_id` finds it.
 * - openIMIS: the path names the resource (or `resourceType=` does), on insurees (Patient), health
 *   facilities (Organization) and invoices (Invoice) only; every other query parameter is a Django field
 *   lookup (`chfid__startswith=0707`). The fields the backend's FHIR module exposes that this server can
 *   read from a resource are taken: `chfid` and `code` (the Code identifier), `last_name` and
 *   `other_names` (Patient's name), `uuid` (the id); lookups exact, iexact, startswith, istartswith,
 *   contains, icontains. Anything else refuses the Subscription, naming it.
 */
import { objectsOf, stringOf, type JsonObject } from '../../json.js';
import { identifierValue } from '../../openimis/payloads.js';

export type Flavour = 'r4' | 'openimis';

export type Criteria =
  | { flavour: 'r4'; type: string; params: [string, string][] }
  | { flavour: 'openimis'; type: string; test: (resource: JsonObject) => boolean };

/** openIMIS's resource names, as criteria give them, and the FHIR type each one is. */
const OPENIMIS_RESOURCES: Record<string, string> = {
  patient: 'Patient',
  insuree: 'Patient',
  organization: 'Organization',
  organisation: 'Organization',
  invoice: 'Invoice',
};

const FIELDS: Record<string, (resource: JsonObject) => string[]> = {
  chfid: (resource) => [identifierValue(resource, 'Code')].filter((v): v is string => v !== undefined),
  code: (resource) => [identifierValue(resource, 'Code')].filter((v): v is string => v !== undefined),
  uuid: (resource) => [stringOf(resource.id)].filter((v): v is string => v !== undefined),
  last_name: (resource) =>
    objectsOf(resource.name)
      .map((name) => stringOf(name.family))
      .filter((v): v is string => v !== undefined),
  other_names: (resource) =>
    objectsOf(resource.name).flatMap((name) =>
      Array.isArray(name.given) ? name.given.filter((g): g is string => typeof g === 'string') : [],
    ),
};

const LOOKUPS: Record<string, (value: string, wanted: string) => boolean> = {
  exact: (value, wanted) => value === wanted,
  iexact: (value, wanted) => value.toLowerCase() === wanted.toLowerCase(),
  startswith: (value, wanted) => value.startsWith(wanted),
  istartswith: (value, wanted) => value.toLowerCase().startsWith(wanted.toLowerCase()),
  contains: (value, wanted) => value.includes(wanted),
  icontains: (value, wanted) => value.toLowerCase().includes(wanted.toLowerCase()),
};

/** The criteria read, or why they cannot be. */
export function parseCriteria(
  criteria: string,
  flavour: Flavour,
  isResourceType: (name: string) => boolean,
): Criteria | { error: string } {
  const [path = '', query = ''] = criteria.trim().split('?', 2);
  const params = [...new URLSearchParams(query).entries()];
  if (flavour === 'r4') {
    const type = path.replace(/^\/+|\/+$/g, '');
    if (!isResourceType(type)) return { error: `criteria '${criteria}' does not start with a resource type` };
    return { flavour, type, params };
  }
  const named = params.find(([name]) => name === 'resourceType')?.[1] ?? path.replace(/^\/+|\/+$/g, '');
  const type = OPENIMIS_RESOURCES[named.toLowerCase()];
  if (!type)
    return {
      error: `criteria '${criteria}' names no resource openIMIS notifies on (Patient, Organization or Invoice)`,
    };
  const tests: ((resource: JsonObject) => boolean)[] = [];
  for (const [name, wanted] of params) {
    if (name === 'resourceType') continue;
    const [field = '', lookup = 'exact'] = name.split('__', 2);
    const read = Object.hasOwn(FIELDS, field) ? FIELDS[field] : undefined;
    const compare = Object.hasOwn(LOOKUPS, lookup) ? LOOKUPS[lookup] : undefined;
    if (!read || !compare) return { error: `criteria lookup '${name}' is not one this server evaluates` };
    tests.push((resource) => read(resource).some((value) => compare(value, wanted)));
  }
  return { flavour, type, test: (resource) => tests.every((test) => test(resource)) };
}
