Extension: PatientIsHead
Id: patient-is-head
Title: "Head of Family (Patient)"
Description: "Flags whether the insuree is the head of the family (household) it belongs to. Every openIMIS family has exactly one head."
* insert ExtensionContext(Patient)
* value[x] only boolean
