Extension: OrganizationPhActivity
Id: organization-ph-activity
Title: "Activity (Policy Holder)"
Description: "The economic sector the policy holder organization works in (retail, industry, services, ...), from the list configured in openIMIS."
* insert ExtensionContext(Organization)
* value[x] only CodeableConcept
* valueCodeableConcept from OrganizationPhActivityVS (example)
