Extension: OrganizationPhLegalForm
Id: organization-ph-legal-form
Title: "Legal Form (Policy Holder)"
Description: "The legal form of the policy holder organization (company, association, union, ...), from the list configured in openIMIS."
* insert ExtensionContext(Organization)
* value[x] only CodeableConcept
* valueCodeableConcept from OrganizationPhLegalFormVS (example)
