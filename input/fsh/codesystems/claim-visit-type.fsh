CodeSystem: ClaimVisitTypeCS
Id: claim-visit-type
Title: "Claim Visit Type"
Description: "Reason for the visit that a claim covers: emergency, referral or other."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^content = #complete
* #E "Emergency"
* #R "Referrals"
* #O "Other"
