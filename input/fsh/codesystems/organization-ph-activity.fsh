CodeSystem: OrganizationPhActivityCS
Id: organization-ph-activity
Title: "Policy Holder Activity"
Description: "Economic sector of a policy holder organization. Implementations may extend the list."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^content = #complete
* #1 "Retail"
* #2 "Industry"
* #3 "Building"
* #4 "Sailing"
* #5 "Services"
