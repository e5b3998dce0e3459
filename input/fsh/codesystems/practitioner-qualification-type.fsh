CodeSystem: PractitionerQualificationTypeCS
Id: practitioner-qualification-type
Title: "Practitioner Role in openIMIS"
Description: "Role an openIMIS officer plays: claim administrator or enrolment officer."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^content = #complete
* #CA "Claim Administrator"
* #EO "Enrolment Officer"
