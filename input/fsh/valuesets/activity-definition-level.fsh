ValueSet: ActivityDefinitionLevelVS
Id: activity-definition-level
Title: "Medical Service Level"
Description: "All levels of the openIMIS Medical Service Level code system."
* ^status = #active
* ^experimental = false
* include codes from system ActivityDefinitionLevelCS
