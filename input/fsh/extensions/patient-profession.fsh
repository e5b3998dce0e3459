Extension: PatientProfession
Id: patient-profession
Title: "Profession (Patient)"
Description: "The occupation of the insuree, from the list configured in openIMIS."
* insert ExtensionContext(Patient)
* value[x] only CodeableConcept
* valueCodeableConcept from PatientProfessionVS (example)
