Instance: Claim001-feedback
InstanceOf: OpenimisCommunication
Usage: #example
Title: "Claim Feedback: Claim001"
Description: "John Doe's answers about Claim001: he was treated, was not asked to pay, got the prescribed paracetamol, and rates the care 4 out of 5."
* text.status = #generated
* text.div = "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>John Doe's answers about Claim001: he was treated, was not asked to pay, got the prescribed paracetamol, and rates the care 4 out of 5.</p></div>"
* identifier[UUID].type = OpenimisIdentifiersCS#UUID "UUID unique identifier"
* identifier[UUID].value = "b7e41c05-2d9f-4a63-8c1e-5f0a9d3b6e27"
* status = #completed
* subject = Reference(Patient/john-doe) "070707070"
* about = Reference(Claim/Claim001) "Claim001"
* payload[CareRendered].extension[type].valueCodeableConcept = FeedbackPayloadCS#CareRendered "Care Rendered? (yes|no)"
* payload[CareRendered].contentString = "yes"
* payload[PaymentAsked].extension[type].valueCodeableConcept = FeedbackPayloadCS#PaymentAsked "Payment Asked? (yes|no)"
* payload[PaymentAsked].contentString = "no"
* payload[DrugPrescribed].extension[type].valueCodeableConcept = FeedbackPayloadCS#DrugPrescribed "Drug Prescribed? (yes|no)"
* payload[DrugPrescribed].contentString = "yes"
* payload[DrugReceived].extension[type].valueCodeableConcept = FeedbackPayloadCS#DrugReceived "Drug Received? (yes|no)"
* payload[DrugReceived].contentString = "yes"
* payload[Asessment].extension[type].valueCodeableConcept = FeedbackPayloadCS#Asessment "Asessment? (0|1|2|3|4|5)"
* payload[Asessment].contentString = "4"
