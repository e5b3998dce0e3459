ValueSet: PatientEducationLevelVS
Id: patient-education-level
Title: "Insuree Education Level"
Description: "All education levels of the openIMIS Insuree Education Level code system."
* ^status = #active
* ^experimental = false
* include codes from system PatientEducationLevelCS
