// Identifier pattern for openIMIS resources that have no business code, only a database UUID
// (policies, payments). Same slicing as OpenimisIdentifierSlicing, without the Code slice.
// Usage: * insert OpenimisUuidIdentifierSlicing(0..1)
RuleSet: OpenimisUuidIdentifierSlicing(card)
* identifier {card} MS
* identifier ^slicing.discriminator.type = #value
* identifier ^slicing.discriminator.path = "type.coding.code"
* identifier ^slicing.rules = #closed
* identifier ^slicing.description = "Sliced by the openIMIS identifier type code; only the UUID is used."
* identifier.type 1..1
* identifier.type.coding.code from OpenimisIdentifiersVS (required)
* identifier.value 1..1
* identifier contains UUID {card}
* identifier[UUID] ^short = "The openIMIS database UUID of the resource"
* identifier[UUID].type.coding.code = #UUID
