ValueSet: ClaimVisitTypeVS
Id: claim-visit-type
Title: "Claim Visit Type"
Description: "All visit types of the openIMIS Claim Visit Type code system."
* ^status = #active
* ^experimental = false
* include codes from system ClaimVisitTypeCS
