ValueSet: ActivityDefinitionServiceTypeVS
Id: activity-definition-service-type
Title: "Medical Service Type"
Description: "All types of the openIMIS Medical Service Type code system."
* ^status = #active
* ^experimental = false
* include codes from system ActivityDefinitionServiceTypeCS
