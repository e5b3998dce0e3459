// Identifier pattern shared by the openIMIS profiles. openIMIS identifies a resource by its business
// code and by its database UUID; the identifier type code tells them apart.
//   * insert OpenimisIdentifierSlicing                      Code 1..1, UUID 0..1 (the usual case)
//   * insert OpenimisIdentifierSlicingCard(0..1, 0..1)      other slice cardinalities
// Constrain further after the insert when needed (e.g. `* identifier[UUID] 1..1`): SUSHI can narrow a
// cardinality but never widen it, so a profile that needs a looser slice uses OpenimisIdentifierSlicingCard.
RuleSet: OpenimisIdentifierSlicing
* insert OpenimisIdentifierSlicingCard(1..1, 0..1)

RuleSet: OpenimisIdentifierSlicingCard(codeCard, uuidCard)
* identifier 1..* MS
* identifier ^slicing.discriminator.type = #value
* identifier ^slicing.discriminator.path = "type.coding.code"
* identifier ^slicing.rules = #closed
* identifier ^slicing.description = "Sliced by the openIMIS identifier type code: the business code or the UUID."
* identifier.type 1..1
* identifier.type.coding.code from OpenimisIdentifiersVS (required)
* identifier.value 1..1
* identifier contains
    Code {codeCard} MS and
    UUID {uuidCard}
* identifier[Code] ^short = "The openIMIS business code of the resource"
* identifier[Code].type.coding.code = #Code
* identifier[UUID] ^short = "The openIMIS database UUID of the resource"
* identifier[UUID].type.coding.code = #UUID
