ValueSet: PatientProfessionVS
Id: patient-profession
Title: "Insuree Profession"
Description: "All professions of the openIMIS Insuree Profession code system."
* ^status = #active
* ^experimental = false
* include codes from system PatientProfessionCS
