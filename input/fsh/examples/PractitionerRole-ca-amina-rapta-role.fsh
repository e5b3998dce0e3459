Instance: ca-amina-rapta-role
InstanceOf: OpenimisClaimAdministratorPractitionerRole
Usage: #example
Title: "Claim administrator role: Amina Mollel at Rapta Hospital"
Description: "Makes Amina Mollel the claim administrator of Rapta Hospital."
* text.status = #generated
* text.div = "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Makes Amina Mollel the claim administrator of Rapta Hospital.</p></div>"
* identifier[Code].type = OpenimisIdentifiersCS#Code "Unique code"
* identifier[Code].value = "CA0001"
* practitioner = Reference(Practitioner/ca-amina-rapta) "Amina Mollel"
* organization = Reference(Organization/rapta-hospital) "Rapta Hospital"
* code = PractitionerQualificationTypeCS#CA "Claim Administrator"
* telecom[email].value = "amina.mollel@rapta-hospital.example.org"
