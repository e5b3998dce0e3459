/**
 * The messages of the CodeSystem, ValueSet and ConceptMap checks (terminology-resource-rules.ts,
 * concept-map-rules.ts), kept apart from
 * messages.ts so that table stays readable; messages.ts spreads them into MESSAGES, which checks their
 * shape.
 */
export const TERMINOLOGY_RESOURCE_MESSAGES = {
  TX_CS_SUPPLEMENT_CONTENT: {
    severity: 'error',
    code: 'business-rule',
    template: "CodeSystem Supplements SHALL have a content value of 'supplement'",
  },
  TX_CS_SUPPLEMENT_MISSING: {
    severity: 'error',
    code: 'business-rule',
    template:
      "A CodeSystem with content 'supplement' must say which code system it supplements (supplements)",
  },
  TX_CS_SUPPLEMENT_WITHOUT_BASE: {
    severity: 'error',
    code: 'business-rule',
    template:
      "The content is 'supplement', but the CodeSystem does not say what it supplements, so it cannot be a supplement",
  },
  TX_CS_SUPPLEMENT_ELEMENT: {
    severity: 'error',
    code: 'business-rule',
    template: 'A CodeSystem supplement must not have {name}: it belongs to the code system it supplements',
  },
  TX_CS_SUPPLEMENT_CODE: {
    severity: 'error',
    code: 'business-rule',
    template:
      "The code '{code}' is not declared in the base CodeSystem {system} so is not valid in the supplement",
  },
  TX_CS_SUPPLEMENT_UNCHECKED: {
    severity: 'warning',
    code: 'business-rule',
    template:
      'The supplemented code system {system} is not available, so the concepts of the supplement cannot be checked',
  },
  TX_CS_ELEMENT_MISSING: {
    severity: 'warning',
    code: 'business-rule',
    template:
      'CodeSystems SHOULD have a stated value for the {name} element so that users know the status and meaning of the code system clearly',
  },
  TX_CS_COMPLETE_EMPTY: {
    severity: 'warning',
    code: 'business-rule',
    template:
      "When a CodeSystem has content = 'complete', it doesn't make sense for there to be no concepts defined",
  },
  TX_CS_COUNT: {
    severity: 'error',
    code: 'invalid',
    template:
      'The code system has {count} concepts, which does not agree with the stated total number ({stated})',
  },
  TX_CS_CONCEPTS_NOT_PRESENT: {
    severity: 'error',
    code: 'invalid',
    template: 'The code system says it has no content present, but concepts are found',
  },
  TX_CS_PROPERTY_URI: {
    severity: 'error',
    code: 'business-rule',
    template: "The property uri '{uri}' must be an absolute URI",
  },
  TX_CS_PROPERTY_DUPLICATE: {
    severity: 'error',
    code: 'business-rule',
    template: "The property {what} '{value}' is declared more than once",
  },
  TX_CS_DUPLICATE_CODE: {
    severity: 'error',
    code: 'business-rule',
    template: "The code '{code}' is defined more than once in the code system",
  },
  TX_CS_CONCEPT_PROPERTY_UNDEFINED: {
    severity: 'error',
    code: 'business-rule',
    template: "The property '{code}' is not declared by the code system (CodeSystem.property)",
  },
  TX_CS_CONCEPT_PROPERTY_VALUE: {
    severity: 'error',
    code: 'business-rule',
    template: "The property '{code}' of the concept is wrong: {detail}",
  },
  TX_CS_CONCEPT_NO_DISPLAY: {
    severity: 'warning',
    code: 'business-rule',
    template:
      "HL7 Defined CodeSystems should ensure that every concept has a display (the first without is '{code}')",
  },
  TX_CS_CONCEPT_NO_DEFINITION: {
    severity: 'warning',
    code: 'business-rule',
    template: 'HL7 Defined CodeSystems should ensure that every concept has a definition',
  },
  TX_VS_SYSTEM_VERSIONED: {
    severity: 'error',
    code: 'business-rule',
    template: "The system '{system}' carries a version; {detail}",
  },
  TX_VS_SYSTEM_NOT_ABSOLUTE: {
    severity: 'error',
    code: 'invalid',
    template:
      "URI values in ValueSet.compose.include.system must be absolute ('{system}'). To reference a contained code system, use its full url",
  },
  TX_VS_CONTAINED_SYSTEM: {
    severity: 'error',
    code: 'invalid',
    template: "The system '{system}' names no contained CodeSystem: {detail}",
  },
  TX_VS_IMPORT_UNKNOWN: {
    severity: 'warning',
    code: 'business-rule',
    template: "The value set '{valueSet}' this one imports is not known, so it cannot be checked",
  },
  TX_VS_SYSTEM_CONTENT: {
    severity: 'error',
    code: 'invalid',
    template: 'The code system {system} has content {content}: {detail}',
  },
  TX_VS_CONCEPT_UNKNOWN: {
    severity: 'error',
    code: 'business-rule',
    template: "The code '{code}' is not valid in the system {system}",
  },
  TX_VS_FILTER_PROPERTY_UNKNOWN: {
    severity: 'warning',
    code: 'invalid',
    template:
      "The property '{property}' is not known for the system '{system}', so may not be understood by the terminology ecosystem. Known properties for this system: {known}",
  },
  TX_VS_FILTER_OP: {
    severity: 'error',
    code: 'invalid',
    template:
      "The operation '{op}' is not allowed for property '{property}' in system '{system}'. Allowed ops: {allowed}",
  },
  TX_VS_FILTER_VALUE: {
    severity: 'error',
    code: 'invalid',
    template:
      "The value for a filter based on property '{property}' is '{value}', which is not valid: {detail}",
  },
  TX_CM_SCOPE_NOT_A_VALUE_SET: {
    severity: 'error',
    code: 'invalid',
    template: 'The scope of a ConceptMap must be a ValueSet, but this names a {type}',
  },
  TX_CM_GROUP_SYSTEM_MISSING: {
    severity: 'warning',
    code: 'required',
    template: 'No {lower} code system is named, so the {lower} codes cannot be checked',
  },
  TX_CM_GROUP_SYSTEM_UNKNOWN: {
    severity: 'warning',
    code: 'not-found',
    template:
      'The {lower} code system {system} is not one this validator holds, and no {lower} scope is given, so the {lower} codes are not checked',
  },
  TX_CM_GROUP_SYSTEM_INCOMPLETE: {
    severity: 'warning',
    code: 'not-found',
    template:
      '{side} code system {system} does not hold all its codes (content = {content}), so the {lower} codes cannot be checked',
  },
  TX_CM_GROUP_SYSTEM_SERVER_SIDE: {
    severity: 'information',
    code: 'business-rule',
    template:
      '{side} code system {system} is only held by a terminology server, so the {lower} codes are not checked here',
  },
  TX_CM_CODE_INVALID: {
    severity: 'error',
    code: 'required',
    template: "The {side} code '{code}' is not defined in the code system {system}",
  },
  TX_CM_DISPLAY_INVALID: {
    severity: 'warning',
    code: 'required',
    template:
      "The {side} display '{display}' for the code '{code}' is not one the code system gives: {displays}",
  },
  TX_CM_CODE_NOT_IN_VALUE_SET: {
    severity: 'error',
    code: 'required',
    template: "The {side} code '{code}' is not in the value set {valueSet}",
  },
  TX_CM_MAPPING_DUPLICATE: {
    severity: 'warning',
    code: 'business-rule',
    template: "The code '{source}' is already mapped to '{target}' in this group: {detail}",
  },
} as const;
