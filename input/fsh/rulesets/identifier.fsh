// Identifier patterns shared by the openIMIS profiles. openIMIS identifies a resource by its business
// code and by its database UUID; the identifier type code (openimis-identifiers) tells them apart.
//   * insert OpenimisIdentifierSlicing                      Code 1..1, UUID 0..1 (the usual case)
//   * insert OpenimisIdentifierSlicingCard(0..1, 0..1)      other slice cardinalities
//   * insert OpenimisUuidIdentifierSlicing(0..1)            resources with a UUID only (policies, payments)
// Constrain further after the insert when needed (e.g. `* identifier[UUID] 1..1`): SUSHI can narrow a
// cardinality but never widen it, so a profile that needs a looser slice uses the parameterised form.

// The slicing itself: by the identifier type code, which must come from openimis-identifiers.
RuleSet: OpenimisIdentifierTypeSlicing(rules, description)
* identifier ^slicing.discriminator.type = #value
* identifier ^slicing.discriminator.path = "type.coding.code"
* identifier ^slicing.rules = {rules}
* identifier ^slicing.description = "{description}"
* identifier.type 1..1
* identifier.type.coding.code from OpenimisIdentifiersVS (required)
* identifier.value 1..1

RuleSet: OpenimisIdentifierSlicing
* insert OpenimisIdentifierSlicingCard(1..1, 0..1)

// Open: the backend also sends identifiers of the other openimis-identifiers types (ACSN, SB, PPN, ...).
RuleSet: OpenimisIdentifierSlicingCard(codeCard, uuidCard)
* identifier 1..* MS
* insert OpenimisIdentifierTypeSlicing(#open, Sliced by identifier type: the business code and the UUID\, besides any other openIMIS identifier type.)
* identifier contains
    Code {codeCard} MS and
    UUID {uuidCard}
* identifier[Code] ^short = "The openIMIS business code of the resource"
* identifier[Code].type.coding.code = #Code
* identifier[UUID] ^short = "The openIMIS database UUID of the resource"
* identifier[UUID].type.coding.code = #UUID

RuleSet: OpenimisUuidIdentifierSlicing(card)
* identifier {card} MS
* insert OpenimisIdentifierTypeSlicing(#closed, Sliced by identifier type: only the openIMIS UUID is used.)
* identifier contains UUID {card}
* identifier[UUID] ^short = "The openIMIS database UUID of the resource"
* identifier[UUID].type.coding.code = #UUID
