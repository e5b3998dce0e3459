ValueSet: OrganizationHfLevelVS
Id: organization-hf-level
Title: "Health Facility Level"
Description: "All levels of the openIMIS Health Facility Level code system."
* ^status = #active
* ^experimental = false
* include codes from system OrganizationHfLevelCS
