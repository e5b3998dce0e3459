Extension: OrganizationHfLevel
Id: organization-hf-level
Title: "Level (Health Facility)"
Description: "The level of the health facility: dispensary, health centre or hospital."
* insert ExtensionContext(Organization)
* value[x] only CodeableConcept
* valueCodeableConcept from OrganizationHfLevelVS (required)
