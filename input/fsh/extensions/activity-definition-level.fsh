Extension: ActivityDefinitionLevel
Id: activity-definition-level
Title: "Level (ActivityDefinition)"
Description: "The care level of a medical service: simple service, visit, day of stay or hospital case."
* insert ExtensionContext(ActivityDefinition)
* value[x] only CodeableConcept
* valueCodeableConcept from ActivityDefinitionLevelVS (required)
