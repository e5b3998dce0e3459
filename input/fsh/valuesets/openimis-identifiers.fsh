ValueSet: OpenimisIdentifiersVS
Id: openimis-identifiers
Title: "openIMIS Identifier Types"
Description: "All openIMIS identifier type codes, used to tell apart the identifiers of a resource (`identifier.type.coding.code`)."
* ^status = #active
* ^experimental = false
* include codes from system OpenimisIdentifiersCS
