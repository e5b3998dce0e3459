CodeSystem: PatientProfessionCS
Id: patient-profession
Title: "Insuree Profession"
Description: "Profession of an insuree, as configured in openIMIS. Implementations may extend the list."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^content = #complete
* #1 "Housewife"
* #2 "Employee"
* #3 "Self Employee"
* #4 "Other"
