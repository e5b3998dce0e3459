Profile: OpenimisCommunication
Parent: Communication
Id: openimis-communication
Title: "openIMIS Claim Feedback"
Description: "The insuree's answers to the five feedback questions about a claim (see openIMIS Claim Feedback Request). Creating it (POST) stores the feedback of the claim."
* obeys oi-comm-1
// the backend returns the feedback's UUID as identifier
* insert OpenimisUuidIdentifierSlicing(0..1)
* instantiatesCanonical 0..0
* instantiatesUri 0..0
* basedOn 0..0
* partOf 0..0
* inResponseTo 0..0
* status = #completed
* statusReason 0..0
* category 0..0
* priority 0..0
* medium 0..0
* subject 1..1
* subject only Reference(openimis-patient)
* topic 0..0
* about 1..1
* about only Reference(openimis-claim)
* encounter 0..0
* sent 0..0
* received 0..0
* recipient 0..0
* sender 0..0
* reasonCode 0..0
* reasonReference 0..0
* note 0..0
* payload 5..5
* payload ^slicing.discriminator.type = #value
* payload ^slicing.discriminator.path = "extension('https://openimis.github.io/openimis_fhir_r4_ig/StructureDefinition/communication-payload-type').value.coding.code"
* payload ^slicing.rules = #closed
* payload ^slicing.description = "One answer per feedback question, told apart by the payload-type extension."
* payload.extension contains communication-payload-type named type 1..1
* payload.content[x] only string
* payload contains
    CareRendered 1..1 and
    PaymentAsked 1..1 and
    DrugPrescribed 1..1 and
    DrugReceived 1..1 and
    Asessment 1..1
* payload[CareRendered].extension[type].valueCodeableConcept = FeedbackPayloadCS#CareRendered
* payload[CareRendered].content[x] ^short = "yes | no"
* payload[PaymentAsked].extension[type].valueCodeableConcept = FeedbackPayloadCS#PaymentAsked
* payload[PaymentAsked].content[x] ^short = "yes | no"
* payload[DrugPrescribed].extension[type].valueCodeableConcept = FeedbackPayloadCS#DrugPrescribed
* payload[DrugPrescribed].content[x] ^short = "yes | no"
* payload[DrugReceived].extension[type].valueCodeableConcept = FeedbackPayloadCS#DrugReceived
* payload[DrugReceived].content[x] ^short = "yes | no"
* payload[Asessment].extension[type].valueCodeableConcept = FeedbackPayloadCS#Asessment
* payload[Asessment].content[x] ^short = "Score from 0 to 5"
