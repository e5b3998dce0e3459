Instance: openIMIS-Implementation
InstanceOf: OpenimisInsuranceOrganization
Usage: #example
Title: "Insurer: openIMIS Implementation"
Description: "The insurer of the example implementation, with the default insurer code of the openIMIS FHIR module."
* text.status = #generated
* text.div = "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>The insurer of the example implementation, with the default insurer code of the openIMIS FHIR module.</p></div>"
* identifier.type = OpenimisIdentifiersCS#Code "Unique code"
* identifier.value = "openIMIS-Implementation"
* type = $organization-type#ins "Insurance Company"
* name = "openIMIS Implementation"
* telecom[email].value = "contact@insurance.example.org"
* contact.purpose = $contactentity-type#ADMIN "Administrative"
* contact.name.text = "Scheme administration office"
