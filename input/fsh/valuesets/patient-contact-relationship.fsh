ValueSet: PatientContactRelationshipVS
Id: patient-contact-relationship
Title: "Relationship to the Head of Family"
Description: "All relationships of the openIMIS Relationship to the Head of Family code system."
* ^status = #active
* ^experimental = false
* include codes from system PatientContactRelationshipCS
