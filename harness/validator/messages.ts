/**
 * Every message the validator can emit. The id is the contract (suppressions and baselines key on it);
 * the text is presentation. Ids are AREA_SUBJECT_PROBLEM over a closed list of areas. Never rename an
 * id: deprecate it. Invariant failures use `<profile url>#<key>` instead of an id from this table.
 */
export type Severity = 'fatal' | 'error' | 'warning' | 'information';

/** The FHIR issue-type codes the validator uses. */
export type IssueCode =
  | 'structure'
  | 'required'
  | 'value'
  | 'invariant'
  | 'code-invalid'
  | 'extension'
  | 'not-found'
  | 'processing'
  | 'invalid'
  | 'informational'
  | 'business-rule'
  | 'too-costly'
  | 'forbidden'
  | 'not-supported'
  | 'exception';

import { BUNDLE_MESSAGES } from './bundle-messages.js';
import { NARRATIVE_MESSAGES } from './narrative-messages.js';
import { TERMINOLOGY_RESOURCE_MESSAGES } from './terminology-resource-messages.js';

interface MessageDefinition {
  severity: Severity;
  code: IssueCode;
  template: string;
}

/** `{name}` placeholders are filled from the issue's args. */
export const MESSAGES = {
  ...TERMINOLOGY_RESOURCE_MESSAGES,
  ...NARRATIVE_MESSAGES,
  ...BUNDLE_MESSAGES,
  STRUCT_JSON_SYNTAX: {
    severity: 'fatal',
    code: 'structure',
    template: 'The JSON is not well formed: {detail}',
  },
  STRUCT_XML_SYNTAX: {
    severity: 'fatal',
    code: 'structure',
    template: 'The XML is not FHIR XML that can be read: {detail}',
  },
  STRUCT_JSON_NOT_OBJECT: {
    severity: 'fatal',
    code: 'structure',
    template: 'A resource must be a JSON object, not {found}',
  },
  STRUCT_JSON_TOO_DEEP: {
    severity: 'fatal',
    code: 'structure',
    template: 'The JSON is nested deeper than {max} levels',
  },
  STRUCT_DUPLICATE_PROPERTY: {
    severity: 'error',
    code: 'structure',
    template: "The property '{name}' appears more than once",
  },
  STRUCT_RESOURCE_TYPE_MISSING: {
    severity: 'fatal',
    code: 'structure',
    template: 'The resource has no resourceType property',
  },
  STRUCT_RESOURCE_TYPE_UNKNOWN: {
    severity: 'fatal',
    code: 'structure',
    template: "'{type}' is not a FHIR R4 resource type",
  },
  STRUCT_UNKNOWN_PROPERTY: {
    severity: 'error',
    code: 'structure',
    template: "Unrecognized property '{name}'",
  },
  STRUCT_NULL: {
    severity: 'error',
    code: 'structure',
    template: "The property '{name}' is null; omit it instead",
  },
  STRUCT_EMPTY_OBJECT: {
    severity: 'error',
    code: 'structure',
    template: "The property '{name}' is an empty object; omit it instead",
  },
  STRUCT_EMPTY_ARRAY: {
    severity: 'error',
    code: 'structure',
    template: "The property '{name}' is an empty array; omit it instead",
  },
  STRUCT_ARRAY_NOT_ALLOWED: {
    severity: 'error',
    code: 'structure',
    template: "The property '{name}' must be a single value, not an array",
  },
  STRUCT_ARRAY_REQUIRED: {
    severity: 'error',
    code: 'structure',
    template: "The property '{name}' must be an array",
  },
  STRUCT_OBJECT_EXPECTED: {
    severity: 'error',
    code: 'structure',
    template: "The property '{name}' must be a JSON object (a {type}), not {found}",
  },
  STRUCT_PRIMITIVE_EXPECTED: {
    severity: 'error',
    code: 'structure',
    template: "The property '{name}' must be a primitive {type} value, not {found}",
  },
  STRUCT_PRIMITIVE_EXTENSION_MISALIGNED: {
    severity: 'error',
    code: 'structure',
    template: "'_{name}' must be aligned with '{name}': {detail}",
  },
  STRUCT_ELEMENT_EMPTY: {
    severity: 'error',
    code: 'invariant',
    template: 'An element must have a value or children (ele-1)',
  },
  STRUCT_RESOURCE_ID_INVALID: {
    severity: 'error',
    code: 'invalid',
    template: 'Invalid Resource id: {detail}',
  },
  STRUCT_CONTAINED_NESTED: {
    severity: 'error',
    code: 'invariant',
    template: 'A contained resource cannot contain other resources (dom-2)',
  },
  STRUCT_CONTAINED_META: {
    severity: 'error',
    code: 'invariant',
    template: 'A contained resource cannot have meta.versionId or meta.lastUpdated (dom-4)',
  },
  STRUCT_CONTAINED_SECURITY: {
    severity: 'error',
    code: 'invariant',
    template: 'A contained resource cannot have security labels (dom-5)',
  },
  STRUCT_CONTAINED_NOT_REFERENCED: {
    severity: 'error',
    code: 'invariant',
    template: "The contained resource '{id}' is not referenced from elsewhere in the resource (dom-3)",
  },
  STRUCT_PROFILE_UNKNOWN: {
    severity: 'warning',
    code: 'not-found',
    template: "The profile '{profile}' could not be found, so it was not checked",
  },
  STRUCT_TYPE_PROFILE_UNKNOWN: {
    severity: 'error',
    code: 'structure',
    template: 'Unknown profile {profile}: the definition names it for this element, and it cannot be found',
  },
  STRUCT_RESOURCE_PROFILE_UNKNOWN: {
    severity: 'error',
    code: 'invalid',
    template:
      'The profile {profile} the definition names for this {context} resource ({type}) cannot be found, so the resource was checked against its base type only',
  },
  STRUCT_PROFILE_WRONG_TYPE: {
    severity: 'error',
    code: 'structure',
    template: "The profile '{profile}' is for {profileType}, not for {type}",
  },
  STRUCT_CHOICE_TYPE_NOT_ALLOWED: {
    severity: 'error',
    code: 'structure',
    template: 'The profile definition allows for the type {allowed} but found type {type}',
  },
  STRUCT_DEFINITION_PROBLEM: {
    severity: 'warning',
    code: 'processing',
    template: 'The definition {url} has a problem, so part of it was not applied: {detail}',
  },
  STRUCT_TYPE_NOT_ALLOWED: {
    severity: 'error',
    code: 'structure',
    template: "The type '{type}' is not allowed here; allowed: {allowed}",
  },
  STRUCT_VALIDATOR_FAULT: {
    severity: 'fatal',
    code: 'exception',
    template: 'The resource could not be validated: {detail}',
  },
  STRUCT_TOO_MANY_ISSUES: {
    severity: 'information',
    code: 'too-costly',
    template: 'More than {max} issues were found; the rest are not reported',
  },
  STRUCT_DEFINITION_BROKEN: {
    severity: 'error',
    code: 'processing',
    template: 'The definition {url} cannot be used: {detail}',
  },

  CARD_MIN_NOT_MET: {
    severity: 'error',
    code: 'required',
    template: "'{element}': minimum required = {min}, but only found {count}",
  },
  CARD_MAX_EXCEEDED: {
    severity: 'error',
    code: 'structure',
    template: "'{element}': max allowed = {max}, but found {count}",
  },
  CARD_CHOICE_MULTIPLE: {
    severity: 'error',
    code: 'structure',
    template: 'Only one of {names} is allowed, found {count}',
  },

  TYPE_JSON_WRONG: { severity: 'error', code: 'structure', template: '{detail}' },
  TYPE_VALUE_INVALID: { severity: 'error', code: 'value', template: '{detail}' },
  TYPE_VALUE_WHITESPACE: { severity: 'warning', code: 'value', template: '{detail}' },
  TYPE_ATTACHMENT_SIZE: {
    severity: 'error',
    code: 'structure',
    template: 'Stated Attachment Size {stated} does not match actual attachment size {actual}',
  },
  TYPE_VALUE_TOO_LONG: {
    severity: 'error',
    code: 'value',
    template: 'The value is {length} characters long; the maximum is {max}',
  },
  TYPE_VALUE_BELOW_MIN: {
    severity: 'error',
    code: 'value',
    template: 'The value {value} is below the minimum {min}',
  },
  TYPE_VALUE_ABOVE_MAX: {
    severity: 'error',
    code: 'value',
    template: 'The value {value} is above the maximum {max}',
  },
  TYPE_CANONICAL_NOT_ABSOLUTE: {
    severity: 'error',
    code: 'invalid',
    template: "Canonical URLs must be absolute URLs ('{url}'), {detail}",
  },
  TYPE_QUANTITY_LIMIT_NOT_COMPARED: {
    severity: 'warning',
    code: 'invalid',
    template: 'The quantity cannot be compared with its {bound} {limit}: {detail}',
  },
  TYPE_QUANTITY_LIMIT_INVALID: {
    severity: 'error',
    code: 'invalid',
    template: 'The quantity cannot meet its {bound} {limit}: {detail}',
  },

  FIXED_VALUE_MISMATCH: {
    severity: 'error',
    code: 'value',
    template: 'Value is {actual} but is fixed to {expected} in the profile',
  },
  FIXED_ELEMENT_NOT_ALLOWED: {
    severity: 'error',
    code: 'value',
    template:
      'The element {name} is present in the instance but not allowed in the applicable fixed value specified in profile',
  },
  FIXED_ELEMENT_MISSING: {
    severity: 'error',
    code: 'value',
    template: "Missing element '{name}' - required by the fixed value assigned in profile",
  },
  FIXED_PATTERN_MISMATCH: {
    severity: 'error',
    code: 'value',
    template: 'The value must match the pattern {expected}: {detail}',
  },

  SLICE_NO_MATCH: {
    severity: 'error',
    code: 'structure',
    template: "This element does not match any known slice of '{element}' (slicing is closed){detail}",
  },
  SLICE_NO_MATCH_OPEN: {
    severity: 'information',
    code: 'informational',
    template: "This element does not match any known slice of '{element}'{detail}",
  },
  SLICE_MATCH_MULTIPLE: {
    severity: 'error',
    code: 'invalid',
    template: "The element matches more than one slice of {element}: '{first}' and '{second}'",
  },
  SLICE_ORDER: {
    severity: 'error',
    code: 'structure',
    template:
      "The element matches slice '{slice}' but comes after slice '{previous}'; the slices of '{element}' are ordered",
  },
  SLICE_OPEN_AT_END: {
    severity: 'error',
    code: 'structure',
    template: "Slicing of '{element}' is open at the end only: unmatched elements must come after the slices",
  },
  SLICE_DISCRIMINATOR_UNSUPPORTED: {
    severity: 'warning',
    code: 'not-supported',
    template: "The discriminator {type} at '{path}' of '{element}' cannot be evaluated: {detail}",
  },

  BIND_REQUIRED_NOT_IN_VS: {
    severity: 'error',
    code: 'code-invalid',
    template: 'The code {code} is not in the value set {valueSet} (required binding){detail}',
  },
  BIND_EXTENSIBLE_NOT_IN_VS: {
    severity: 'warning',
    code: 'code-invalid',
    template: 'The code {code} is not in the value set {valueSet} (extensible binding){detail}',
  },
  BIND_NO_CODE: {
    severity: 'error',
    code: 'code-invalid',
    template: 'No code provided, and a code from the value set {valueSet} is required',
  },
  TX_CODE_UNKNOWN: {
    severity: 'error',
    code: 'code-invalid',
    template: "Unknown code '{code}' in the code system {system}",
  },
  TX_DISPLAY_WRONG: {
    severity: 'warning',
    code: 'code-invalid',
    template: "Wrong display '{display}' for {system}#{code}; valid: {valid}",
  },
  TX_SYSTEM_UNKNOWN: {
    severity: 'warning',
    code: 'not-found',
    template: "A definition for CodeSystem '{system}' could not be found, so the code cannot be validated",
  },
  TX_SYSTEM_SUPPLEMENT: {
    severity: 'error',
    code: 'invalid',
    template:
      "CodeSystem {system} is a supplement, so can't be used as a value in Coding.system: name the code system it supplements",
  },
  TX_SYSTEM_UNDETERMINED: {
    severity: 'error',
    code: 'code-invalid',
    template: "The System URI could not be determined for the code '{code}' in the ValueSet '{valueSet}'",
  },
  TX_NOT_CHECKED: {
    severity: 'information',
    code: 'informational',
    template: 'Codes from {system} were not checked: {detail}',
  },
  TX_VALUE_SET_UNKNOWN: {
    severity: 'warning',
    code: 'not-found',
    template: 'The value set {valueSet} could not be used, so the code was not checked: {detail}',
  },

  INV_EVALUATION_FAILED: {
    severity: 'warning',
    code: 'processing',
    template: 'The invariant {key} could not be evaluated: {detail}',
  },

  EXT_UNKNOWN: { severity: 'warning', code: 'extension', template: 'Unknown extension {url}' },
  EXT_MODIFIER_UNKNOWN: {
    severity: 'error',
    code: 'extension',
    template: 'Unknown modifier extension {url}',
  },
  EXT_VALUE_AND_CHILDREN: {
    severity: 'error',
    code: 'invariant',
    template: 'An extension must have either extensions or a value[x], not both (ext-1)',
  },
  EXT_URL_VERSIONED: {
    severity: 'error',
    code: 'structure',
    template: 'The extension URL must not contain a version: {url}',
  },
  EXT_URL_MISSING: { severity: 'error', code: 'structure', template: 'An extension must have a url' },
  EXT_CONTEXT_WRONG: {
    severity: 'error',
    code: 'structure',
    template: 'The extension {url} is not allowed at {path}; allowed contexts: {contexts}',
  },
  EXT_CONTEXT_INVARIANT: {
    severity: 'error',
    code: 'structure',
    template: "The extension {url} must not be used here: its context invariant '{invariant}' does not hold",
  },
  EXT_MODIFIER_MISMATCH: { severity: 'error', code: 'structure', template: 'The extension {url} {detail}' },

  REF_FORMAT_INVALID: {
    severity: 'error',
    code: 'invalid',
    template: "The reference '{reference}' is not a valid reference",
  },
  REF_TYPE_WRONG: {
    severity: 'error',
    code: 'structure',
    template: 'The reference points to a {type}, which is not allowed here; allowed: {allowed}',
  },
  REF_NOT_FOUND_IN_BUNDLE: {
    severity: 'error',
    code: 'not-found',
    template: "Can't find '{reference}' in the bundle ({name}){detail}",
  },
  REF_NOT_HELD: {
    severity: 'error',
    code: 'required',
    template:
      'Bundled or contained reference not found within the bundle/resource {reference} (aggregation: {modes})',
  },
  REF_AGGREGATION: {
    severity: 'error',
    code: 'structure',
    template:
      "Reference is {destination} which isn't supported by the specified aggregation mode(s) for the reference ({modes})",
  },
  REF_BUNDLE_NO_FULLURL: {
    severity: 'error',
    code: 'required',
    template: "The relative reference '{reference}' is in an entry without fullUrl, so it cannot be resolved",
  },
  REF_BUNDLE_MULTIPLE_MATCHES: {
    severity: 'error',
    code: 'forbidden',
    template: 'Multiple matches in bundle for reference {reference}',
  },
  REF_BUNDLE_RESOURCE_TYPE: {
    severity: 'error',
    code: 'required',
    template: "The entry matching the reference '{reference}' holds a {type}",
  },
  REF_BUNDLE_URN_NOT_LOCAL: {
    severity: 'warning',
    code: 'required',
    template: 'URN reference is not locally contained within the bundle {reference}',
  },
  REF_BUNDLE_POSSIBLE_MATCHES: {
    severity: 'warning',
    code: 'required',
    template:
      'The bundle contains no match for {target} by the rules of Bundle reference resolution, but it has multiple resources that match {reference} by resource type and id',
  },
  REF_BUNDLE_POSSIBLE_MATCH: {
    severity: 'warning',
    code: 'required',
    template:
      'Entry {index} matches the reference {reference} by type and id but its fullUrl {fullUrl} does not match the full target URL {target} by Bundle resolution rules',
  },

  REF_CONTAINED_NOT_FOUND: {
    severity: 'error',
    code: 'not-found',
    template: "The reference '{reference}' does not match any contained resource",
  },
  REF_TARGET_PROFILE: {
    severity: 'error',
    code: 'structure',
    template: "The resource '{reference}' points to does not conform to {profiles}",
  },
  REF_NO_DISPLAY: {
    severity: 'warning',
    code: 'structure',
    template: 'A Reference without an actual reference or identifier should have a display',
  },
  REF_INVALID: {
    severity: 'error',
    code: 'invalid',
    template: "The reference '{reference}' is not a valid reference: it has white space in it",
  },
  REF_TYPE_NOT_TARGET: {
    severity: 'error',
    code: 'structure',
    template: "The type '{type}' is not a valid target for this element (must be one of {allowed})",
  },
  REF_TYPE_MISMATCH: {
    severity: 'error',
    code: 'structure',
    template: "The reference type '{declared}' does not match the resource it points to, a {actual}",
  },
} as const satisfies Record<string, MessageDefinition>;

export type MessageId = keyof typeof MESSAGES;

export function formatMessage(id: MessageId, args: Readonly<Record<string, string | number>>): string {
  return MESSAGES[id].template.replace(/\{(\w+)\}/g, (_, name: string) => String(args[name] ?? `{${name}}`));
}
