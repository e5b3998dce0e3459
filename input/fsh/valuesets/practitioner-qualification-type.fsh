ValueSet: PractitionerQualificationTypeVS
Id: practitioner-qualification-type
Title: "Practitioner Role in openIMIS"
Description: "All roles of the openIMIS Practitioner Role code system."
* ^status = #active
* ^experimental = false
* include codes from system PractitionerQualificationTypeCS
