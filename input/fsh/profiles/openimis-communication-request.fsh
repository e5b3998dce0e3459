Profile: OpenimisCommunicationRequest
Parent: CommunicationRequest
Id: openimis-communication-request
Title: "openIMIS Claim Feedback Request"
Description: "Asks for the insuree's feedback on a claim: five fixed questions (care rendered, payment asked, drug prescribed, drug received, assessment). The answers come back as an openIMIS Claim Feedback (Communication)."
* identifier 0..0
* basedOn 0..0
* replaces 0..0
* groupIdentifier 0..0
* status from CommunicationRequestStatusVS (required)
* statusReason 1..1
* statusReason from FeedbackStatusVS (required)
* statusReason ^short = "openIMIS feedback status: selected, delivered or bypassed"
* category 0..0
* priority 0..0
* doNotPerform 0..0
* medium 0..0
* subject 1..1
* subject only Reference(openimis-patient)
* about 1..1
* about only Reference(openimis-claim)
* encounter 0..0
* occurrence[x] 0..0
* authoredOn 0..0
* requester 0..0
// the published profile names the enrolment officer; the backend sends the claim's administrator
* recipient 1..1
* recipient only Reference(openimis-enrolment-officer-practitioner or openimis-claim-administrator-practitioner)
* sender 0..0
* reasonCode 0..0
* reasonReference 0..0
* note 0..0
* payload 5..5
* payload ^slicing.discriminator.type = #value
* payload ^slicing.discriminator.path = "extension('https://openimis.github.io/openimis_fhir_r4_ig/StructureDefinition/communication-payload-type').value.coding.code"
* payload ^slicing.rules = #closed
* payload ^slicing.description = "One payload per feedback question, told apart by the payload-type extension."
* payload.extension contains communication-payload-type named type 1..1
* payload.content[x] only string
* payload contains
    CareRendered 1..1 and
    PaymentAsked 1..1 and
    DrugPrescribed 1..1 and
    DrugReceived 1..1 and
    Asessment 1..1
* payload[CareRendered].extension[type].valueCodeableConcept = FeedbackPayloadCS#CareRendered
* payload[CareRendered].contentString = "Care Rendered? (yes|no)"
* payload[PaymentAsked].extension[type].valueCodeableConcept = FeedbackPayloadCS#PaymentAsked
* payload[PaymentAsked].contentString = "Payment Asked? (yes|no)"
* payload[DrugPrescribed].extension[type].valueCodeableConcept = FeedbackPayloadCS#DrugPrescribed
* payload[DrugPrescribed].contentString = "Drug Prescribed? (yes|no)"
* payload[DrugReceived].extension[type].valueCodeableConcept = FeedbackPayloadCS#DrugReceived
* payload[DrugReceived].contentString = "Drug Received? (yes|no)"
* payload[Asessment].extension[type].valueCodeableConcept = FeedbackPayloadCS#Asessment
* payload[Asessment].contentString = "Asessment? (0|1|2|3|4|5)"
