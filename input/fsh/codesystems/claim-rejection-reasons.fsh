CodeSystem: ClaimRejectionReasonsCS
Id: claim-rejection-reasons
Title: "Claim Item Rejection Reason"
Description: "Why openIMIS accepted or rejected a claimed item or service. The codes are the numeric rejection reasons of openIMIS; there is no code 18. Code -2 is set by the backend when an AI evaluation rejects the item."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^content = #complete
// -2 is emitted only by the backend (AI evaluation); openIMIS has no reason 18.
* #-2 "REJECTED BY AI EVALUATION"
* #-1 "REJECTED BY MEDICAL OFFICER"
* #0 "ACCEPTED"
* #1 "INVALID ITEM OR SERVICE"
* #2 "NOT IN PRICE LIST"
* #3 "NO PRODUCT FOUND"
* #4 "CATEGORY LIMITATION"
* #5 "FREQUENCY FAILURE"
* #6 "DUPLICATED"
* #7 "FAMILY"
* #8 "DIAGNOSIS NOT IN LIST"
* #9 "TARGET DATE"
* #10 "CARE TYPE"
* #11 "MAX HOSPITAL ADMISSIONS"
* #12 "MAX VISITS"
* #13 "MAX CONSULTATIONS"
* #14 "MAX SURGERIES"
* #15 "MAX DELIVERIES"
* #16 "QTY OVER LIMIT"
* #17 "WAITING PERIOD FAIL"
* #19 "MAX ANTENATAL"
