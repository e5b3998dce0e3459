Instance: eo-joseph-rapta-role
InstanceOf: OpenimisEnrolmentOfficerPractitionerRole
Usage: #example
Title: "Enrolment officer role: Joseph Kimaro in Rachla"
Description: "Assigns Joseph Kimaro to the village Rachla until the end of 2026; Neema Mushi takes over after that."
* text.status = #generated
* text.div = "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Assigns Joseph Kimaro to the village Rachla until the end of 2026; Neema Mushi takes over after that.</p></div>"
* extension[substitution].valueReference = Reference(Practitioner/eo-neema-rapta) "Neema Mushi"
* identifier[Code].type = OpenimisIdentifiersCS#Code "Unique code"
* identifier[Code].value = "EO0001"
* period.end = "2026-12-31"
* practitioner = Reference(Practitioner/eo-joseph-rapta) "Joseph Kimaro"
* code = PractitionerQualificationTypeCS#EO "Enrolment Officer"
* location = Reference(Location/rachla-village) "Rachla"
* telecom[phone].value = "+255 754 300 118"
