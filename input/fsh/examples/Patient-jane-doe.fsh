Instance: jane-doe
InstanceOf: OpenimisPatient
Usage: #example
Title: "Insuree: Jane Doe"
Description: "Jane Doe, member of the Doe family and spouse of its head, John Doe, who is therefore her contact."
* text.status = #generated
* text.div = "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Jane Doe, member of the Doe family and spouse of its head, John Doe, who is therefore her contact.</p></div>"
* extension[isHead].valueBoolean = false
* extension[educationLevel].valueCodeableConcept = PatientEducationLevelCS#4 "University"
* extension[profession].valueCodeableConcept = PatientProfessionCS#2 "Employee"
* extension[cardIssued].valueBoolean = true
* extension[group].valueReference = Reference(Group/doe-family) "Doe family"
* extension[vulnerability].valueBoolean = false
* identifier[Code].type = OpenimisIdentifiersCS#Code "Unique code"
* identifier[Code].value = "070707081"
* identifier[UUID].type = OpenimisIdentifiersCS#UUID "UUID unique identifier"
* identifier[UUID].value = "5e9c2a84-7b1d-4f63-9d0e-6a4b8c3f1e27"
* name.use = #official
* name.family = "Doe"
* name.given = "Jane"
* telecom[email].value = "jane.doe@mail.example.org"
* gender = #female
* birthDate = "1983-07-22"
* address[FamilyAddress].extension[municipality].valueString = "Jaber"
* address[FamilyAddress].extension[location].valueReference = Reference(Location/rachla-village) "Rachla"
* address[FamilyAddress].use = #home
* address[FamilyAddress].type = #physical
* address[FamilyAddress].line = "12 Market Street"
* address[FamilyAddress].city = "Rachla"
* address[FamilyAddress].district = "Rapta"
* address[FamilyAddress].state = "Ultha"
* maritalStatus = $v3-MaritalStatus#M "Married"
* contact.relationship = PatientContactRelationshipCS#8 "Spouse"
* contact.name.use = #official
* contact.name.family = "Doe"
* contact.name.given = "John"
* generalPractitioner = Reference(Organization/rapta-hospital) "Rapta Hospital"
