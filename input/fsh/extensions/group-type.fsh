Extension: GroupType
Id: group-type
Title: "Family Type (Group)"
Description: "The kind of group the family is registered as in openIMIS (household, council, students, ...)."
* insert ExtensionContext(Group)
* value[x] only CodeableConcept
* valueCodeableConcept from GroupTypeVS (extensible)
