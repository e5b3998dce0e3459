CodeSystem: FeedbackStatusCS
Id: feedback-status
Title: "Claim Feedback Status"
Description: "Status of the feedback request of a claim. The codes are the numeric feedback statuses of openIMIS that a feedback request can have."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^content = #complete
* #4 "Selected" "The claim was picked for feedback."
* #8 "Delivered" "The feedback was collected and delivered."
* #16 "Bypassed" "The feedback was skipped."
