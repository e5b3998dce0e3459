Instance: eo-joseph-rapta
InstanceOf: OpenimisEnrolmentOfficerPractitioner
Usage: #example
Title: "Enrolment officer: Joseph Kimaro"
Description: "An enrolment officer of the district Rapta, who enrols and renews the families of the village Rachla."
* text.status = #generated
* text.div = "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>An enrolment officer of the district Rapta, who enrols and renews the families of the village Rachla.</p></div>"
* identifier[Code].type = OpenimisIdentifiersCS#Code "Unique code"
* identifier[Code].value = "EO0001"
* identifier[UUID].type = OpenimisIdentifiersCS#UUID "UUID unique identifier"
* identifier[UUID].value = "a4c8e2d6-1b3f-4e7a-8c5d-9f0b2e6a4d17"
* name.use = #official
* name.family = "Kimaro"
* name.given = "Joseph"
* telecom[phone].value = "+255 754 300 118"
* birthDate = "1985-09-30"
* address.extension[locationDistrict].valueReference = Reference(Location/rapta-district) "Rapta"
* address.type = #physical
* address.line = "Plot 12, Market Street"
* address.district = "Rapta"
* address.state = "Ultha"
* qualification.code = PractitionerQualificationTypeCS#EO "Enrolment Officer"
