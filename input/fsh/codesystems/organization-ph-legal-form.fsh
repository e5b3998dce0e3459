CodeSystem: OrganizationPhLegalFormCS
Id: organization-ph-legal-form
Title: "Policy Holder Legal Form"
Description: "Legal form of a policy holder organization. Implementations may extend the list."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^content = #complete
* #1 "Personal Company"
* #2 "Limited Risk Company"
* #3 "Association"
* #4 "Government"
* #5 "Union"
