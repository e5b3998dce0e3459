CodeSystem: ClaimStatusCS
Id: claim-status
Title: "Claim Status"
Description: "Status of a claim in openIMIS processing. The codes are the numeric status values of openIMIS."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^content = #complete
* #1 "Rejected"
* #2 "Entered"
* #4 "Checked"
* #8 "Processed"
* #16 "Valuated"
