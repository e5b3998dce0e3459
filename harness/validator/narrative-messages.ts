/**
 * The messages of the narrative checks (narrative-rules.ts): the XHTML of Narrative.div, its elements,
 * attributes and structure, and the links and images it points at inside the resource. messages.ts
 * spreads them into MESSAGES, which checks their shape.
 */
export const NARRATIVE_MESSAGES = {
  TYPE_XHTML_ENTITY: {
    severity: 'error',
    code: 'value',
    template: "Invalid entity in the XHTML ('{entity}')",
  },
  TYPE_NARRATIVE_EMPTY: {
    severity: 'error',
    code: 'invariant',
    template: 'The narrative SHALL have some non-whitespace content (txt-2)',
  },
  TYPE_XHTML_NAMESPACE: {
    severity: 'error',
    code: 'invalid',
    template: "Wrong namespace on the XHTML ('{found}', should be '{expected}')",
  },
  TYPE_XHTML_ELEMENT_ILLEGAL: {
    severity: 'error',
    code: 'invalid',
    template: "Invalid element name in the XHTML ('{name}')",
  },
  TYPE_XHTML_ATTRIBUTE_ILLEGAL: {
    severity: 'error',
    code: 'invalid',
    template: "Invalid attribute name in the XHTML ('{attribute}' on '{element}')",
  },
  TYPE_XHTML_XML_SPACE: {
    severity: 'information',
    code: 'invalid',
    template:
      "The attribute 'xml:space' on '{element}' is legal but its value is fixed to 'preserve'; better left out",
  },
  TYPE_XHTML_BLOCK_IN_PARAGRAPH: {
    severity: 'error',
    code: 'invalid',
    template: "Invalid element name inside a paragraph in the XHTML ('{name}')",
  },
  TYPE_XHTML_BLOCK_IN_TEXT: {
    severity: 'error',
    code: 'structure',
    template: 'Found block structures inside a paragraph/text element {name} at {path}: {found}',
  },
  TYPE_XHTML_NESTED: {
    severity: 'error',
    code: 'structure',
    template: 'Elements of type {name} at {path} cannot contain nested {name} at {found}',
  },
  TYPE_XHTML_NO_CHILDREN: {
    severity: 'error',
    code: 'structure',
    template: 'Elements of type {name} cannot have children (at {path})',
  },
  TYPE_XHTML_OUT_OF_PLACE: {
    severity: 'error',
    code: 'structure',
    template: 'Elements of type {name} must be in a {allowed}, not a {parent} at {path}',
  },
  TYPE_XHTML_CHILDREN_ILLEGAL: {
    severity: 'error',
    code: 'structure',
    template: 'Elements of type {name} at {path} cannot have the following children: {found}',
  },
  TYPE_XHTML_MIXED_LANGUAGES: {
    severity: 'warning',
    code: 'business-rule',
    template:
      'The xhtml has some language sections ({languages}), and also has content that is not in a language section',
  },
  TYPE_XHTML_DUPLICATE_IDS: {
    severity: 'warning',
    code: 'business-rule',
    template: 'The XHTML has more than one node for each of these ids and anchor names: {ids}',
  },
  TYPE_XHTML_URL_INVALID: {
    severity: 'error',
    code: 'invalid',
    template: "The URL is not valid because '({detail})': {url}",
  },
  TYPE_XHTML_LINK_EMPTY: {
    severity: 'error',
    code: 'invalid',
    template: "Hyperlink at '{path}' for '{text}' is empty",
  },
  TYPE_XHTML_LINK_ACTIVE: {
    severity: 'error',
    code: 'invalid',
    template:
      "Hyperlink scheme '{scheme}' in '{href}' at '{path}' for '{text}' has active content, which is a security risk and not allowed",
  },
  TYPE_XHTML_LINK_NOT_LINKABLE: {
    severity: 'error',
    code: 'invalid',
    template:
      "Hyperlink scheme '{scheme}' in '{href}' at '{path}' for '{text}' is not a valid hyperlinkable scheme",
  },
  TYPE_XHTML_LINK_UNCOMMON_SCHEME: {
    severity: 'information',
    code: 'invalid',
    template:
      "Hyperlink scheme '{scheme}' in '{href}' at '{path}' for '{text}' is not a widely supported protocol and should be checked",
  },
  TYPE_XHTML_LINK_UNRESOLVED: {
    severity: 'error',
    code: 'invalid',
    template: "Hyperlink '{href}' at '{path}' for '{text}' does not resolve",
  },
  TYPE_XHTML_LINK_AMBIGUOUS: {
    severity: 'warning',
    code: 'invalid',
    template: "Hyperlink '{href}' at '{path}' for '{text}' resolves to multiple targets ({targets})",
  },
  TYPE_XHTML_IMAGE_UNRESOLVED: {
    severity: 'error',
    code: 'invalid',
    template: "Image source '{src}' at '{path}' does not resolve",
  },
  TYPE_XHTML_IMAGE_AMBIGUOUS: {
    severity: 'error',
    code: 'invalid',
    template: "Image source '{src}' at '{path}' resolves to {count} targets",
  },
} as const;
