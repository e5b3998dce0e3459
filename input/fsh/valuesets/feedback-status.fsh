ValueSet: FeedbackStatusVS
Id: feedback-status
Title: "Claim Feedback Status"
Description: "All statuses of the openIMIS Claim Feedback Status code system."
* ^status = #active
* ^experimental = false
* include codes from system FeedbackStatusCS
