CodeSystem: OrganizationHfCareTypeCS
Id: organization-hf-care-type
Title: "Health Facility Care Type"
Description: "Whether a health facility provides in-patient care, out-patient care or both."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^content = #complete
* #I "In-Patient"
* #O "Out-Patient"
* #B "Both"
