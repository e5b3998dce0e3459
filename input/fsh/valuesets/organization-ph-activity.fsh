ValueSet: OrganizationPhActivityVS
Id: organization-ph-activity
Title: "Policy Holder Activity"
Description: "All activities of the openIMIS Policy Holder Activity code system."
* ^status = #active
* ^experimental = false
* include codes from system OrganizationPhActivityCS
