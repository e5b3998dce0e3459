Extension: PatientEducationLevel
Id: patient-education-level
Title: "Education Level (Patient)"
Description: "The highest level of education the insuree has reached, from the list configured in openIMIS."
* insert ExtensionContext(Patient)
* value[x] only CodeableConcept
* valueCodeableConcept from PatientEducationLevelVS (example)
