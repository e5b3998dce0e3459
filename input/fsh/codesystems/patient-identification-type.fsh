CodeSystem: PatientIdentificationTypeCS
Id: patient-identification-type
Title: "Insuree Identification Document Type"
Description: "Kind of identity document an insuree showed when enrolled. Implementations may extend the list."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^content = #complete
* #D "Driver's License"
* #N "National ID"
* #P "Passport"
* #V "Voter Card"
