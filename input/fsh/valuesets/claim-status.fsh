ValueSet: ClaimStatusVS
Id: claim-status
Title: "Claim Status"
Description: "All statuses of the openIMIS Claim Status code system."
* ^status = #active
* ^experimental = false
* include codes from system ClaimStatusCS
