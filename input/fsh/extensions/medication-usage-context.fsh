Extension: MedicationUsageContext
Id: medication-usage-context
Title: "Usage Context (Medication)"
Description: "For whom and where a medical item may be prescribed: the genders and age groups it applies to, and the care type (out-patient, in-patient or both). openIMIS care type \"both\" is sent as the two codes AMB and IMP."
* insert ExtensionContext(Medication)
* extension contains
    Gender 0..1 and
    Age 0..1 and
    CareType 1..1
* extension[Gender] ^short = "Genders the item may be prescribed to"
* extension[Gender].value[x] only UsageContext
* extension[Gender].valueUsageContext.code = $usage-context-type#gender
* extension[Gender].valueUsageContext.value[x] only CodeableConcept
* extension[Gender].valueUsageContext.valueCodeableConcept 1..1
* extension[Gender].valueUsageContext.valueCodeableConcept.coding 1..2
* extension[Gender].valueUsageContext.valueCodeableConcept.coding from UsageContextGenderTypeVS (required)
* extension[Age] ^short = "Age groups the item may be prescribed to"
* extension[Age].value[x] only UsageContext
* extension[Age].valueUsageContext.code = $usage-context-type#age
* extension[Age].valueUsageContext.value[x] only CodeableConcept
* extension[Age].valueUsageContext.valueCodeableConcept 1..1
* extension[Age].valueUsageContext.valueCodeableConcept.coding 1..2
* extension[Age].valueUsageContext.valueCodeableConcept.coding from UsageContextAgeTypeVS (required)
* extension[CareType] ^short = "Care types (venues) the item may be prescribed in"
* extension[CareType].value[x] only UsageContext
* extension[CareType].valueUsageContext.code = $usage-context-type#venue
* extension[CareType].valueUsageContext.value[x] only CodeableConcept
* extension[CareType].valueUsageContext.valueCodeableConcept 1..1
* extension[CareType].valueUsageContext.valueCodeableConcept.coding 1..2
* extension[CareType].valueUsageContext.valueCodeableConcept.coding from ActivityDefinitionUsageContextVenueTypeVS (required)
