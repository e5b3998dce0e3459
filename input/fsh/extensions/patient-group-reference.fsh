Extension: PatientGroupReference
Id: patient-group-reference
Title: "Family (Patient)"
Description: "The family (Group) the insuree is a member of."
* insert ExtensionContext(Patient)
* value[x] only Reference(Group)
