Extension: MedicationLevel
Id: medication-level
Title: "Level (Medication)"
Description: "The care level of a medical item. openIMIS always reports M (Medication); the value is output-only and is used by the claim AI module."
* insert ExtensionContext(Medication)
* value[x] only CodeableConcept
* valueCodeableConcept from MedicationLevelVS (required)
