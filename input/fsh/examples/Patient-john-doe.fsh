Instance: john-doe
InstanceOf: OpenimisPatient
Usage: #example
Title: "Insuree: John Doe"
Description: "John Doe, head of the Doe family, living in the village Rachla; his first service point is Rapta Hospital."
* text.status = #generated
* text.div = "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>John Doe, head of the Doe family, living in the village Rachla; his first service point is Rapta Hospital.</p></div>"
* extension[isHead].valueBoolean = true
* extension[educationLevel].valueCodeableConcept = PatientEducationLevelCS#3 "Secondary school"
* extension[profession].valueCodeableConcept = PatientProfessionCS#3 "Self Employee"
* extension[identification].extension[number].valueString = "NID-19800314-0042"
* extension[identification].extension[type].valueCodeableConcept = PatientIdentificationTypeCS#N "National ID"
* extension[cardIssued].valueBoolean = true
* extension[group].valueReference = Reference(Group/doe-family) "Doe family"
* extension[vulnerability].valueBoolean = false
* identifier[Code].type = OpenimisIdentifiersCS#Code "Unique code"
* identifier[Code].value = "070707070"
* identifier[UUID].type = OpenimisIdentifiersCS#UUID "UUID unique identifier"
* identifier[UUID].value = "8b3e5d17-4f9a-4c2e-a6d1-0c7f2b9e5a31"
* name.use = #official
* name.family = "Doe"
* name.given = "John"
* telecom[phone].value = "+255 754 120 330"
* gender = #male
* birthDate = "1980-03-14"
* address[FamilyAddress].extension[municipality].valueString = "Jaber"
* address[FamilyAddress].extension[location].valueReference = Reference(Location/rachla-village) "Rachla"
* address[FamilyAddress].use = #home
* address[FamilyAddress].type = #physical
* address[FamilyAddress].line = "12 Market Street"
* address[FamilyAddress].city = "Rachla"
* address[FamilyAddress].district = "Rapta"
* address[FamilyAddress].state = "Ultha"
* maritalStatus = $v3-MaritalStatus#M "Married"
* generalPractitioner = Reference(Organization/rapta-hospital) "Rapta Hospital"
