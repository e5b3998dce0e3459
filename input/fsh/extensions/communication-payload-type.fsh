Extension: CommunicationPayloadType
Id: communication-payload-type
Title: "Communication Payload Type"
Description: "Tells which feedback question a payload part of a claim feedback request (CommunicationRequest) or feedback answer (Communication) carries."
* insert ExtensionContext(Communication.payload)
* insert ExtensionContext(CommunicationRequest.payload)
* value[x] only CodeableConcept
* valueCodeableConcept from FeedbackPayloadVS (required)
