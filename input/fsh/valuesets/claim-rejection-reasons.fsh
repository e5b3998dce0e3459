ValueSet: ClaimRejectionReasonsVS
Id: claim-rejection-reasons
Title: "Claim Item Rejection Reason"
Description: "All rejection reasons of the openIMIS Claim Item Rejection Reason code system."
* ^status = #active
* ^experimental = false
* include codes from system ClaimRejectionReasonsCS
