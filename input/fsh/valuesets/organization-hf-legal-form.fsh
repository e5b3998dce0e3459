ValueSet: OrganizationHfLegalFormVS
Id: organization-hf-legal-form
Title: "Health Facility Legal Form"
Description: "All legal forms of the openIMIS Health Facility Legal Form code system."
* ^status = #active
* ^experimental = false
* include codes from system OrganizationHfLegalFormCS
