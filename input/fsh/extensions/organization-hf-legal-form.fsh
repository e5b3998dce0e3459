Extension: OrganizationHfLegalForm
Id: organization-hf-legal-form
Title: "Legal Form (Health Facility)"
Description: "The legal form of the health facility (government, private, charity, ...), from the list configured in openIMIS."
* insert ExtensionContext(Organization)
* value[x] only CodeableConcept
* valueCodeableConcept from OrganizationHfLegalFormVS (example)
