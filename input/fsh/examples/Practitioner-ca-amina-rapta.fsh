Instance: ca-amina-rapta
InstanceOf: OpenimisClaimAdministratorPractitioner
Usage: #example
Title: "Claim administrator: Amina Mollel"
Description: "The claim administrator of Rapta Hospital, who enters and submits the hospital's claims."
* text.status = #generated
* text.div = "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>The claim administrator of Rapta Hospital, who enters and submits the hospital's claims.</p></div>"
* identifier[Code].type = OpenimisIdentifiersCS#Code "Unique code"
* identifier[Code].value = "CA0001"
* identifier[UUID].type = OpenimisIdentifiersCS#UUID "UUID unique identifier"
* identifier[UUID].value = "3b7e1f94-2c5d-4a08-9e6b-8d1f4c2a7e53"
* name.use = #official
* name.family = "Mollel"
* name.given = "Amina"
* telecom[phone].value = "+255 22 211 0458"
* telecom[email].value = "amina.mollel@rapta-hospital.example.org"
* birthDate = "1988-04-12"
* qualification.code = PractitionerQualificationTypeCS#CA "Claim Administrator"
