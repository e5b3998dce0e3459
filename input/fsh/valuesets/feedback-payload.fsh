ValueSet: FeedbackPayloadVS
Id: feedback-payload
Title: "Claim Feedback Question"
Description: "All questions of the openIMIS Claim Feedback Question code system."
* ^status = #active
* ^experimental = false
* include codes from system FeedbackPayloadCS
