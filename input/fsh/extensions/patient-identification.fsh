Extension: PatientIdentification
Id: patient-identification
Title: "Identification Document (Patient)"
Description: "The identity document the insuree presented at enrolment: its number and, when known, its kind (national ID, passport, ...)."
* insert ExtensionContext(Patient)
* extension contains
    number 1..1 MS and
    type 0..1 MS
* extension[number] ^short = "Number of the identity document"
* extension[number].value[x] only string
* extension[type] ^short = "Kind of identity document"
* extension[type].value[x] only CodeableConcept
* extension[type].valueCodeableConcept from PatientIdentificationTypeVS (extensible)
