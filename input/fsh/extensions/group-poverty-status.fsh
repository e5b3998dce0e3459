Extension: GroupPovertyStatus
Id: group-poverty-status
Title: "Poverty Status (Group)"
Description: "Flags whether the family is registered as poor, which some openIMIS schemes use for subsidised contributions."
* insert ExtensionContext(Group)
* value[x] only boolean
