Instance: doe-family
InstanceOf: OpenimisGroup
Usage: #example
Title: "Family: Doe household"
Description: "The household of John Doe (head) and Jane Doe in the village Rachla. Its code is the insurance number of its head."
* text.status = #generated
* text.div = "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>The household of John Doe (head) and Jane Doe in the village Rachla. Its code is the insurance number of its head.</p></div>"
* extension[address].valueAddress.extension[municipality].valueString = "Jaber"
* extension[address].valueAddress.extension[location].valueReference = Reference(Location/rachla-village) "Rachla"
* extension[address].valueAddress.use = #home
* extension[address].valueAddress.type = #physical
* extension[address].valueAddress.line = "12 Market Street"
* extension[address].valueAddress.city = "Rachla"
* extension[address].valueAddress.district = "Rapta"
* extension[address].valueAddress.state = "Ultha"
* extension[poverty].valueBoolean = false
* extension[groupType].valueCodeableConcept = GroupTypeCS#H "Household"
* identifier[Code].type = OpenimisIdentifiersCS#Code "Unique code"
* identifier[Code].value = "070707070"
* identifier[UUID].type = OpenimisIdentifiersCS#UUID "UUID unique identifier"
* identifier[UUID].value = "2a7f4c91-d6e3-4b08-8c5a-9e1b3f7d2c46"
* active = true
* type = #person
* actual = true
* name = "Doe John"
* quantity = 2
* member[+].entity = Reference(Patient/john-doe) "John Doe"
* member[+].entity = Reference(Patient/jane-doe) "Jane Doe"
// the municipality confirmed the household's status under this number
* extension[confirmation].extension[number].valueString = "CONF-2025-0311"
* extension[confirmation].extension[type].valueCodeableConcept = GroupConfirmationTypeCS#B "Municipality"
