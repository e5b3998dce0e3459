Instance: acme-cooperative
InstanceOf: OpenimisPolicyHolderOrganization
Usage: #example
Title: "Policy holder: ACME Cooperative"
Description: "A farmers' cooperative in the village Rachla that takes out policies for its members and pays their contributions."
* text.status = #generated
* text.div = "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>A farmers' cooperative in the village Rachla that takes out policies for its members and pays their contributions.</p></div>"
* extension[legalForm].valueCodeableConcept = OrganizationPhLegalFormCS#3 "Association"
* extension[activity].valueCodeableConcept = OrganizationPhActivityCS#5 "Services"
* identifier[Code].type = OpenimisIdentifiersCS#Code "Unique code"
* identifier[Code].value = "PH0001"
* identifier[UUID].type = OpenimisIdentifiersCS#UUID "UUID unique identifier"
* identifier[UUID].value = "f0b6d2a4-5c8e-4e1f-9a37-8b4c6e2d1f05"
* type = $organization-type#bus "Non-Healthcare Business or Corporation"
* name = "ACME Cooperative"
* telecom[phone].value = "+255 22 211 0932"
* address.extension[municipality].valueString = "Jaber"
* address.extension[location].valueReference = Reference(Location/rachla-village) "Rachla"
* address.type = #physical
* address.line = "3 Market Square"
* address.city = "Rachla"
* address.district = "Rapta"
* address.state = "Ultha"
