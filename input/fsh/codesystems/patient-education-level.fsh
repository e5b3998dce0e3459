CodeSystem: PatientEducationLevelCS
Id: patient-education-level
Title: "Insuree Education Level"
Description: "Highest level of education of an insuree, as configured in openIMIS. Implementations may extend the list."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^content = #complete
* #1 "Nursery"
* #2 "Primary school"
* #3 "Secondary school"
* #4 "University"
* #5 "Postgraduate studies"
* #6 "PHD"
* #7 "Other"
