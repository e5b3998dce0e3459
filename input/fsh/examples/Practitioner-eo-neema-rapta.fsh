Instance: eo-neema-rapta
InstanceOf: OpenimisEnrolmentOfficerPractitioner
Usage: #example
Title: "Enrolment officer: Neema Mushi"
Description: "An enrolment officer of the district Rapta who takes over the village Rachla when Joseph Kimaro's assignment ends."
* text.status = #generated
* text.div = "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>An enrolment officer of the district Rapta who takes over the village Rachla when Joseph Kimaro's assignment ends.</p></div>"
* identifier[Code].type = OpenimisIdentifiersCS#Code "Unique code"
* identifier[Code].value = "EO0002"
* identifier[UUID].type = OpenimisIdentifiersCS#UUID "UUID unique identifier"
* identifier[UUID].value = "5d1f9b3e-7a2c-4c86-b0e4-3f6a8d2c1e95"
* name.use = #official
* name.family = "Mushi"
* name.given = "Neema"
* telecom[phone].value = "+255 754 300 240"
* birthDate = "1991-03-14"
* address.extension[locationDistrict].valueReference = Reference(Location/rapta-district) "Rapta"
* address.type = #physical
* address.line = "Plot 40, Hospital Road"
* address.district = "Rapta"
* address.state = "Ultha"
* qualification.code = PractitionerQualificationTypeCS#EO "Enrolment Officer"
