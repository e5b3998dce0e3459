ValueSet: ActivityDefinitionUsageContextWorkflowTypeVS
Id: activity-definition-usage-context-workflow-type
Title: "Medical Service Category"
Description: "All categories of the openIMIS Medical Service Category code system."
* ^status = #active
* ^experimental = false
* include codes from system ActivityDefinitionUsageContextWorkflowTypeCS
