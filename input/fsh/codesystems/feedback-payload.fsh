CodeSystem: FeedbackPayloadCS
Id: feedback-payload
Title: "Claim Feedback Question"
Description: "The five questions of the feedback an enrolment officer collects from an insuree about a claim. The displays are the prompts; the code `Asessment` is spelled as openIMIS spells it."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^content = #complete
* #CareRendered "Care Rendered? (yes|no)"
* #PaymentAsked "Payment Asked? (yes|no)"
* #DrugPrescribed "Drug Prescribed? (yes|no)"
* #DrugReceived "Drug Received? (yes|no)"
* #Asessment "Asessment? (0|1|2|3|4|5)"
