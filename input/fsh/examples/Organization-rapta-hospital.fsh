Instance: rapta-hospital
InstanceOf: OpenimisHealthFacilityOrganization
Usage: #example
Title: "Health facility: Rapta Hospital"
Description: "A government hospital in the district Rapta that provides in-patient and out-patient care."
* text.status = #generated
* text.div = "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>A government hospital in the district Rapta that provides in-patient and out-patient care.</p></div>"
* extension[careType].valueCodeableConcept = OrganizationHfCareTypeCS#B "Both"
* extension[legalForm].valueCodeableConcept = OrganizationHfLegalFormCS#G "Government"
* extension[hfLevel].valueCodeableConcept = OrganizationHfLevelCS#H "Hospital"
* identifier[Code].type = OpenimisIdentifiersCS#Code "Unique code"
* identifier[Code].value = "RHOS0001"
* identifier[UUID].type = OpenimisIdentifiersCS#UUID "UUID unique identifier"
* identifier[UUID].value = "c5a1e3d7-8f2b-4a96-b0e4-2d7c9f1a3b58"
* type = $organization-type#prov "Healthcare Provider"
* name = "Rapta Hospital"
* telecom[phone].value = "+255 22 211 0457"
* telecom[email].value = "info@rapta-hospital.example.org"
* address.extension[locationDistrict].valueReference = Reference(Location/rapta-district) "Rapta"
* address.type = #physical
* address.line = "1 Hospital Road"
* address.district = "Rapta"
* address.state = "Ultha"
