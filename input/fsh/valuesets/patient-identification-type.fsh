ValueSet: PatientIdentificationTypeVS
Id: patient-identification-type
Title: "Insuree Identification Document Type"
Description: "All identity document types of the openIMIS Insuree Identification Document Type code system."
* ^status = #active
* ^experimental = false
* include codes from system PatientIdentificationTypeCS
