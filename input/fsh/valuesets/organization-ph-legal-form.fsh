ValueSet: OrganizationPhLegalFormVS
Id: organization-ph-legal-form
Title: "Policy Holder Legal Form"
Description: "All legal forms of the openIMIS Policy Holder Legal Form code system."
* ^status = #active
* ^experimental = false
* include codes from system OrganizationPhLegalFormCS
