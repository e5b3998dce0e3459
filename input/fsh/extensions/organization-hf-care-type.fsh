Extension: OrganizationHfCareType
Id: organization-hf-care-type
Title: "Care Type (Health Facility)"
Description: "Whether the health facility provides in-patient care, out-patient care or both. openIMIS uses it to check which services a facility may claim."
* insert ExtensionContext(Organization)
* value[x] only CodeableConcept
* valueCodeableConcept from OrganizationHfCareTypeVS (required)
