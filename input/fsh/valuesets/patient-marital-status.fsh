ValueSet: PatientMaritalStatusVS
Id: patient-marital-status
Title: "Insuree Marital Status"
Description: "Marital statuses openIMIS records for an insuree: married, single (never married), divorced, widowed, or unknown."
* ^status = #active
* ^experimental = false
// UNK is a null flavor, not a v3-MaritalStatus code (as in the FHIR marital-status value set).
* $v3-MaritalStatus#M "Married"
* $v3-MaritalStatus#S "Never Married"
* $v3-MaritalStatus#D "Divorced"
* $v3-MaritalStatus#W "Widowed"
* $v3-NullFlavor#UNK "unknown"
