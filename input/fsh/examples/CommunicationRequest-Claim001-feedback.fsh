Instance: CommunicationRequest-Claim001-feedback
InstanceOf: OpenimisCommunicationRequest
Usage: #example
Title: "Claim Feedback Request: Claim001"
Description: "Claim001 was selected for feedback: John Doe is to answer the five feedback questions about his visit to Rapta Hospital."
* text.status = #generated
* text.div = "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Claim001 was selected for feedback: John Doe is to answer the five feedback questions about his visit to Rapta Hospital.</p></div>"
* id = "Claim001-feedback"
* status = #active
* statusReason = FeedbackStatusCS#4 "Selected"
* subject = Reference(Patient/john-doe) "070707070"
* about = Reference(Claim/Claim001) "Claim001"
// as the backend does, the request goes to the claim's administrator
* recipient = Reference(Practitioner/ca-amina-rapta) "CA0001"
* payload[CareRendered].extension[type].valueCodeableConcept = FeedbackPayloadCS#CareRendered "Care Rendered? (yes|no)"
* payload[CareRendered].contentString = "Care Rendered? (yes|no)"
* payload[PaymentAsked].extension[type].valueCodeableConcept = FeedbackPayloadCS#PaymentAsked "Payment Asked? (yes|no)"
* payload[PaymentAsked].contentString = "Payment Asked? (yes|no)"
* payload[DrugPrescribed].extension[type].valueCodeableConcept = FeedbackPayloadCS#DrugPrescribed "Drug Prescribed? (yes|no)"
* payload[DrugPrescribed].contentString = "Drug Prescribed? (yes|no)"
* payload[DrugReceived].extension[type].valueCodeableConcept = FeedbackPayloadCS#DrugReceived "Drug Received? (yes|no)"
* payload[DrugReceived].contentString = "Drug Received? (yes|no)"
* payload[Asessment].extension[type].valueCodeableConcept = FeedbackPayloadCS#Asessment "Asessment? (0|1|2|3|4|5)"
* payload[Asessment].contentString = "Asessment? (0|1|2|3|4|5)"
