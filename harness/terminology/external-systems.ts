/**
 * Code systems the validator never holds as CodeSystem resources: too big (SNOMED CT, LOINC, RxNorm),
 * licensed (CPT), or defined by grammar rather than by enumeration (language tags, mime types, UCUM).
 *
 * For the grammar-defined ones with a simple syntax we check the syntax and accept: that catches typos
 * without a registry. For the rest, a code cannot be checked, and the caller says so once.
 */

export type ExternalSystem =
  | { kind: 'syntax'; name: string; check: (code: string) => string | undefined }
  | { kind: 'unavailable'; name: string };

// RFC 5646 language tag, simplified to its syntax (no subtag registry): language[-script][-region]
// [-variant]*[-extension]*[-privateuse], or private use alone, or one of the grandfathered irregular tags.
const BCP47 = new RegExp(
  '^(?:' +
    '(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4,8})' +
    '(?:-[A-Za-z]{4})?' +
    '(?:-(?:[A-Za-z]{2}|[0-9]{3}))?' +
    '(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*' +
    '(?:-[0-9A-WY-Za-wy-z](?:-[A-Za-z0-9]{2,8})+)*' +
    '(?:-[Xx](?:-[A-Za-z0-9]{1,8})+)?' +
    '|[Xx](?:-[A-Za-z0-9]{1,8})+' +
    '|[Ii]-(?:ami|bnn|default|enochian|hak|klingon|lux|mingo|navajo|pwn|tao|tay|tsu)' +
    '|(?:en-GB-oed|sgn-BE-FR|sgn-BE-NL|sgn-CH-DE)' +
    ')$',
);

// RFC 6838 media type `type/subtype`, with optional `; name=value` parameters (RFC 2045).
const RESTRICTED_NAME = '[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}';
const MIME_TYPE = new RegExp(
  `^${RESTRICTED_NAME}/${RESTRICTED_NAME}(?:\\s*;\\s*[A-Za-z0-9!#$&^_.+-]+=(?:[^\\s;"]+|"[^"]*"))*$`,
);

function checkLanguageTag(code: string): string | undefined {
  return BCP47.test(code) ? undefined : `'${code}' is not a valid BCP-47 language tag`;
}

/** FHIR lets `xml`, `json` and `ttl` stand for its own formats wherever a mime type is bound (CapabilityStatement.format). */
const FHIR_FORMAT_SHORTHANDS = new Set(['xml', 'json', 'ttl']);

function checkMimeType(code: string): string | undefined {
  if (FHIR_FORMAT_SHORTHANDS.has(code)) return undefined;
  return MIME_TYPE.test(code) ? undefined : `'${code}' is not a valid mime type (expected type/subtype)`;
}

const EXACT: Record<string, ExternalSystem> = {
  'urn:ietf:bcp:47': { kind: 'syntax', name: 'BCP-47 language tags', check: checkLanguageTag },
  'urn:ietf:bcp:13': { kind: 'syntax', name: 'BCP-13 mime types', check: checkMimeType },
  'http://snomed.info/sct': { kind: 'unavailable', name: 'SNOMED CT' },
  'http://loinc.org': { kind: 'unavailable', name: 'LOINC' },
  'http://unitsofmeasure.org': { kind: 'unavailable', name: 'UCUM' },
  'http://www.nlm.nih.gov/research/umls/rxnorm': { kind: 'unavailable', name: 'RxNorm' },
  'urn:iso:std:iso:4217': { kind: 'unavailable', name: 'ISO 4217 currencies' },
  'urn:iso:std:iso:3166': { kind: 'unavailable', name: 'ISO 3166 countries' },
  'urn:iso:std:iso:3166:-2': { kind: 'unavailable', name: 'ISO 3166-2 subdivisions' },
  'http://www.ama-assn.org/go/cpt': { kind: 'unavailable', name: 'CPT' },
  'http://hl7.org/fhir/sid/ndc': { kind: 'unavailable', name: 'NDC' },
  'http://hl7.org/fhir/sid/cvx': { kind: 'unavailable', name: 'CVX' },
  'http://www.whocc.no/atc': { kind: 'unavailable', name: 'ATC' },
  'urn:oid:2.16.840.1.113883.6.238': { kind: 'unavailable', name: 'CDC Race & Ethnicity' },
  'http://unstats.un.org/unsd/methods/m49/m49.htm': { kind: 'unavailable', name: 'UN M49 regions' },
};

/** The ICD families share a prefix (icd-10, icd-10-cm, icd-9-cm...). */
const PREFIXES: [string, string][] = [['http://hl7.org/fhir/sid/icd-', 'ICD']];

/** The external system for a system URL (without version), or undefined for an ordinary one. */
export function externalSystem(system: string): ExternalSystem | undefined {
  const exact = EXACT[system];
  if (exact) return exact;
  for (const [prefix, name] of PREFIXES) {
    if (system.startsWith(prefix)) return { kind: 'unavailable', name };
  }
  return undefined;
}
