ValueSet: OrganizationHfCareTypeVS
Id: organization-hf-care-type
Title: "Health Facility Care Type"
Description: "All care types of the openIMIS Health Facility Care Type code system."
* ^status = #active
* ^experimental = false
* include codes from system OrganizationHfCareTypeCS
