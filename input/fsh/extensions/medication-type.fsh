Extension: MedicationType
Id: medication-type
Title: "Item Type (Medication)"
Description: "Whether the openIMIS medical item is a drug or a medical consumable."
* insert ExtensionContext(Medication)
* value[x] only CodeableConcept
* valueCodeableConcept from MedicationItemTypeVS (required)
