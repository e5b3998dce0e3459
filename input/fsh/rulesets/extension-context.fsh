// Adds one element context to an extension definition. Use one insert per context:
//   * insert ExtensionContext(Patient)
//   * insert ExtensionContext(Claim.item)
// The path must be a FHIR element path (resource or data type), never a profile name.
RuleSet: ExtensionContext(path)
* ^context[+].type = #element
* ^context[=].expression = "{path}"
