CodeSystem: OrganizationHfLevelCS
Id: organization-hf-level
Title: "Health Facility Level"
Description: "Level of a health facility in the health system (dispensary, health centre, hospital)."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^content = #complete
* #D "Dispensary"
* #C "Health Centre"
* #H "Hospital"
